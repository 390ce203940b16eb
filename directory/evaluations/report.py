"""The evaluation report: the report's tables computed from questionnaires. Pure: no Flask, no
database. Every table comes from a `Tally` of counts (`summarise`); the pages get it from SQL
(`queries.report_tally`), `compute` builds it from `Questionnaire` rows and `Filters` (the
reference the SQL is checked against, and the tests' way in).

The report's method (§2.7, Tableau 5): percentages are computed on the **valid answers only**
and the missing answers are counted apart. So every `Dist` carries `n` (valid answers),
`missing` (questionnaires in the selection without an answer to the item: a question not
asked, such as `practice` for external experts, counts there too, as in Annexe C), the counts
per answer and the percentages of `n`, rounded half up to one decimal as Excel does. With no
valid answer the percentages are unknown (None), never 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import methodcaller
from typing import Any

from directory.evaluations.codes import (
    BREAKDOWN_ITEMS,
    COOCCURRENCE_GROUPS,
    ITEMS,
    ROLES,
    SCALES,
    SECTOR_GROUPS,
    sector_group,
)

_TENTH = Decimal("0.1")


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, rounded half up to 0.1; None when `whole` is 0."""
    if whole <= 0:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return float(value)


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """One answered questionnaire, as the report reads it (no person, ever)."""

    meeting: str  # a key for « distinct meetings answered about »
    region: str
    meeting_type: str
    round: str
    cooccurrence: str  # canonical « MT+PSM »
    role: str  # on_file | external_expert
    referrer: bool | None
    sector: str  # a sector code (grouped as Tableau 2 does here)
    meeting_date: date | None
    answers: Mapping[str, str | None]


@dataclass(frozen=True)
class Filters:
    """The report's filters; None means all. `start` and `end` are the API's `from` and `to`."""

    region: str | None = None
    start: date | None = None
    end: date | None = None
    meeting_type: str | None = None
    round: str | None = None

    @property
    def by_date(self) -> bool:
        return self.start is not None or self.end is not None

    def admits(self, item: Questionnaire) -> bool:
        """Whether `item` is in the selection. With a period, an undated meeting is out: it
        cannot be shown to fall in it."""
        if self.by_date:
            if item.meeting_date is None:
                return False
            if self.start is not None and item.meeting_date < self.start:
                return False
            if self.end is not None and item.meeting_date > self.end:
                return False
        return (
            self.region in (None, item.region)
            and self.meeting_type in (None, item.meeting_type)
            and self.round in (None, item.round)
        )


@dataclass(frozen=True)
class Dist:
    """The distribution of one item's answers over a set of questionnaires."""

    scale: tuple[str, ...]
    counts: Mapping[str, int]
    missing: int

    @property
    def n(self) -> int:
        """Valid answers."""
        return sum(self.counts.values())

    @property
    def pct(self) -> dict[str, float | None]:
        return {answer: percent(self.counts[answer], self.n) for answer in self.scale}

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "missing": self.missing,
            "counts": {answer: self.counts[answer] for answer in self.scale},
            "pct": self.pct,
        }


def _dist(scale: tuple[str, ...], counts: Counter[str | None]) -> Dist:
    """A distribution from a count per answer, None counting the missing ones."""
    return Dist(
        scale=scale, counts={answer: counts[answer] for answer in scale}, missing=counts[None]
    )


# A breakdown's groups, always all of them and in the report's order (a 0 row included, as
# Annexe C shows « 0 PC »), and their position in a `Tally` key.
_DIMENSIONS: dict[str, tuple[tuple[str, ...], int]] = {
    "by_sector": (SECTOR_GROUPS, 0),
    "by_cooccurrence": (COOCCURRENCE_GROUPS, 1),
    "by_role": (ROLES, 2),
}

# (sector group, co-occurrence, role) of a questionnaire, then one of its item's answers.
Key = tuple[str, str, str]
Joint = Mapping[tuple[Key, str | None], int]


@dataclass(frozen=True)
class Tally:
    """What every table of the report is computed from: for each item, the number of
    questionnaires per (sector group, co-occurrence, role) and answer (None: missing), the
    referrers among them and the distinct meetings. At most 6 × 7 × 2 × 5 counts per item
    whatever the number of questionnaires: queries.report_tally counts them in SQL, `from_rows`
    in Python (the reference it is checked against)."""

    joint: Mapping[str, Joint]
    referrers: int
    meetings: int

    @classmethod
    def from_rows(cls, questionnaires: list[Questionnaire]) -> Tally:
        keys = [(sector_group(q.sector), q.cooccurrence, q.role) for q in questionnaires]
        answers = [q.answers for q in questionnaires]
        return cls(
            joint={
                item: Counter(zip(keys, map(methodcaller("get", item), answers), strict=True))
                for item in ITEMS
            },
            referrers=sum(q.role == "on_file" and q.referrer is True for q in questionnaires),
            meetings=len({q.meeting for q in questionnaires}),
        )

    def participation(self, position: int) -> Counter[str]:
        """Questionnaires per sector group (0), co-occurrence (1) or role (2)."""
        counts: Counter[str] = Counter()
        for (key, _answer), count in self.joint[ITEMS[0]].items():
            counts[key[position]] += count
        return counts

    def total(self, item: str) -> Dist:
        counts: Counter[str | None] = Counter()
        for (_key, answer), count in self.joint[item].items():
            counts[answer] += count
        return _dist(SCALES[item], counts)

    def breakdown(self, item: str, dimension: str) -> dict[str, Dist]:
        groups, position = _DIMENSIONS[dimension]
        counts: dict[str, Counter[str | None]] = {group: Counter() for group in groups}
        for (key, answer), count in self.joint[item].items():
            counts[key[position]][answer] += count
        return {group: _dist(SCALES[item], counts[group]) for group in groups}


@dataclass(frozen=True)
class EvaluationReport:
    questionnaires: int
    meetings: int
    by_sector: dict[str, int]  # Tableau 2
    by_role: dict[str, int]  # Tableau 3: on_file, referrer (among on_file), external_expert
    items: dict[str, Dist]  # Tableaux 5, 6, 7 and the divergences
    breakdowns: dict[str, dict[str, dict[str, Dist]]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The shape of GET /api/v1/reports/evaluation."""
        items = {name: dist.as_json() for name, dist in self.items.items()}
        return {
            "questionnaires": self.questionnaires,
            "meetings": self.meetings,
            "participation": {"by_sector": self.by_sector, "by_role": self.by_role},
            "outcomes": {name: items[name] for name in ("security", "practice", "strategy")},
            "benefits": {name: items[name] for name in ("knowledge", "understanding", "partners")},
            "satisfaction": {f"s{number}": items[f"s{number}"] for number in range(1, 8)},
            "divergence": items["divergence"],
            "breakdowns": {
                item: {
                    dimension: {group: dist.as_json() for group, dist in groups.items()}
                    for dimension, groups in dimensions.items()
                }
                for item, dimensions in self.breakdowns.items()
            },
        }


def summarise(tally: Tally) -> EvaluationReport:
    """Every table of the report from its tally."""
    sectors, roles = tally.participation(0), tally.participation(2)
    return EvaluationReport(
        questionnaires=sum(sectors.values()),
        meetings=tally.meetings,
        by_sector={group: sectors[group] for group in SECTOR_GROUPS},
        by_role={
            "on_file": roles["on_file"],
            "referrer": tally.referrers,
            "external_expert": roles["external_expert"],
        },
        items={item: tally.total(item) for item in ITEMS},
        breakdowns={
            item: {dimension: tally.breakdown(item, dimension) for dimension in _DIMENSIONS}
            for item in BREAKDOWN_ITEMS
        },
    )


def compute(
    questionnaires: Iterable[Questionnaire], filters: Filters | None = None
) -> EvaluationReport:
    """The report over the questionnaires `filters` admits (all of them without filters)."""
    chosen = [item for item in questionnaires if filters is None or filters.admits(item)]
    return summarise(Tally.from_rows(chosen))
