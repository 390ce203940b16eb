"""Two fixes to whoosh-reloaded 2.7.5 (pinned).

1. Applied once when the search package loads (`apply`). When a segment's postings are
written, Whoosh asks for the length of every posting's field, and for fields without lengths
(IDs, keywords: nothing to normalise) its per-document reader looks for the missing length
column on disk again each time: one `stat` per posting, a quarter of an index build's time
(bench/search_bench.py). A segment's columns never change once written, so whether one
exists is remembered per reader.

2. During a rebuild only (`remembered_analysis`). Most field values repeat from one document
to the next (service names, places, sector and population labels, filter codes), and each
was analysed again: the postings of a value are remembered per field format and analyzer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from whoosh.analysis import Analyzer
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.formats import Frequency

_MARK = "_filet_remembers_columns"


def _remembering(has_column: Callable[[W3PerDocReader, str], bool]) -> Callable[..., bool]:
    def remembered(self: W3PerDocReader, fieldname: str) -> bool:
        known: dict[str, bool] = self.__dict__.setdefault("_filet_columns", {})
        if fieldname not in known:
            known[fieldname] = has_column(self, fieldname)
        return known[fieldname]

    setattr(remembered, _MARK, True)
    return remembered


def apply() -> None:
    if not getattr(W3PerDocReader.has_column, _MARK, False):
        W3PerDocReader.has_column = _remembering(W3PerDocReader.has_column)


REMEMBERED_VALUES = 50_000  # per field format, then forgotten all at once
WordValues = Callable[..., Iterator[tuple[str, int, float, bytes]]]
# Keyed by ids, holding the objects themselves: an id is not reused while its object lives.
_remembered: dict[tuple[int, int], tuple[Frequency, Analyzer, dict[str, tuple[Any, ...]]]] = {}


def _remembering_values(word_values: WordValues) -> WordValues:
    def remembered(
        self: Frequency, value: object, analyzer: Analyzer, **kwargs: object
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if kwargs != {"mode": "index"} or not isinstance(value, str):
            return word_values(self, value, analyzer, **kwargs)
        key = (id(self), id(analyzer))
        if key not in _remembered:
            _remembered[key] = (self, analyzer, {})
        values = _remembered[key][2]
        found = values.get(value)
        if found is None:
            if len(values) >= REMEMBERED_VALUES:
                values.clear()
            found = values[value] = tuple(word_values(self, value, analyzer, **kwargs))
        return iter(found)

    return remembered


@contextmanager
def remembered_analysis() -> Iterator[None]:
    """Remember analysed field values while a rebuild runs (the indexing processes forked
    during it inherit the behaviour)."""
    original = Frequency.word_values
    Frequency.word_values = _remembering_values(original)
    try:
        yield
    finally:
        Frequency.word_values = original
        _remembered.clear()
