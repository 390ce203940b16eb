"""Run a search on the Whoosh index: the plan (`planner`) becomes Whoosh queries scored on
cached postings (`generation`), then tiers and order (`ranking`), filters, distances with
their basis (`distance`), a radius with a block of remote services and, when it empties
the list, the nearest results; facets, and the notices a person needs to read the list
right (partial matches, a place without a match, a need outside the directory's scope).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from whoosh import query as wq
from whoosh.searching import Searcher

from directory.search import distance, ranking
from directory.search.analysis import stem_set, stems
from directory.search.documents import UNKNOWN
from directory.search.generation import Generation, Point, combine, generation_for
from directory.search.places import PlaceIndex
from directory.search.planner import OUT_OF_SCOPE, Concept, QueryPlan, Vocabulary, plan
from directory.search.schema import FACET_FIELDS, FIELD_BOOSTS, TEXT_FIELDS
from directory.search.thesaurus import Thesaurus
from directory.text import fold

SECTOR_BOOST = 2.0
TYPED_BOOST = 1.5  # the words as typed weigh more than their synonyms
NAME_MATCH_CUTOFF = 85
MIN_NAME_LENGTH = 4
NEAREST_SHOWN = 5  # results shown when a radius leaves none
# Filters a service that states nothing still passes (after those that state the value).
OPEN_FILTERS = ("language", "mode")
# Facets of results holding at least 1/FACET_BITS_SHARE of the index are counted on bitsets.
FACET_BITS_SHARE = 64


@dataclass(frozen=True)
class SearchRequest:
    """What to look for. `near` is an already resolved (latitude, longitude) in `near_region`."""

    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    near: Point | None = None
    radius_km: float | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    near_region: str | None = None
    near_label: str | None = None


@dataclass(frozen=True)
class Hit:
    payload: dict[str, Any]
    score: float
    distance_km: float | None
    highlights: list[str]
    distance_basis: str | None = None  # "site", "municipality", "region" or None
    match: str = "all"  # "all" or "partial"
    unstated: tuple[str, ...] = ()  # filters (language, mode) passed by stating nothing


@dataclass(frozen=True)
class Notice:
    """Something the list's reader must know. Codes: `partial` (some results do not match
    every word), `place_without_match` (nothing at the place named in the query), `out_of_scope`
    (a need the directory does not cover: 211), `radius_empty` (nothing within the radius:
    the nearest are shown), `beyond_radius` (`count` results lie outside the radius)."""

    code: str
    place: str | None = None
    count: int | None = None
    terms: tuple[str, ...] = ()
    radius_km: float | None = None


@dataclass(frozen=True)
class Origin:
    """Where distances are measured from: `near`, else a place named in the query."""

    label: str
    point: Point
    region_code: str | None
    source: str  # "near" or "query"


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    remote_hits: list[Hit]
    facets: dict[str, dict[str, int]]
    corrected_query: str | None
    notices: list[Notice] = field(default_factory=list)
    nearest_hits: list[Hit] = field(default_factory=list)
    origin: Origin | None = None

    def notice(self, code: str) -> Notice | None:
        return next((notice for notice in self.notices if notice.code == code), None)


# --- Plan → Whoosh queries ----------------------------------------------------------------


def _text_query(term_words: Sequence[str], boost: float = 1.0) -> wq.Query:
    """The words in any text field; several words must all be in the same field.

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


def concept_query(concept: Concept) -> wq.Query:
    """A thesaurus concept matches any synonym or sector; out-of-scope ones only as typed."""
    if concept.kind == OUT_OF_SCOPE or not concept.from_thesaurus:
        return _text_query(concept.typed)
    alternatives = [_text_query(term) for term in concept.terms]
    alternatives += [wq.Term("sector", code, boost=SECTOR_BOOST) for code in concept.sectors]
    alternatives.append(_text_query(concept.typed, boost=TYPED_BOOST))
    return wq.Or([query for query in alternatives if query is not wq.NullQuery])


def _name_matches(text: str, generation: Generation) -> list[wq.Query]:
    folded = fold(text)
    if len(folded) < MIN_NAME_LENGTH:
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


# --- Filters, order ---------------------------------------------------------------------------


def _filtered(
    generation: Generation, request: SearchRequest
) -> tuple[frozenset[int] | None, frozenset[int]]:
    """Documents passing every filter (None without filters), and those that pass a language
    or mode filter only because they state no language or mode (listed after the others)."""
    sets, unknown = [], frozenset[int]()
    for name, value in request.filters.items():
        stated = generation.documents(name, value)
        if name in OPEN_FILTERS:
            silent = generation.documents(name, UNKNOWN)
            unknown |= silent
            stated |= silent
        sets.append(stated)
    if not sets:
        return None, frozenset()
    allowed = frozenset.intersection(*sets)
    return allowed, unknown & allowed


def _ordering(
    generation: Generation,
    query_plan: QueryPlan,
    unknown: frozenset[int],
    relaxed_km: dict[int, float] | None,
) -> ranking.Ordering:
    """Victims first unless the query names the author; then authors first. A service for
    both sides (VCF and VCH) counts as a victims' service unless the author is named."""
    authors = generation.documents("sector", "VCH")
    if not query_plan.names_author:
        authors -= generation.documents("sector", "VCF")
    return ranking.Ordering(
        generation.verified, authors, query_plan.names_author, unknown, relaxed_km
    )


def _origin(request: SearchRequest, query_plan: QueryPlan | None) -> Origin | None:
    if request.near is not None:
        label = request.near_label or ""
        return Origin(label, request.near, request.near_region, "near")
    if query_plan is not None and query_plan.places:
        place = query_plan.places[0]
        return Origin(place.label, place.point, place.region_code, "query")
    return None


@dataclass(frozen=True)
class _Ranked:
    entries: ranking.Ranked
    plan: QueryPlan | None
    unknown: frozenset[int]


def _ranked(generation: Generation, request: SearchRequest, context: SearchContext) -> _Ranked:
    allowed, unknown = _filtered(generation, request)
    text = request.text.strip()
    query_plan = plan(text, **context.planning(generation)) if text else None
    if query_plan is None:
        entries = {} if text else ranking.browsing(generation.by_name, allowed, unknown)
        return _Ranked(entries, query_plan, unknown)
    concepts = [generation.matches(concept_query(c)) for c in query_plan.concepts]
    names: dict[int, float] = {}
    only_out_of_scope = query_plan.out_of_scope and not query_plan.needs
    if (query_plan.fuzzy_names or not query_plan.concepts) and not only_out_of_scope:
        names = combine(
            [generation.matches(q) for q in _name_matches(text, generation)], every=False
        )
    found = ranking.tiers(query_plan, concepts, names, allowed)
    relaxed_km = None
    if query_plan.places and any(tier == ranking.RELAXED for tier, _ in found):
        place = query_plan.places[0]
        relaxed_km = distance.approximate(generation, place.point, place.region_code)
    ordering = _ordering(generation, query_plan, unknown, relaxed_km)
    return _Ranked(ranking.ranked(found, ordering), query_plan, unknown)


@dataclass(frozen=True)
class SearchContext:
    """What a search needs besides the index: the thesaurus and the places a query can name."""

    thesaurus: Thesaurus
    places: PlaceIndex

    def planning(self, generation: Generation) -> dict[str, Any]:
        vocabulary = Vocabulary(
            words=generation.vocabulary_set,
            candidates=generation.correction_candidates(self.thesaurus),
        )
        return {"vocabulary": vocabulary, "thesaurus": self.thesaurus, "places": self.places}


# --- Results ------------------------------------------------------------------------------------


def _highlights(payload: dict[str, Any], query_stems: set[str]) -> list[str]:
    parent = payload.get("parent") or {}
    keys = ("name", "acronym", "service_name", "municipality")
    candidates = [payload.get(key) or "" for key in keys] + [parent.get("name", "")]
    return [text for text in candidates if text and not query_stems.isdisjoint(stem_set(text))]


def _facets(generation: Generation, docnums: AbstractSet[int]) -> dict[str, dict[str, int]]:
    """Counts per facet value among `docnums`: on bitsets for many results (one C operation
    per value), else by set intersections (which iterate the smaller side). Language and mode
    count the services that state none as "unknown" (last)."""
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
        facets[name] = {
            value: n
            for value, n in sorted(counts.items(), key=lambda item: (item[0] == UNKNOWN, item[0]))
            if n
        }
    return facets


def _distance_order(ranked: ranking.Ranked, near: dict[int, float]) -> Iterable[tuple[Any, ...]]:
    """Tier and side first, then nearest first; results without a known place last."""
    return (
        (entry[0], entry[1], docnum not in near, near.get(docnum, 0.0), -entry[4], docnum)
        for docnum, entry in ranked.items()
    )


def _page(
    ranked: ranking.Ranked, near: dict[int, float] | None, start: int, count: int
) -> list[int]:
    """Documents `start:count` in relevance order, or nearest first when `near` is given,
    without sorting them all (tuples compare in C: no key function per candidate)."""
    if near is None:
        return [entry[3] for entry in heapq.nsmallest(count, ranked.values())[start:]]
    return [entry[-1] for entry in heapq.nsmallest(count, _distance_order(ranked, near))[start:]]


@dataclass
class _Radius:
    """What a radius keeps, what it leaves out, and the nearest of those when it keeps none."""

    inside: ranking.Ranked
    remote: ranking.Ranked
    nearest: list[int]
    outside: int


def _within(
    generation: Generation,
    ranked: ranking.Ranked,
    near: dict[int, float],
    radius_km: float,
    origin: Origin,
) -> _Radius:
    """`near` holds the distances within the radius."""
    inside = {d: e for d, e in ranked.items() if near.get(d, math.inf) <= radius_km}
    outside = ranked.keys() - inside.keys()
    remote = {d: ranked[d] for d in outside & generation.documents("remote", "t")}
    nearest: list[int] = []
    if not inside:  # the remote block already shows the services reachable from a distance
        everywhere = distance.approximate(generation, origin.point, origin.region_code)
        placed = [(everywhere[d], d) for d in outside - remote.keys() if d in everywhere]
        nearest = [d for _km, d in heapq.nsmallest(NEAREST_SHOWN, placed)]
    return _Radius(inside, remote, nearest, len(outside))


def _notices(
    entries: ranking.Ranked,
    query_plan: QueryPlan | None,
    radius: _Radius | None,
    where: tuple[Origin | None, float | None],
) -> list[Notice]:
    notices = []
    if query_plan is not None and query_plan.out_of_scope:
        terms = tuple(concept.shown for concept in query_plan.out_of_scope)
        notices.append(Notice("out_of_scope", terms=terms))
    partial = sum(1 for entry in entries.values() if entry[0] != ranking.FULL)
    if query_plan is not None and query_plan.places and partial == len(entries):
        notices.append(
            Notice("place_without_match", place=query_plan.places[0].label, count=partial)
        )
    if partial:
        notices.append(Notice("partial", count=partial))
    origin, radius_km = where
    if radius is not None and radius.outside and origin is not None:
        code = "radius_empty" if not radius.inside else "beyond_radius"
        notices.append(Notice(code, origin.label, radius.outside, radius_km=radius_km))
    return notices


def execute(searcher: Searcher, request: SearchRequest, context: SearchContext) -> SearchResult:
    """Run `request` against the index state `searcher` sees."""
    generation = generation_for(searcher)
    found = _ranked(generation, request, context)
    ranked = found.entries
    origin = _origin(request, found.plan)
    near = None
    if origin is not None:  # within the radius only: most places are then never measured
        near = distance.approximate(generation, origin.point, origin.region_code, request.radius_km)
    radius = None
    if near is not None and origin is not None and request.radius_km is not None:
        radius = _within(generation, ranked, near, request.radius_km, origin)
        ranked = radius.inside
    query_stems = set(stems(found.plan.corrected or request.text)) if found.plan else set()

    def hit(docnum: int, entry: ranking.Entry) -> Hit:
        payload = generation.payload(docnum)
        km, basis = (
            distance.shown(payload, origin.point, origin.region_code) if origin else (None, None)
        )
        unstated = tuple(
            n for n in OPEN_FILTERS if n in request.filters and docnum in found.unknown
        )
        return Hit(
            payload,
            round(entry[4], 4),
            km,
            _highlights(payload, query_stems),
            basis,
            ranking.match_of(entry),
            unstated,
        )

    start = (request.page - 1) * request.per_page
    by_distance = near if request.sort == "distance" else None
    page = _page(ranked, by_distance, start, start + request.per_page)
    remote = radius.remote if radius else {}
    return SearchResult(
        total=len(ranked),
        hits=[hit(d, ranked[d]) for d in page],
        remote_hits=[hit(e[3], e) for e in heapq.nsmallest(request.per_page, remote.values())],
        facets=_facets(generation, ranked.keys()),
        corrected_query=found.plan.corrected if found.plan else None,
        notices=_notices(ranked, found.plan, radius, (origin, request.radius_km)),
        nearest_hits=[hit(d, found.entries[d]) for d in (radius.nearest if radius else [])],
        origin=origin,
    )
