"""From what a caseworker types to ranked, filtered, faceted results.

1. Fold and split the query; correct words missing from the index vocabulary (rapidfuzz).
2. Find thesaurus terms (longest first); each becomes a concept with its synonyms and sectors.
3. All concepts must match; when that finds fewer than a handful, any concept may match,
   ranked after. Organisation names close to the whole query (rapidfuzz) are added.
4. Filters, distance from `near`, a radius with a separate block of remote services, facets.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from whoosh import query as wq
from whoosh.searching import Searcher

from directory.geo import distance_km
from directory.search.analysis import stem_set, stems, words
from directory.search.postings import postings
from directory.search.schema import FACET_FIELDS, FIELD_BOOSTS, TEXT_FIELDS
from directory.search.thesaurus import Thesaurus
from directory.text import fold

MIN_STRICT_RESULTS = 5
UNVERIFIED_FACTOR = 0.92  # stale listings rank slightly lower, never hidden
SECTOR_BOOST = 2.0
NAME_MATCH_CUTOFF = 85
WORD_MATCH_CUTOFF = 80
MIN_CORRECTED_LENGTH = 4
CONCEPT_CACHE_SIZE = 256  # concepts whose matches are kept per index state
TERM_CACHE_SIZE = 4096  # (field, term) score maps kept per index state
BM25_K1 = 1.2
BM25_B = 0.75

Point = tuple[float, float]
Place = tuple[float, float, tuple[int, ...]]  # latitude, longitude, documents there


@dataclass(frozen=True)
class SearchRequest:
    """What to look for. `near` is an already resolved (latitude, longitude)."""

    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    near: Point | None = None
    radius_km: float | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Hit:
    payload: dict[str, Any]
    score: float
    distance_km: float | None
    highlights: list[str]


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    remote_hits: list[Hit]
    facets: dict[str, dict[str, int]]
    corrected_query: str | None


class _Generation:
    """What is worth computing once per index state: vocabularies and term → documents sets."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self._sets: dict[tuple[str, str], frozenset[int]] = {}
        self._payloads: dict[int, dict[str, Any]] = {}
        self._values: dict[str, list[str]] = {}
        self._matches: OrderedDict[str, dict[int, float]] = OrderedDict()
        self._terms: dict[tuple[str, str], dict[int, float]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._candidates: dict[int, list[str]] = {}

    @cached_property
    def vocabulary(self) -> list[str]:
        return [term.decode() for term in self.reader.lexicon("words")]

    @cached_property
    def vocabulary_set(self) -> frozenset[str]:
        return frozenset(self.vocabulary)

    @cached_property
    def names(self) -> list[str]:
        names = {term.decode() for term in self.reader.lexicon("name_exact")}
        names.update(term.decode() for term in self.reader.lexicon("acronym_exact"))
        return sorted(names)

    @cached_property
    def verified(self) -> frozenset[int]:
        column = self.reader.column_reader("verified")
        return frozenset(d for d in self.reader.all_doc_ids() if column[d] == 1)

    def documents(self, field_name: str, value: str) -> frozenset[int]:
        """Live documents whose `field_name` holds `value`."""
        key = (field_name, value)
        if key not in self._sets:
            if (field_name, value) in self.reader:
                postings = self.reader.postings(field_name, value).all_ids()
                self._sets[key] = frozenset(d for d in postings if not self.reader.is_deleted(d))
            else:
                self._sets[key] = frozenset()
        return self._sets[key]

    def values(self, field_name: str) -> list[str]:
        if field_name not in self._values:
            self._values[field_name] = [term.decode() for term in self.reader.lexicon(field_name)]
        return self._values[field_name]

    def correction_candidates(self, thesaurus: Thesaurus) -> list[str]:
        """Words a typo may be corrected to: the index vocabulary and the thesaurus."""
        key = id(thesaurus)
        if key not in self._candidates:
            self._candidates = {key: [*self.vocabulary, *sorted(thesaurus.vocabulary)]}
        return self._candidates[key]

    @cached_property
    def grid(self) -> dict[tuple[int, int], list[Place]]:
        """Every distinct place and the documents there, bucketed by cells of GRID_DEGREES.

        Many listings share a place (a municipality's centroid stands for confidential sites),
        so a distance is computed once per place, not once per document.
        """
        documents_at: dict[tuple[float, float], list[int]] = {}
        for docnum, fields in self.reader.iter_docs():
            for latitude, longitude in fields["payload"]["points"]:
                documents_at.setdefault((latitude, longitude), []).append(docnum)
        cells: dict[tuple[int, int], list[Place]] = {}
        for (latitude, longitude), docnums in documents_at.items():
            cell = (math.floor(latitude / GRID_DEGREES), math.floor(longitude / GRID_DEGREES))
            cells.setdefault(cell, []).append((latitude, longitude, tuple(docnums)))
        return cells

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
        if isinstance(query, wq.Term):
            scores = self.term_scores(query.fieldname, query.text)
        elif isinstance(query, wq.And | wq.Or):
            parts = [self._evaluate(sub) for sub in query.subqueries]
            scores = _combine(parts, every=isinstance(query, wq.And))
        else:  # anything else the planner may build later: let Whoosh score it
            scores = dict(self.searcher.search(query, limit=None).items())
        boost = getattr(query, "boost", 1.0)
        return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}

    def term_scores(self, field_name: str, text: str) -> dict[int, float]:
        """BM25 of one term in one field for every live document holding it."""
        key = (field_name, text)
        if key in self._terms:
            return self._terms[key]
        scores: dict[int, float] = {}
        if key in self.reader:
            scorable = self.reader.schema[field_name].scorable
            idf = self.searcher.idf(field_name, text)
            lengths = self.field_lengths(field_name) if scorable else []
            average = self.average_lengths.get(field_name) or 1.0
            deleted = self.deleted
            for offset, (ids, weights) in postings(self.reader, field_name, text):
                for local, weight in zip(ids, weights, strict=True):
                    docnum = local + offset
                    if docnum in deleted:
                        continue
                    if not scorable:
                        scores[docnum] = idf
                        continue
                    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[docnum] / average)
                    scores[docnum] = idf * weight * (BM25_K1 + 1) / (weight + norm)
        if len(self._terms) >= TERM_CACHE_SIZE:
            self._terms.clear()
        self._terms[key] = scores
        return scores

    @cached_property
    def deleted(self) -> frozenset[int]:
        if not self.reader.has_deletions():
            return frozenset()
        return frozenset(d for d in range(self.reader.doc_count_all()) if self.reader.is_deleted(d))

    @cached_property
    def average_lengths(self) -> dict[str, float]:
        documents = max(self.reader.doc_count_all(), 1)
        return {name: self.reader.field_length(name) / documents for name in TEXT_FIELDS}

    def field_lengths(self, field_name: str) -> list[int]:
        if field_name not in self._lengths:
            length = self.reader.doc_field_length
            self._lengths[field_name] = [
                length(d, field_name, 0) for d in range(self.reader.doc_count_all())
            ]
        return self._lengths[field_name]

    @cached_property
    def by_name(self) -> list[int]:
        """Live documents in name order, for browsing with filters only."""
        column = self.reader.column_reader("name_sort")
        return sorted(self.reader.all_doc_ids(), key=lambda docnum: column[docnum])

    def payload(self, docnum: int) -> dict[str, Any]:
        if docnum not in self._payloads:
            self._payloads[docnum] = self.reader.stored_fields(docnum)["payload"]
        return self._payloads[docnum]


# Keyed by the searcher itself (a strong reference): an id() could be reused by the next one.
_generations: dict[Searcher, _Generation] = {}


def _generation(searcher: Searcher) -> _Generation:
    generation = _generations.get(searcher)
    if generation is None:
        _generations.clear()  # one live generation per process is enough
        generation = _generations[searcher] = _Generation(searcher)
    return generation


def _correct(query_words: list[str], generation: _Generation, thesaurus: Thesaurus) -> list[str]:
    known = generation.vocabulary_set | thesaurus.vocabulary
    corrected = []
    for word in query_words:
        if word in known or len(word) < MIN_CORRECTED_LENGTH or word.isdigit():
            corrected.append(word)
            continue
        best = process.extractOne(
            word,
            generation.correction_candidates(thesaurus),
            scorer=fuzz.ratio,
            score_cutoff=WORD_MATCH_CUTOFF,
        )
        corrected.append(best[0] if best else word)
    return corrected


def _text_query(term_words: Sequence[str], boost: float = 1.0) -> wq.Query:
    """The words in any of `fields`; several words must all be in the same field.

    All words in one field rather than a phrase: phrase matching reads positions for every
    candidate document and was the main cost of broad queries (bench/search_bench.py).
    """
    term_stems = list(dict.fromkeys(stems(" ".join(term_words))))
    if not term_stems:
        return wq.NullQuery
    per_field = [
        wq.And([wq.Term(f, stem) for stem in term_stems], boost=FIELD_BOOSTS[f] * boost)
        if len(term_stems) > 1
        else wq.Term(f, term_stems[0], boost=FIELD_BOOSTS[f] * boost)
        for f in TEXT_FIELDS
    ]
    return wq.Or(per_field)


def _concepts(query_words: list[str], thesaurus: Thesaurus) -> list[wq.Query]:
    """One query per concept: a thesaurus term with its synonyms and sectors, or a plain word."""
    matches = thesaurus.matches(query_words)
    covered = {i for match in matches for i in range(match.start, match.end)}
    by_span: dict[tuple[int, int], list[wq.Query]] = {}
    for match in matches:
        alternatives = [_text_query(term) for term in match.group.terms]
        alternatives += [
            wq.Term("sector", code, boost=SECTOR_BOOST) for code in match.group.sectors
        ]
        # The words as typed weigh more than their synonyms.
        alternatives.append(_text_query(query_words[match.start : match.end], boost=1.5))
        by_span.setdefault((match.start, match.end), []).extend(alternatives)
    concepts = [wq.Or(alternatives) for alternatives in by_span.values()]
    concepts += [_text_query([w]) for i, w in enumerate(query_words) if i not in covered]
    return [concept for concept in concepts if concept is not wq.NullQuery]


def _name_matches(text: str, generation: _Generation) -> list[wq.Query]:
    folded = fold(text)
    if len(folded) < MIN_CORRECTED_LENGTH:
        return []
    found = process.extract(
        folded,
        generation.names,
        scorer=fuzz.token_set_ratio,
        score_cutoff=NAME_MATCH_CUTOFF,
        limit=5,
    )
    boosts = [(name, 6.0 * score / 100) for name, score, _ in found]
    return [
        wq.Or([wq.Term("name_exact", n, boost=b), wq.Term("acronym_exact", n, boost=b)])
        for n, b in boosts
    ]


@dataclass(frozen=True)
class _Plan:
    concepts: list[wq.Query]
    names: list[wq.Query]
    corrected: str | None


def plan(text: str, generation: _Generation, thesaurus: Thesaurus) -> _Plan | None:
    """The Whoosh queries for `text`, or None when it holds no searchable word."""
    typed = words(text)
    if not typed:
        return None
    corrected = _correct(typed, generation, thesaurus)
    concepts = _concepts(corrected, thesaurus)
    # Whole-name fuzzy matching helps when a word is unknown even after correction.
    unknown = any(word not in generation.vocabulary_set for word in corrected)
    names = _name_matches(text, generation) if unknown or not concepts else []
    if not concepts and not names:
        return None
    shown = " ".join(corrected) if corrected != typed else None
    return _Plan(concepts=concepts, names=names, corrected=shown)


def _allowed(generation: _Generation, request: SearchRequest) -> frozenset[int] | None:
    """Documents passing every filter, or None when there is no filter."""
    sets = [generation.documents(name, value) for name, value in request.filters.items() if value]
    if not sets:
        return None
    return frozenset.intersection(*sets)


def _combine(maps: list[dict[int, float]], *, every: bool) -> dict[int, float]:
    """Documents in every map (`every`) or in any, with their scores summed.

    Key-set operations and comprehensions: these maps hold thousands of documents on broad
    concepts, and per-document Python loops were a large share of a query.
    """
    maps = [m for m in maps if m] if not every else maps
    if not maps:
        return {}
    if len(maps) == 1:
        return maps[0]
    if every:
        smallest, *others = sorted(maps, key=len)
        common = smallest.keys() & others[0].keys()
        for other in others[1:]:
            common &= other.keys()
        if len(others) == 1:
            only = others[0]
            return {docnum: smallest[docnum] + only[docnum] for docnum in common}
        return {
            docnum: smallest[docnum] + sum(other[docnum] for other in others) for docnum in common
        }
    combined = dict(maps[0])
    for other in maps[1:]:
        get = combined.get
        combined.update({docnum: get(docnum, 0.0) + score for docnum, score in other.items()})
    return combined


# A candidate's place in the relevance order: (tier, then -score or name rank, docnum, score).
# Tuples compare in that order, so the first page needs no key function.
Ranked = dict[int, tuple[int, float, int, float]]


def _tiered(
    tiers: list[dict[int, float]], allowed: frozenset[int] | None, verified: frozenset[int]
) -> Ranked:
    """Loose matches (some concepts only) come after every strict one."""
    ranked: Ranked = {}
    for tier, scores in enumerate(tiers):
        fresh = scores.keys() - ranked.keys() if ranked else scores.keys()
        if allowed is not None:
            fresh = fresh & allowed
        for docnum in fresh:
            score = scores[docnum]
            adjusted = score if docnum in verified else score * UNVERIFIED_FACTOR
            ranked[docnum] = (tier, -adjusted, docnum, adjusted)
    return ranked


def _ranked(
    searcher: Searcher, request: SearchRequest, thesaurus: Thesaurus
) -> tuple[Ranked, str | None]:
    generation = _generation(searcher)
    allowed = _allowed(generation, request)
    query_plan = plan(request.text, generation, thesaurus) if request.text.strip() else None
    if query_plan is None:
        if request.text.strip():
            return {}, None
        by_name = generation.by_name
        return {
            d: (0, float(rank), d, 0.0)
            for rank, d in enumerate(by_name)
            if allowed is None or d in allowed
        }, None
    concepts = [generation.matches(concept) for concept in query_plan.concepts]
    names = _combine([generation.matches(name) for name in query_plan.names], every=False)
    tiers = [_combine([_combine(concepts, every=True), names], every=False)]
    if len(tiers[0]) < MIN_STRICT_RESULTS:
        tiers.append(_combine([*concepts, names], every=False))
    return _tiered(tiers, allowed, generation.verified), query_plan.corrected


EARTH_RADIUS_KM = 6371.0088
GRID_DEGREES = 0.5


def _haversine_km(origin: Point, latitude: float, longitude: float) -> float:
    """Great-circle distance: fast enough for every candidate, within 0.5 % of geodesic."""
    lat1, lon1, lat2, lon2 = map(math.radians, (origin[0], origin[1], latitude, longitude))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@lru_cache(maxsize=16_384)
def _geodesic_to(origin: Point, latitude: float, longitude: float) -> float:
    """Geodesic (geopy) distances are slow, and the hits of one search often share places."""
    return distance_km(origin, (latitude, longitude))


def _geodesic_km(origin: Point, points: list[list[float]]) -> float | None:
    """The distance shown to people: geodesic to the nearest of the listing's places."""
    if not points:
        return None
    return min(_geodesic_to(origin, lat, lon) for lat, lon in points)


def _near_distances(
    generation: _Generation, origin: Point, radius_km: float | None
) -> dict[int, float]:
    """Approximate distance of every document with a place, within `radius_km` when given."""
    found: dict[int, float] = {}
    for latitude, longitude, docnums in generation.points_near(origin, radius_km):
        km = _haversine_km(origin, latitude, longitude)
        if radius_km is not None and km > radius_km:
            continue
        for docnum in docnums:
            if km < found.get(docnum, math.inf):
                found[docnum] = km
    return found


def _highlights(payload: dict[str, Any], query_stems: set[str]) -> list[str]:
    parent = payload.get("parent") or {}
    keys = ("name", "acronym", "service_name", "municipality")
    candidates = [payload.get(key) or "" for key in keys] + [parent.get("name", "")]
    return [text for text in candidates if text and not query_stems.isdisjoint(stem_set(text))]


def _facets(generation: _Generation, docnums: AbstractSet[int]) -> dict[str, dict[str, int]]:
    """Counts per facet value among `docnums` (set intersections iterate the smaller side)."""
    hits = docnums if isinstance(docnums, set | frozenset) else set(docnums)
    facets: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        counts = {
            value: len(hits & generation.documents(name, value))
            for value in generation.values(name)
        }
        facets[name] = {value: count for value, count in sorted(counts.items()) if count}
    return facets


def _page(ranked: Ranked, near: dict[int, float] | None, start: int, count: int) -> list[int]:
    """Documents `start:count` in relevance order, or nearest first when `near` is given,
    without sorting them all (tuples compare in C: no key function per candidate)."""
    if near is None:
        return [entry[2] for entry in heapq.nsmallest(count, ranked.values())[start:]]
    # Nearest first; results without a known place last, by relevance.
    by_distance = (
        (docnum not in near, near.get(docnum, 0.0), -entry[3], docnum)
        for docnum, entry in ranked.items()
    )
    return [entry[3] for entry in heapq.nsmallest(count, by_distance)[start:]]


def execute(searcher: Searcher, request: SearchRequest, thesaurus: Thesaurus) -> SearchResult:
    """Run `request` against the index state `searcher` sees."""
    generation = _generation(searcher)
    ranked, corrected = _ranked(searcher, request, thesaurus)
    near: dict[int, float] | None = None
    remote: Ranked = {}
    if request.near is not None:
        near = _near_distances(generation, request.near, request.radius_km)
        if request.radius_km is not None:
            remote_set = generation.documents("remote", "t")
            remote = {d: v for d, v in ranked.items() if d not in near and d in remote_set}
            ranked = {d: v for d, v in ranked.items() if d in near}
    query_stems = set(stems(corrected or request.text))
    start = (request.page - 1) * request.per_page

    def hit(entry: tuple[int, float, int, float]) -> Hit:
        payload = generation.payload(entry[2])
        distance = _geodesic_km(request.near, payload["points"]) if request.near else None
        return Hit(payload, round(entry[3], 4), distance, _highlights(payload, query_stems))

    page = _page(
        ranked, near if request.sort == "distance" else None, start, start + request.per_page
    )
    return SearchResult(
        total=len(ranked),
        hits=[hit(ranked[d]) for d in page],
        remote_hits=[hit(entry) for entry in heapq.nsmallest(request.per_page, remote.values())],
        facets=_facets(generation, ranked.keys()),
        corrected_query=corrected,
    )
