"""Match tiers and the order of results, on score maps (document → score): no Whoosh here.

Tiers, from first to last:
  0. full matches: every concept (or an organisation name close to the whole query);
  1. when the query names a place or an out-of-scope need: the results matching every other
     need (nearest to the named place first, when there is one);
  2. any one need (never a place or an out-of-scope need alone).
Tiers 1 and 2 are partial matches, added only while fewer than MIN_STRICT_RESULTS precede.
Within a tier: services stating a filtered language or mode before those that state none,
services for victims before services for authors (or the reverse when the query names the
author), then score (or distance in tier 1).
"""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from directory.search.planner import NEED, QueryPlan

MIN_STRICT_RESULTS = 5
UNVERIFIED_FACTOR = 0.92  # stale listings rank slightly lower, never hidden
FULL, RELAXED, ANY = 0, 1, 2

Scores = dict[int, float]
# A candidate's place in the relevance order: (tier, group, key, docnum, score), key being
# -score or a distance. Tuples compare in that order, so a page needs no key function.
Entry = tuple[int, int, float, int, float]
Ranked = dict[int, Entry]


def combine(maps: list[dict[int, float]], *, every: bool) -> dict[int, float]:
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
        common = combined.keys() & other.keys()
        summed = {docnum: combined[docnum] + other[docnum] for docnum in common}
        combined.update(other)
        combined.update(summed)
    return combined


@dataclass(frozen=True)
class Ordering:
    """Who goes after whom within a tier (sets of documents), and distances for tier 1."""

    verified: AbstractSet[int]
    authors: AbstractSet[int] = frozenset()  # services for the authors of violence
    authors_first: bool = False  # the query names the author
    unknown: AbstractSet[int] = frozenset()  # pass a language or mode filter by stating none
    relaxed_km: dict[int, float] | None = None  # distance from the place named in the query


def tiers(
    query_plan: QueryPlan, concepts: list[Scores], names: Scores, allowed: AbstractSet[int] | None
) -> list[tuple[int, Scores]]:
    """(tier, scores) in order; `concepts` are the score maps of the plan's concepts."""

    def kept(scores: Scores) -> Scores:
        return scores if allowed is None else {d: s for d, s in scores.items() if d in allowed}

    found = [(FULL, kept(combine([combine(concepts, every=True), names], every=False)))]
    count = len(found[0][1])
    needs = [
        scores
        for concept, scores in zip(query_plan.concepts, concepts, strict=True)
        if concept.kind == NEED
    ]
    if count < MIN_STRICT_RESULTS and query_plan.relaxable:
        relaxed = kept(combine(needs, every=True))
        found.append((RELAXED, relaxed))
        count += len(relaxed.keys() - found[0][1].keys())
    if count < MIN_STRICT_RESULTS and len(needs) > 1:
        found.append((ANY, kept(combine(needs, every=False))))
    return found


def ranked(found: list[tuple[int, Scores]], ordering: Ordering) -> Ranked:
    """Every document once, in its best tier, with its order entry.

    Set operations and comprehensions, then a loop over the few documents whose group
    differs from their tier's usual one: broad concepts hold thousands of documents, and a
    per-document Python loop with several tests was a visible share of a query.
    """
    entries: Ranked = {}
    for tier, scores in found:
        fresh = scores.keys() - entries.keys() if entries else scores.keys()
        adjusted = {d: scores[d] for d in fresh & ordering.verified}
        adjusted.update({d: scores[d] * UNVERIFIED_FACTOR for d in fresh - ordering.verified})
        by_distance = tier == RELAXED and ordering.relaxed_km is not None
        usual = 1 if ordering.authors_first else 0  # the side most documents are on
        if by_distance:
            km = ordering.relaxed_km or {}
            fresh_entries = {
                d: (tier, usual, km.get(d, math.inf), d, s) for d, s in adjusted.items()
            }
        else:
            fresh_entries = {d: (tier, usual, -s, d, s) for d, s in adjusted.items()}
        for docnum in fresh & ordering.authors:  # the other side, or authors first
            entry = fresh_entries[docnum]
            fresh_entries[docnum] = (tier, 1 - usual, entry[2], docnum, entry[4])
        for docnum in fresh & ordering.unknown:
            entry = fresh_entries[docnum]
            fresh_entries[docnum] = (tier, entry[1] + 2, entry[2], docnum, entry[4])
        entries.update(fresh_entries)
    return entries


def browsing(
    by_name: Ranked, allowed: AbstractSet[int] | None, unknown: AbstractSet[int]
) -> Ranked:
    """Everything (that passes the filters) in name order, when there is no text; those that
    pass a language or mode filter by stating nothing come after the others."""
    if allowed is None and not unknown:
        return dict(by_name)
    kept = by_name.keys() if allowed is None else allowed
    return {
        docnum: (0, 2 * (docnum in unknown), by_name[docnum][2], docnum, 0.0)
        for docnum in kept
        if docnum in by_name
    }


def match_of(entry: Entry) -> str:
    return "all" if entry[0] == FULL else "partial"
