"""What is computed once per index state (a searcher): vocabularies, document sets, places,
and BM25 score maps of terms and concepts, combined without Whoosh's matcher trees."""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import repeat
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from directory.search import segments
from directory.search.names import NameIndex
from directory.search.postings import deleted_documents, field_lengths, postings
from directory.search.ranking import combine
from directory.search.schema import TEXT_FIELDS
from directory.search.thesaurus import Thesaurus

CONCEPT_CACHE_SIZE = 256  # concepts whose matches are kept per index state
TERM_CACHE_SIZE = 4096  # (field, term, boost) score maps kept per index state
BM25_K1 = 1.2
BM25_B = 0.75
GRID_DEGREES = 0.5

Point = tuple[float, float]
Place = tuple[float, float, tuple[int, ...]]  # latitude, longitude, documents there


class Generation:
    """What is worth computing once per index state: vocabularies and term → documents sets."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self._sets: dict[tuple[str, str], frozenset[int]] = {}
        self._payloads: dict[int, dict[str, Any]] = {}
        self._values: dict[str, list[str]] = {}
        self._matches: OrderedDict[str, dict[int, float]] = OrderedDict()
        self._terms: dict[tuple[str, str, float], dict[int, float]] = {}
        self._norms: dict[str, list[float]] = {}
        self._bits: dict[tuple[str, str], int] = {}
        self._candidates: dict[int, list[str]] = {}

    @cached_property
    def vocabulary(self) -> list[str]:
        return sorted(segments.lexicon(self.reader, "words"))

    @cached_property
    def vocabulary_set(self) -> frozenset[str]:
        return frozenset(self.vocabulary)

    @cached_property
    def names(self) -> list[str]:
        names = segments.lexicon(self.reader, "name_exact")
        return sorted(names | segments.lexicon(self.reader, "acronym_exact"))

    @cached_property
    def name_index(self) -> NameIndex:
        return NameIndex.of(self.names)

    @cached_property
    def verified(self) -> frozenset[int]:
        found: set[int] = set()
        for segment, offset in self.reader.leaf_readers():
            if segment.has_column("verified"):
                column = segment.column_reader("verified")
                found.update(offset + local for local, value in enumerate(column) if value == 1)
        return frozenset(found - self.deleted)

    def documents(self, field_name: str, value: str) -> frozenset[int]:
        """Live documents whose `field_name` holds `value`."""
        key = (field_name, value)
        if key not in self._sets:
            found = frozenset(segments.documents(self.reader, field_name, value))
            self._sets[key] = found - self.deleted if self.deleted else found
        return self._sets[key]

    def values(self, field_name: str) -> list[str]:
        """The values of `field_name` that a live document holds (a deleted document's terms
        stay in the lexicon until its segment is merged: they are not offered)."""
        if field_name not in self._values:
            terms = (term.decode() for term in self.reader.lexicon(field_name))
            self._values[field_name] = [v for v in terms if self.documents(field_name, v)]
        return self._values[field_name]

    def correction_candidates(self, thesaurus: Thesaurus) -> list[str]:
        """Words a typo may be corrected to: the index vocabulary and the thesaurus."""
        key = id(thesaurus)
        if key not in self._candidates:
            extra = sorted(thesaurus.vocabulary - self.vocabulary_set)
            self._candidates = {key: [*self.vocabulary, *extra]}
        return self._candidates[key]

    @cached_property
    def grid(self) -> dict[tuple[int, int], list[Place]]:
        """Every distinct place and the documents there, bucketed by cells of GRID_DEGREES.

        Many listings share a place (a municipality's centroid stands for confidential sites),
        so a distance is computed once per place, not once per document.
        """
        documents_at: dict[Point, list[int]] = {}
        deleted = self.deleted
        for segment, offset in self.reader.leaf_readers():
            for point, locals_ in segments.places(segment)[0].items():
                docnums = [local + offset for local in locals_ if local + offset not in deleted]
                if docnums:
                    documents_at.setdefault(point, []).extend(docnums)
        cells: dict[tuple[int, int], list[Place]] = {}
        for (latitude, longitude), docnums in documents_at.items():
            cell = (math.floor(latitude / GRID_DEGREES), math.floor(longitude / GRID_DEGREES))
            cells.setdefault(cell, []).append((latitude, longitude, tuple(docnums)))
        return cells

    @cached_property
    def served(self) -> dict[str, frozenset[int]]:
        """Documents placed by the regions they serve (no site, no municipality), per region."""
        found: dict[str, set[int]] = {}
        deleted = self.deleted
        for segment, offset in self.reader.leaf_readers():
            for code, locals_ in segments.places(segment)[1].items():
                found.setdefault(code, set()).update(local + offset for local in locals_)
        return {code: frozenset(docnums - deleted) for code, docnums in found.items()}

    def points_near(self, origin: Point, radius_km: float | None) -> Iterator[Place]:
        """Candidate places: the grid cells a radius can reach, or all of them."""
        if radius_km is None:
            for entries in self.grid.values():
                yield from entries
            return
        lat_span = radius_km / 111.0 / GRID_DEGREES
        cos_lat = max(math.cos(math.radians(origin[0])), 0.01)
        lon_span = radius_km / (111.0 * cos_lat) / GRID_DEGREES
        row, col = origin[0] / GRID_DEGREES, origin[1] / GRID_DEGREES
        for r in range(math.floor(row - lat_span), math.floor(row + lat_span) + 1):
            for c in range(math.floor(col - lon_span), math.floor(col + lon_span) + 1):
                yield from self.grid.get((r, c), ())

    def matches(self, query: wq.Query) -> dict[int, float]:
        """Scored matches of one concept, cached: caseworkers repeat the same concepts."""
        key = repr(query)
        found = self._matches.get(key)
        if found is None:
            found = self._evaluate(query)
            if len(self._matches) >= CONCEPT_CACHE_SIZE:
                self._matches.pop(next(iter(self._matches)))
            self._matches[key] = found
        else:
            self._matches.move_to_end(key)
        return found

    def _evaluate(self, query: wq.Query) -> dict[int, float]:
        """Score the Or/And/Term trees the planner builds from cached term postings.

        Whoosh's matcher trees, pure Python too, cost tens of microseconds per document on
        broad concepts; combining cached per-term score maps is several times faster.
        """
        boost = getattr(query, "boost", 1.0)
        if isinstance(query, wq.Term):  # the boost is applied once, in the cached map
            return self.term_scores(query.fieldname, query.text, boost)
        if isinstance(query, wq.And | wq.Or):
            parts = [self._evaluate(sub) for sub in query.subqueries]
            scores = combine(parts, every=isinstance(query, wq.And))
        else:  # anything else the planner may build later: let Whoosh score it
            scores = dict(self.searcher.search(query, limit=None).items())
        return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}

    def term_scores(self, field_name: str, text: str, boost: float = 1.0) -> dict[int, float]:
        """BM25 of one term in one field, times `boost`, for every live document holding it."""
        key = (field_name, text, boost)
        if key not in self._terms:
            if boost == 1.0:
                scores = self._bm25(field_name, text)
            else:
                scores = {d: s * boost for d, s in self.term_scores(field_name, text).items()}
            if len(self._terms) >= TERM_CACHE_SIZE:
                self._terms.clear()
            self._terms[key] = scores
        return self._terms[key]

    def _bm25(self, field_name: str, text: str) -> dict[int, float]:
        scores: dict[int, float] = {}
        if (field_name, text) not in self.reader:
            return scores
        idf = self.searcher.idf(field_name, text)
        scorable = self.reader.schema[field_name].scorable
        norms = self.norms(field_name) if scorable else []
        for offset, (ids, weights) in postings(self.reader, field_name, text):
            if not scorable:
                scores.update(dict.fromkeys((local + offset for local in ids), idf))
                continue
            scores.update(
                {
                    local + offset: idf * weight * (BM25_K1 + 1) / (weight + norms[local + offset])
                    for local, weight in zip(ids, weights, strict=True)
                }
            )
        deleted = self.deleted
        if deleted and not deleted.isdisjoint(scores):
            scores = {d: s for d, s in scores.items() if d not in deleted}
        return scores

    @cached_property
    def deleted(self) -> frozenset[int]:
        return deleted_documents(self.reader)

    @cached_property
    def average_lengths(self) -> dict[str, float]:
        documents = max(self.reader.doc_count_all(), 1)
        return {name: self.reader.field_length(name) / documents for name in TEXT_FIELDS}

    def norms(self, field_name: str) -> list[float]:
        """BM25's length normalisation of every document for `field_name`."""
        if field_name not in self._norms:
            average = self.average_lengths.get(field_name) or 1.0
            self._norms[field_name] = [
                BM25_K1 * (1 - BM25_B + BM25_B * length / average)
                for length in field_lengths(self.reader, field_name)
            ]
        return self._norms[field_name]

    @cached_property
    def by_name(self) -> dict[int, tuple[int, int, float, int, float]]:
        """Live documents in name order, as relevance entries, for browsing without text."""
        column = self.reader.column_reader("name_sort")
        ordered = sorted(self.reader.all_doc_ids(), key=lambda docnum: column[docnum])
        return {docnum: (0, 0, float(rank), docnum, 0.0) for rank, docnum in enumerate(ordered)}

    def bits(self, docnums: Iterable[int]) -> int:
        """`docnums` as an integer with bit 8 × docnum set: a set whose intersection with
        another is counted in C (a byte per document, set without a Python loop)."""
        mask = bytearray(self.reader.doc_count_all())
        deque(map(mask.__setitem__, docnums, repeat(1)), maxlen=0)
        return int.from_bytes(mask, "little")

    def facet_bits(self, field_name: str, value: str) -> int:
        key = (field_name, value)
        if key not in self._bits:
            self._bits[key] = self.bits(self.documents(field_name, value))
        return self._bits[key]

    def payload(self, docnum: int) -> dict[str, Any]:
        if docnum not in self._payloads:
            self._payloads[docnum] = self.reader.stored_fields(docnum)["payload"]
        return self._payloads[docnum]


# Keyed by the searcher itself (a strong reference): an id() could be reused by the next one.
_generations: dict[Searcher, Generation] = {}


def generation_for(searcher: Searcher) -> Generation:
    generation = _generations.get(searcher)
    if generation is None:
        _generations.clear()  # one live generation per process is enough
        generation = _generations[searcher] = Generation(searcher)
    return generation
