"""From what a caseworker types to ranked, filtered, faceted results.

1. Fold and split the query; correct words missing from the index vocabulary (rapidfuzz).
2. Find thesaurus terms (longest first); each becomes a concept with its synonyms and sectors.
3. All concepts must match; when that finds fewer than a handful, any concept may match,
   ranked after. Organisation names close to the whole query (rapidfuzz) are added.
4. Filters, distance from `near`, a radius with a separate block of remote services, facets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from geopy.distance import geodesic
from rapidfuzz import fuzz, process
from whoosh import query as wq
from whoosh.searching import Searcher

from directory.search.analysis import stems, words
from directory.search.schema import FACET_FIELDS, FIELD_BOOSTS
from directory.search.thesaurus import Thesaurus
from directory.text import fold

MIN_STRICT_RESULTS = 5
UNVERIFIED_FACTOR = 0.92  # stale listings rank slightly lower, never hidden
SECTOR_BOOST = 2.0
NAME_MATCH_CUTOFF = 85
WORD_MATCH_CUTOFF = 80
MIN_CORRECTED_LENGTH = 4

Point = tuple[float, float]


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
    term_stems = stems(" ".join(term_words))
    if not term_stems:
        return wq.NullQuery
    if len(term_stems) == 1:
        return wq.Or([wq.Term(f, term_stems[0], boost=b * boost) for f, b in FIELD_BOOSTS.items()])
    return wq.Or(
        [wq.Phrase(f, term_stems, slop=2, boost=b * boost) for f, b in FIELD_BOOSTS.items()]
    )


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
    strict: wq.Query
    loose: wq.Query
    corrected: str | None


def plan(text: str, generation: _Generation, thesaurus: Thesaurus) -> _Plan | None:
    """The Whoosh queries for `text`, or None when it holds no searchable word."""
    typed = words(text)
    if not typed:
        return None
    corrected = _correct(typed, generation, thesaurus)
    concepts = _concepts(corrected, thesaurus)
    names = _name_matches(text, generation)
    if not concepts and not names:
        return None
    strict = wq.Or([wq.And(concepts), *names]) if concepts else wq.Or(names)
    loose = wq.Or([*concepts, *names])
    shown = " ".join(corrected) if corrected != typed else None
    return _Plan(strict=strict, loose=loose, corrected=shown)


def _filter(request: SearchRequest) -> wq.Query | None:
    terms = [wq.Term(name, value) for name, value in request.filters.items() if value]
    return wq.And(terms) if terms else None


def _ranked(
    searcher: Searcher, request: SearchRequest, thesaurus: Thesaurus
) -> tuple[list[tuple[int, float]], str | None]:
    generation = _generation(searcher)
    filter_query = _filter(request)
    query_plan = plan(request.text, generation, thesaurus) if request.text.strip() else None
    if query_plan is None:
        if request.text.strip():
            return [], None
        results = searcher.search(wq.Every(), filter=filter_query, sortedby="name_sort", limit=None)
        return [(docnum, 0.0) for docnum in results.docs()], None
    verified = generation.verified
    ranked: dict[int, tuple[int, float]] = {}
    for tier, whoosh_query in enumerate((query_plan.strict, query_plan.loose)):
        if tier and len(ranked) >= MIN_STRICT_RESULTS:
            break
        results = searcher.search(whoosh_query, filter=filter_query, limit=None)
        for docnum, score in results.items():
            if docnum not in ranked:
                factor = 1.0 if docnum in verified else UNVERIFIED_FACTOR
                ranked[docnum] = (tier, score * factor)
    # Loose matches (some concepts only) come after every strict one.
    order = sorted(ranked.items(), key=lambda item: (item[1][0], -item[1][1]))
    return [(docnum, score) for docnum, (_tier, score) in order], query_plan.corrected


def _distance(origin: Point, points: list[list[float]]) -> float | None:
    if not points:
        return None
    return min(float(geodesic(origin, (lat, lon)).km) for lat, lon in points)


def _by_distance(distance: float | None, score: float) -> tuple[bool, float, float]:
    """Nearest first; results without a known place last, by relevance."""
    return (distance is None, distance if distance is not None else 0.0, -score)


def _highlights(payload: dict[str, Any], query_stems: set[str]) -> list[str]:
    parent = payload.get("parent") or {}
    keys = ("name", "acronym", "service_name", "municipality")
    candidates = [payload.get(key) or "" for key in keys] + [parent.get("name", "")]
    return [text for text in candidates if text and query_stems.intersection(stems(text))]


def _facets(generation: _Generation, docnums: set[int]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        counts = {
            value: len(docnums & generation.documents(name, value))
            for value in generation.values(name)
        }
        facets[name] = {value: count for value, count in sorted(counts.items()) if count}
    return facets


def execute(searcher: Searcher, request: SearchRequest, thesaurus: Thesaurus) -> SearchResult:
    """Run `request` against the index state `searcher` sees."""
    generation = _generation(searcher)
    order, corrected = _ranked(searcher, request, thesaurus)
    distances: dict[int, float | None] = {}
    remote: list[tuple[int, float]] = []
    if request.near is not None:
        for docnum, _score in order:
            distances[docnum] = _distance(request.near, generation.payload(docnum)["points"])
        if request.radius_km is not None:
            radius = request.radius_km
            inside = [(d, s) for d, s in order if (km := distances[d]) is not None and km <= radius]
            kept = {d for d, _ in inside}
            remote = [(d, s) for d, s in order if d not in kept and generation.payload(d)["remote"]]
            order = inside
        if request.sort == "distance":
            order = sorted(order, key=lambda item: _by_distance(distances[item[0]], item[1]))
    query_stems = set(stems(corrected or request.text))
    start = (request.page - 1) * request.per_page

    def hit(docnum: int, score: float) -> Hit:
        payload = generation.payload(docnum)
        return Hit(
            payload, round(score, 4), distances.get(docnum), _highlights(payload, query_stems)
        )

    return SearchResult(
        total=len(order),
        hits=[hit(d, s) for d, s in order[start : start + request.per_page]],
        remote_hits=[hit(d, s) for d, s in remote[: request.per_page]],
        facets=_facets(generation, {docnum for docnum, _ in order}),
        corrected_query=corrected,
    )
