"""Run a search on any backend: the plan (`planner`), tiers and order (`ranking`), filters,
distances with their basis (`distance`), a radius with a block of remote services and, when
it empties the list, the nearest results; facets, and the notices a person needs to read the
list right (partial matches, a place without a match, a need outside the directory's scope).

A backend only retrieves and scores (`Retrieval`): the Whoosh index (`query.py`) or the
PostgreSQL search tables (`pg_query.py`). Everything else here is shared, so both answer in
the same shape, by the same rules.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

from directory.search import distance, ranking
from directory.search.analysis import stem_set, stems, word_spans
from directory.search.documents import FACET_FIELDS, UNKNOWN
from directory.search.names import MIN_NAME_LENGTH, close_names
from directory.search.places import PlaceIndex
from directory.search.planner import Concept, QueryPlan, Vocabulary, plan
from directory.search.results import Hit, Notice, Origin, Point, SearchRequest, SearchResult
from directory.search.thesaurus import Thesaurus
from directory.text import fold

NEAREST_SHOWN = 5  # results shown when a radius leaves none
# Filters a service that states nothing still passes (after those that state the value).
OPEN_FILTERS = ("language", "mode")


@dataclass(frozen=True)
class Where:
    """A point distances are measured from, its region, and the radius that bounds them."""

    point: Point
    region_code: str | None
    radius_km: float | None = None


@dataclass(frozen=True)
class Retrieve:
    """What a backend retrieves for one search: the documents matching any concept of the
    plan or any close organisation name, passing every filter."""

    concepts: tuple[Concept, ...]
    names: tuple[tuple[str, float], ...]  # close organisation names and their boosts
    filters: Mapping[str, str]
    origin: Where | None = None


class FlagSets(TypedDict):
    """The flagged documents a backend passes to `Candidates` as keyword arguments."""

    verified: AbstractSet[int]
    victims: AbstractSet[int]
    authors: AbstractSet[int]
    unknown: AbstractSet[int]
    remote: AbstractSet[int]


@dataclass
class Candidates:
    """Documents a backend found, and what the ranking needs to know about them.

    The sets may hold other documents too (the Whoosh backend hands whole-index sets, which
    it has at hand): only their intersection with the candidates is read.
    """

    concepts: list[ranking.Scores]  # one score map per concept of the plan
    names: ranking.Scores  # whole-name matches
    verified: AbstractSet[int]
    victims: AbstractSet[int]  # services for the victims' side (VCF)
    authors: AbstractSet[int]  # services for the authors of violence (VCH)
    unknown: AbstractSet[int]  # pass a language or mode filter by stating nothing
    remote: AbstractSet[int]  # reachable by phone, video or chat
    km: dict[int, float] | None = None  # from the origin (within its radius, when it has one)
    allowed: AbstractSet[int] | None = None  # passing the filters, when not applied already
    by_name: ranking.Ranked = field(default_factory=dict)  # browsing: in name order


class Retrieval(Protocol):
    """What a backend does for one search, on one consistent state of its index."""

    def vocabulary(self, words: Sequence[str], thesaurus: Thesaurus) -> Vocabulary:
        """The index vocabulary as far as `words` (the query's) need it: which of them it
        holds, and the candidates a typo among them may be corrected to."""
        ...

    def name_candidates(self, folded: str) -> Sequence[str]:
        """Organisation names (folded) and acronyms that may be close to `folded`."""
        ...

    def candidates(self, query: Retrieve) -> Candidates:
        """The documents matching `query`, with their scores."""
        ...

    def browse(self, filters: Mapping[str, str], origin: Where | None) -> Candidates:
        """Every document passing the filters, in name order (`by_name`)."""
        ...

    def distances(self, where: Where, docnums: Collection[int]) -> dict[int, float]:
        """Approximate distances from `where` of (at least) `docnums` that are placed."""
        ...

    def facets(self, docnums: Collection[int]) -> dict[str, dict[str, int]]:
        """Counts per facet value among `docnums` (FACET_FIELDS; zeros left out; "unknown"
        last, the others in code order)."""
        ...

    def payloads(self, docnums: Iterable[int]) -> dict[int, dict[str, Any]]:
        """What each result shows, as stored with its document."""
        ...


@dataclass(frozen=True)
class SearchContext:
    """What a search needs besides the index: the thesaurus and the places a query can name."""

    thesaurus: Thesaurus
    places: PlaceIndex


def sorted_facets(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Every facet field, its values in code order ("unknown" last), zeros left out."""
    return {
        name: {
            value: count
            for value, count in sorted(
                counts.get(name, {}).items(), key=lambda item: (item[0] == UNKNOWN, item[0])
            )
            if count
        }
        for name in FACET_FIELDS
    }


# --- Ranking ---------------------------------------------------------------------------------


def _origin(request: SearchRequest, query_plan: QueryPlan | None) -> Origin | None:
    if request.near is not None:
        label = request.near_label or ""
        return Origin(label, request.near, request.near_region, "near")
    if query_plan is not None and query_plan.places:
        place = query_plan.places[0]
        return Origin(place.label, place.point, place.region_code, "query")
    return None


def _where(origin: Origin | None, radius_km: float | None) -> Where | None:
    return None if origin is None else Where(origin.point, origin.region_code, radius_km)


@dataclass(frozen=True)
class _Ranked:
    entries: ranking.Ranked
    plan: QueryPlan | None
    candidates: Candidates | None


def _planned(retrieval: Retrieval, text: str, context: SearchContext) -> QueryPlan | None:
    typed = [word for word, _start, _end in word_spans(text)]
    vocabulary = retrieval.vocabulary(typed, context.thesaurus)
    return plan(text, vocabulary=vocabulary, thesaurus=context.thesaurus, places=context.places)


def _names(retrieval: Retrieval, text: str, query_plan: QueryPlan) -> tuple[tuple[str, float], ...]:
    """Organisation names close to the whole query, when a word is unknown (or no concept)."""
    only_out_of_scope = query_plan.out_of_scope and not query_plan.needs
    folded = fold(text)
    if only_out_of_scope or len(folded) < MIN_NAME_LENGTH:
        return ()
    if not (query_plan.fuzzy_names or not query_plan.concepts):
        return ()
    return tuple(close_names(folded, retrieval.name_candidates(folded)))


def _ordering(
    retrieval: Retrieval,
    query_plan: QueryPlan,
    found: list[tuple[int, ranking.Scores]],
    candidates: Candidates,
) -> ranking.Ordering:
    """Victims first unless the query names the author; then authors first. A service for
    both sides (VCF and VCH) counts as a victims' service unless the author is named. The
    partial tier of a query naming a place is ordered nearest to that place first."""
    authors = candidates.authors
    if not query_plan.names_author:
        authors = authors - candidates.victims
    relaxed_km = None
    relaxed = [scores for tier, scores in found if tier == ranking.RELAXED]
    if query_plan.places and relaxed:
        place = query_plan.places[0]
        relaxed_km = retrieval.distances(Where(place.point, place.region_code), relaxed[0].keys())
    return ranking.Ordering(
        candidates.verified, authors, query_plan.names_author, candidates.unknown, relaxed_km
    )


def _ranked(retrieval: Retrieval, request: SearchRequest, context: SearchContext) -> _Ranked:
    text = request.text.strip()
    query_plan = _planned(retrieval, text, context) if text else None
    if query_plan is None:
        if text:  # nothing searchable in it (only stop words or punctuation)
            return _Ranked({}, None, None)
        where = _where(_origin(request, None), request.radius_km)
        found = retrieval.browse(request.filters, where)
        entries = ranking.browsing(found.by_name, found.allowed, found.unknown)
        return _Ranked(entries, None, found)
    origin = _origin(request, query_plan)
    query = Retrieve(
        concepts=query_plan.concepts,
        names=_names(retrieval, text, query_plan),
        filters=request.filters,
        origin=_where(origin, request.radius_km),
    )
    candidates = retrieval.candidates(query)
    tiers = ranking.tiers(query_plan, candidates.concepts, candidates.names, candidates.allowed)
    ordering = _ordering(retrieval, query_plan, tiers, candidates)
    return _Ranked(ranking.ranked(tiers, ordering), query_plan, candidates)


# --- Results ------------------------------------------------------------------------------------


def _highlights(payload: dict[str, Any], query_stems: set[str]) -> list[str]:
    parent = payload.get("parent") or {}
    keys = ("name", "acronym", "service_name", "municipality")
    texts = [payload.get(key) or "" for key in keys] + [parent.get("name", "")]
    return [text for text in texts if text and not query_stems.isdisjoint(stem_set(text))]


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
    retrieval: Retrieval,
    ranked: ranking.Ranked,
    found: Candidates,
    radius_km: float,
    origin: Origin,
) -> _Radius:
    """`found.km` holds the distances within the radius."""
    near = found.km or {}
    inside = {d: e for d, e in ranked.items() if near.get(d, math.inf) <= radius_km}
    outside = ranked.keys() - inside.keys()
    remote = {d: ranked[d] for d in outside & found.remote}
    nearest: list[int] = []
    if not inside:  # the remote block already shows the services reachable from a distance
        others = outside - remote.keys()
        everywhere = retrieval.distances(Where(origin.point, origin.region_code), others)
        placed = [(everywhere[d], d) for d in others if d in everywhere]
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


def execute(retrieval: Retrieval, request: SearchRequest, context: SearchContext) -> SearchResult:
    """Run `request` with `retrieval` (one backend, one state of its index)."""
    found = _ranked(retrieval, request, context)
    ranked = found.entries
    origin = _origin(request, found.plan)
    candidates = found.candidates
    near = candidates.km if candidates is not None and origin is not None else None
    radius = None
    if candidates is not None and origin is not None and request.radius_km is not None:
        radius = _within(retrieval, ranked, candidates, request.radius_km, origin)
        ranked = radius.inside
    query_stems = set(stems(found.plan.corrected or request.text)) if found.plan else set()
    unknown = candidates.unknown if candidates is not None else frozenset()

    start = (request.page - 1) * request.per_page
    by_distance = near if request.sort == "distance" else None
    page = _page(ranked, by_distance, start, start + request.per_page)
    remote = radius.remote if radius else {}
    remote_page = [entry[3] for entry in heapq.nsmallest(request.per_page, remote.values())]
    nearest = radius.nearest if radius else []
    payloads = retrieval.payloads({*page, *remote_page, *nearest})

    def hit(docnum: int, entry: ranking.Entry) -> Hit:
        payload = payloads[docnum]
        km, basis = (
            distance.shown(payload, origin.point, origin.region_code) if origin else (None, None)
        )
        unstated = tuple(n for n in OPEN_FILTERS if n in request.filters and docnum in unknown)
        return Hit(
            payload,
            round(entry[4], 4),
            km,
            _highlights(payload, query_stems),
            basis,
            ranking.match_of(entry),
            unstated,
        )

    return SearchResult(
        total=len(ranked),
        hits=[hit(d, ranked[d]) for d in page],
        remote_hits=[hit(d, remote[d]) for d in remote_page],
        facets=retrieval.facets(ranked.keys()),
        corrected_query=found.plan.corrected if found.plan else None,
        notices=_notices(ranked, found.plan, radius, (origin, request.radius_km)),
        nearest_hits=[hit(d, found.entries[d]) for d in nearest],
        origin=origin,
    )
