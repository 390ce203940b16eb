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
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from whoosh import query as wq
from whoosh.searching import Searcher

from directory.geo import distance_km
from directory.search.analysis import stem_set, stems, words
from directory.search.generation import Generation, Point, combine, generation_for
from directory.search.schema import FACET_FIELDS, FIELD_BOOSTS, TEXT_FIELDS
from directory.search.thesaurus import Thesaurus
from directory.text import fold

MIN_STRICT_RESULTS = 5
UNVERIFIED_FACTOR = 0.92  # stale listings rank slightly lower, never hidden
SECTOR_BOOST = 2.0
NAME_MATCH_CUTOFF = 85
WORD_MATCH_CUTOFF = 80
MIN_CORRECTED_LENGTH = 4
# Facets of results holding at least 1/FACET_BITS_SHARE of the index are counted on bitsets.
FACET_BITS_SHARE = 64


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


def _correct(query_words: list[str], generation: Generation, thesaurus: Thesaurus) -> list[str]:
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


def _name_matches(text: str, generation: Generation) -> list[wq.Query]:
    folded = fold(text)
    if len(folded) < MIN_CORRECTED_LENGTH:
        return []
    found = process.extract(
        folded,
        generation.name_index.candidates(folded, NAME_MATCH_CUTOFF),
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


def plan(text: str, generation: Generation, thesaurus: Thesaurus) -> _Plan | None:
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


def _allowed(generation: Generation, request: SearchRequest) -> frozenset[int] | None:
    """Documents passing every filter, or None when there is no filter."""
    sets = [generation.documents(name, value) for name, value in request.filters.items() if value]
    if not sets:
        return None
    return frozenset.intersection(*sets)


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
        adjusted = {docnum: scores[docnum] for docnum in fresh & verified}
        adjusted.update({d: scores[d] * UNVERIFIED_FACTOR for d in fresh - verified})
        ranked.update({d: (tier, -score, d, score) for d, score in adjusted.items()})
    return ranked


def _ranked(
    searcher: Searcher, request: SearchRequest, thesaurus: Thesaurus
) -> tuple[Ranked, str | None]:
    generation = generation_for(searcher)
    allowed = _allowed(generation, request)
    query_plan = plan(request.text, generation, thesaurus) if request.text.strip() else None
    if query_plan is None:
        if request.text.strip():
            return {}, None
        by_name = generation.by_name
        if allowed is None:
            return dict(by_name), None
        return {docnum: by_name[docnum] for docnum in allowed}, None
    concepts = [generation.matches(concept) for concept in query_plan.concepts]
    names = combine([generation.matches(name) for name in query_plan.names], every=False)
    tiers = [combine([combine(concepts, every=True), names], every=False)]
    if len(tiers[0]) < MIN_STRICT_RESULTS:
        tiers.append(combine([*concepts, names], every=False))
    return _tiered(tiers, allowed, generation.verified), query_plan.corrected


EARTH_RADIUS_KM = 6371.0088


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
    generation: Generation, origin: Point, radius_km: float | None
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


def _facets(generation: Generation, docnums: AbstractSet[int]) -> dict[str, dict[str, int]]:
    """Counts per facet value among `docnums`: on bitsets for many results (one C operation
    per value), else by set intersections (which iterate the smaller side)."""
    if len(docnums) * FACET_BITS_SHARE >= generation.reader.doc_count_all():
        bits = generation.bits(docnums)

        def count(name: str, value: str) -> int:
            return (bits & generation.facet_bits(name, value)).bit_count()

    else:
        hits = docnums if isinstance(docnums, set | frozenset) else set(docnums)

        def count(name: str, value: str) -> int:
            return len(hits & generation.documents(name, value))

    facets: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        counts = {value: count(name, value) for value in generation.values(name)}
        facets[name] = {value: n for value, n in sorted(counts.items()) if n}
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
    generation = generation_for(searcher)
    ranked, corrected = _ranked(searcher, request, thesaurus)
    near: dict[int, float] | None = None
    remote: Ranked = {}
    if request.near is not None:
        near = _near_distances(generation, request.near, request.radius_km)
        if request.radius_km is not None:
            inside = ranked.keys() & near.keys()
            outside = (ranked.keys() & generation.documents("remote", "t")) - inside
            remote = {docnum: ranked[docnum] for docnum in outside}
            ranked = {docnum: ranked[docnum] for docnum in inside}
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
