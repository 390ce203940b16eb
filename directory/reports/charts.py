"""Bar charts as geometry for server-rendered SVG (no JavaScript): one horizontal bar per table
row, stacked by answer on the valid answers, or a single bar per count. Pure: the template
draws the shapes and prints the numbers beside them.

Colours come from a colour-blind-safe sequence (dark blue to orange, grey for « maybe »), and
never carry the meaning alone: every segment wide enough carries its percentage, the legend
names the answers and the table beside the chart holds every number.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.reports.tables import CountTable, DistTable

WIDTH = 640
BAR_WIDTH = 470  # the rest is for the numbers at the right of each bar
BAR_HEIGHT = 20
ROW_HEIGHT = 50  # a label line above each bar
TOP = 18
MIN_LABELLED = 7.0  # % : narrower segments are too small for their number (the table has it)

_DARK_TEXT, _LIGHT_TEXT = "#1b1b1b", "#ffffff"
# Fill and the text colour readable on it.
PALETTES: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {
    ("oui", "non", "incertain"): (("#1f4e79", _LIGHT_TEXT), ("#c45a00", _LIGHT_TEXT),
                                  ("#b8b8b8", _DARK_TEXT)),
    ("oui", "non"): (("#1f4e79", _LIGHT_TEXT), ("#c45a00", _LIGHT_TEXT)),
}  # fmt: skip
SEQUENTIAL = (
    ("#1f4e79", _LIGHT_TEXT),
    ("#5b8cc0", _DARK_TEXT),
    ("#f0b37e", _DARK_TEXT),
    ("#c45a00", _LIGHT_TEXT),
)
SINGLE = ("#1f4e79", _LIGHT_TEXT)


@dataclass(frozen=True)
class Segment:
    answer: str
    x: float
    width: float
    fill: str
    text_fill: str
    pct: float
    count: int

    @property
    def labelled(self) -> bool:
        return self.pct >= MIN_LABELLED

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Bar:
    label: str
    y: float  # the label's baseline; the bar sits below it
    segments: tuple[Segment, ...]
    n: int  # valid answers (dist charts) or the base of the percentage (count charts)
    missing: int | None  # None for count charts
    count: int | None = None  # count charts: the row's count
    pct: float | None = None  # count charts: its percentage

    @property
    def bar_y(self) -> float:
        return self.y + 7


@dataclass(frozen=True)
class Chart:
    kind: str  # "dist" or "count"
    bars: tuple[Bar, ...]
    legend: tuple[tuple[str, str], ...]  # (fill, answer code)
    width: int = WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP + ROW_HEIGHT * len(self.bars)

    @property
    def numbers_x(self) -> int:
        return self.bar_width + 8


def _palette(scale: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return PALETTES.get(scale, SEQUENTIAL[: len(scale)])


def stacked(table: DistTable) -> Chart:
    """One bar per row, split by answer in proportion to the valid answers (100 % = N)."""
    palette = _palette(table.scale)
    bars = []
    for index, row in enumerate(table.rows):
        segments, x = [], 0.0
        pct = row.dist.pct
        for answer, (fill, text_fill) in zip(table.scale, palette, strict=True):
            count = row.dist.counts[answer]
            if not count or row.dist.n == 0:
                continue
            width = BAR_WIDTH * count / row.dist.n
            share = pct[answer] or 0.0
            segments.append(Segment(answer, x, width, fill, text_fill, share, count))
            x += width
        y = TOP + ROW_HEIGHT * index
        bars.append(Bar(row.label, y, tuple(segments), row.dist.n, row.dist.missing))
    legend = tuple(zip((fill for fill, _ in palette), table.scale, strict=True))
    return Chart(kind="dist", bars=tuple(bars), legend=legend)


def counts(table: CountTable) -> Chart:
    """One bar per row, as long as its share of its base (100 % = the whole width)."""
    fill, text_fill = SINGLE
    bars = []
    for index, row in enumerate(table.rows):
        share = row.pct or 0.0
        width = BAR_WIDTH * share / 100
        segment = Segment(row.key, 0.0, width, fill, text_fill, share, row.count)
        y = TOP + ROW_HEIGHT * index
        bars.append(
            Bar(row.label, y, (segment,) if row.count else (), row.of, None, row.count, row.pct)
        )
    return Chart(kind="count", bars=tuple(bars), legend=())


def chart(table: CountTable | DistTable) -> Chart:
    return counts(table) if isinstance(table, CountTable) else stacked(table)
