"""One fix to whoosh-reloaded 2.7.5 (pinned), applied once when the search package loads.

When a segment's postings are written, Whoosh asks for the length of every posting's field,
and for fields without lengths (IDs, keywords: nothing to normalise) its per-document reader
looks for the missing length column on disk again each time: one `stat` per posting, a
quarter of an index build's time (bench/search_bench.py). A segment's columns never change
once written, so whether one exists is remembered per reader.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.codec.whoosh3 import W3PerDocReader

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
        W3PerDocReader.has_column = _remembering(W3PerDocReader.has_column)  # type: ignore[method-assign]
