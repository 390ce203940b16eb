"""The Whoosh backend's retrieval: the plan's concepts become Whoosh queries scored on cached
postings (`generation`); filters, places and facets come from per-index-state sets. The
rest of a search (tiers, order, radius, notices) is `engine.py`, shared with PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from directory.search import distance, ranking
from directory.search.analysis import stems
from directory.search.documents import FACET_FIELDS, UNKNOWN
from directory.search.engine import (
    OPEN_FILTERS,
    Candidates,
    FlagSets,
    Retrieve,
    SearchContext,
    Where,
    execute,
    sorted_facets,
)
from directory.search.generation import Generation, generation_for
from directory.search.names import NAME_MATCH_CUTOFF
from directory.search.planner import OUT_OF_SCOPE, Concept, Vocabulary
from directory.search.results import Hit, Notice, Origin, SearchRequest, SearchResult
from directory.search.schema import FIELD_BOOSTS, TEXT_FIELDS
from directory.search.thesaurus import Thesaurus

__all__ = [
    "Hit",
    "Notice",
    "Origin",
    "SearchContext",
    "SearchRequest",
    "SearchResult",
    "WhooshRetrieval",
    "concept_query",
    "search",
]

SECTOR_BOOST = 2.0
TYPED_BOOST = 1.5  # the words as typed weigh more than their synonyms
# Facets of results holding at least 1/FACET_BITS_SHARE of the index are counted on bitsets.
FACET_BITS_SHARE = 64


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


def _name_query(name: str, boost: float) -> wq.Query:
    return wq.Or(
        [wq.Term("name_exact", name, boost=boost), wq.Term("acronym_exact", name, boost=boost)]
    )


# --- Retrieval ----------------------------------------------------------------------------------


class _Sets(FlagSets):
    """What this backend passes to `Candidates`: the flags, the filters, the distances."""

    allowed: AbstractSet[int] | None
    km: dict[int, float] | None


class WhooshRetrieval:
    """`engine.Retrieval` on one Whoosh index state (a searcher's generation)."""

    def __init__(self, generation: Generation) -> None:
        self.generation = generation

    def vocabulary(self, words: Sequence[str], thesaurus: Thesaurus) -> Vocabulary:
        del words  # the whole vocabulary is at hand, cached per index state
        generation = self.generation
        return Vocabulary(
            words=generation.vocabulary_set,
            candidates=generation.correction_candidates(thesaurus),
        )

    def name_candidates(self, folded: str) -> Sequence[str]:
        return self.generation.name_index.candidates(folded, NAME_MATCH_CUTOFF)

    def _filtered(self, filters: Mapping[str, str]) -> tuple[frozenset[int] | None, frozenset[int]]:
        """Documents passing every filter (None without filters), and those that pass a
        language or mode filter only because they state no language or mode."""
        generation = self.generation
        sets, unknown = [], frozenset[int]()
        for name, value in filters.items():
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

    def _sets(self, filters: Mapping[str, str], origin: Where | None) -> _Sets:
        generation = self.generation
        allowed, unknown = self._filtered(filters)
        return _Sets(
            verified=generation.verified,
            victims=generation.documents("sector", "VCF"),
            authors=generation.documents("sector", "VCH"),
            unknown=unknown,
            remote=generation.documents("remote", "t"),
            allowed=allowed,
            # Within the radius only: most places are then never measured.
            km=None
            if origin is None
            else distance.approximate(
                generation, origin.point, origin.region_code, origin.radius_km
            ),
        )

    def candidates(self, query: Retrieve) -> Candidates:
        generation = self.generation
        concepts = [generation.matches(concept_query(c)) for c in query.concepts]
        names = ranking.combine(
            [generation.matches(_name_query(name, boost)) for name, boost in query.names],
            every=False,
        )
        return Candidates(concepts, names, **self._sets(query.filters, query.origin))

    def browse(self, filters: Mapping[str, str], origin: Where | None) -> Candidates:
        sets = self._sets(filters, origin)
        return Candidates([], {}, by_name=self.generation.by_name, **sets)

    def distances(self, where: Where, docnums: Collection[int]) -> dict[int, float]:
        del docnums  # every placed document: the grid makes that cheap
        generation = self.generation
        return distance.approximate(generation, where.point, where.region_code, where.radius_km)

    def facets(self, docnums: Collection[int]) -> dict[str, dict[str, int]]:
        """Counted on bitsets for many results (one C operation per value), else by set
        intersections (which iterate the smaller side)."""
        generation = self.generation
        if len(docnums) * FACET_BITS_SHARE >= generation.reader.doc_count_all():
            bits = generation.bits(docnums)

            def count(name: str, value: str) -> int:
                return (bits & generation.facet_bits(name, value)).bit_count()

        else:
            hits = docnums if isinstance(docnums, set | frozenset) else set(docnums)

            def count(name: str, value: str) -> int:
                return len(hits & generation.documents(name, value))

        return sorted_facets(
            {
                name: {value: count(name, value) for value in generation.values(name)}
                for name in FACET_FIELDS
            }
        )

    def payloads(self, docnums: Iterable[int]) -> dict[int, dict[str, Any]]:
        return {docnum: self.generation.payload(docnum) for docnum in docnums}


def search(searcher: Searcher, request: SearchRequest, context: SearchContext) -> SearchResult:
    """Run `request` against the index state `searcher` sees."""
    return execute(WhooshRetrieval(generation_for(searcher)), request, context)
