"""What is kept per Whoosh segment across index updates.

An update adds a small segment and marks deletions; every per-index-state structure is then
rebuilt (generation.py). A segment never changes once written, so what is read from its
documents or its lexicons is kept by segment id, and only the new segment is read again.
Deletions are applied by the callers.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, TypeVar

from whoosh.reading import IndexReader

from directory.search.postings import segment_postings

SEGMENT_CACHE_SIZE = 4096  # (segment, what) entries kept per process

Point = tuple[float, float]
T = TypeVar("T")

_cache: dict[tuple[str, tuple[str, ...]], Any] = {}


def _kept(segment: IndexReader, what: tuple[str, ...], read: Callable[[], T]) -> T:
    found = segment.segment() if segment.is_atomic() else None
    if found is None:  # an empty index: nothing worth keeping
        return read()
    key = (found.segment_id(), what)
    kept = _cache.get(key)
    if kept is None:  # one lookup: another thread may clear the cache in between
        kept = read()
        if len(_cache) >= SEGMENT_CACHE_SIZE:
            _cache.clear()
        _cache[key] = kept
    return kept


Places = dict[Point, list[int]]
Served = dict[str, list[int]]


def places(segment: IndexReader) -> tuple[Places, Served]:
    """The segment's documents (deleted ones included) at each place, in docnum order, and
    the documents placed by the regions they serve (no site, no municipality) per region.
    Such a document is at its regions' centroids in the first map too."""

    def read() -> tuple[Places, Served]:
        found: Places = {}
        served: Served = {}
        for local in range(segment.doc_count_all()):
            payload = segment.stored_fields(local)["payload"]
            points = payload["points"] or list(payload.get("area_points", {}).values())
            for latitude, longitude in points:
                found.setdefault((latitude, longitude), []).append(local)
            if not payload["points"]:
                for code in payload.get("area_points", {}):
                    served.setdefault(code, []).append(local)
        return found, served

    return _kept(segment, ("places",), read)


def _lexicon(segment: IndexReader, field_name: str) -> frozenset[str]:
    return frozenset(term.decode() for term in segment.lexicon(field_name))


def _postings(segment: IndexReader, field_name: str, value: str) -> array[int]:
    return array("I", segment_postings(segment, field_name, value)[0])


def lexicon(reader: IndexReader, field_name: str) -> set[str]:
    """Every term of `field_name` in any segment (as Whoosh's merged lexicon gives them)."""
    terms: set[str] = set()
    for segment, _offset in reader.leaf_readers():
        terms |= _kept(
            segment,
            ("lexicon", field_name),
            partial(_lexicon, segment, field_name),
        )
    return terms


def documents(reader: IndexReader, field_name: str, value: str) -> Iterator[int]:
    """Documents (deleted ones included) whose `field_name` holds `value`: for the few values
    of filter and facet fields, read once per segment."""
    for segment, offset in reader.leaf_readers():
        ids = _kept(
            segment,
            ("documents", field_name, value),
            partial(_postings, segment, field_name, value),
        )
        for local in ids:
            yield local + offset
