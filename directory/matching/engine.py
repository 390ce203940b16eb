"""Recommend a panel: bounded branch and bound over a safe shortlist, and a greedy baseline.

`recommend` maximises, over every admissible panel, the lexicographic objective (required
sectors covered at the table, at least three distinct institutions at the table, weighted
score of `scoring.panel_key`). A panel is admissible when its members pass the hard rules, it
fits the cap (`max_experts`, and the group size of a remote or hybrid meeting), it holds the
pins, and every other member is needed (`scoring.needed`: it brings a sector nobody else
brings, or it makes the third institution).

The search is exact unless it runs out of its node budget; then it answers with the best panel
found, says so (`Result.search.exact` False) and bounds what it may have missed
(`SearchReport.upper_bound`). Its incumbent from the start is the greedy panel, so a cut-short
search is never worse than the baseline. `greedy` is the baseline the benchmark compares with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from directory.matching import explain
from directory.matching.scoring import Context, Option, context, eligible
from directory.matching.search import Search, class_key, greedy_fill, shortlist
from directory.matching.types import Candidate, Case, Point, Result, Weights

__all__ = ["NODE_BUDGET", "class_key", "greedy", "recommend", "shortlist"]

# Nodes (partial panels tried) before the search stops and reports its bound. On the
# benchmark's adversarial mix at 5,000 candidates (bench/match_bench.py --adversarial, 200
# cases) the search needs no node for half of the cases, 2,475 at p95, 7,223 at p99 and 27,339
# at most; a node costs 15 to 25 µs on the 2-core machine, so the budget bounds the search
# itself to about 0.3 to 0.5 s whatever the input.
NODE_BUDGET = 20_000


def recommend(  # noqa: PLR0913 - the inputs, then keyword-only options
    case: Case,
    candidates: Sequence[Candidate],
    *,
    weights: Weights = Weights(),  # noqa: B008 - Weights is frozen: a shared default is safe
    alternatives: int = 3,
    regions: Mapping[str, Point] | None = None,
    node_budget: int = NODE_BUDGET,
) -> Result:
    """The best panel of external experts for a case, with coverage, gaps and reasons.

    case: the case (region, needs, who is on the file, mode, pins and exclusions).
    candidates: everyone who could be invited; the hard rules filter them. Ids are unique.
    weights: the soft criteria's weights. alternatives: at most this many per member.
    regions: the centroid of each region, to list a gap's remote alternatives nearest first.
    node_budget: how many partial panels the exact search may try (at least 1).
    Imminent risk gives a referral to the rapid-intervention cell and no panel.
    """
    _check(candidates, node_budget)
    ctx = context(case, weights)
    if case.imminent_risk:
        return explain.referral(case, ctx)
    options = eligible(case, candidates, ctx)
    pins, pool, slots = _split_pins(case, options, ctx)
    search = Search(pool, slots, pins, ctx, frozenset(case.pinned), node_budget)
    report = search.run()
    return explain.result(
        case,
        ctx,
        pins + search.best,
        options,
        candidates,
        alternatives=alternatives,
        regions=regions or {},
        search=report,
    )


def greedy(
    case: Case,
    candidates: Sequence[Candidate],
    *,
    weights: Weights = Weights(),  # noqa: B008 - Weights is frozen: a shared default is safe
) -> Result:
    """The baseline (used by the benchmark only): add the best next member while it helps.

    Same hard rules and objective as `recommend`, but one member at a time, never revisited;
    members made useless by later ones are dropped at the end.
    """
    _check(candidates, 1)
    ctx = context(case, weights)
    if case.imminent_risk:
        return explain.referral(case, ctx)
    options = eligible(case, candidates, ctx)
    pins, pool, slots = _split_pins(case, options, ctx)
    panel = greedy_fill(pool, slots, pins, ctx, frozenset(case.pinned))
    return explain.result(case, ctx, pins + panel, options, candidates, alternatives=0)


def _check(candidates: Sequence[Candidate], node_budget: int) -> None:
    ids = [candidate.id for candidate in candidates]
    if len(ids) != len(set(ids)):
        twice = sorted(i for i, count in Counter(ids).items() if count > 1)
        raise ValueError(f"candidate ids must be unique; repeated: {twice[:5]}")
    if node_budget < 1:
        raise ValueError(f"node_budget must be at least 1, not {node_budget}")


def _split_pins(
    case: Case, options: list[Option], ctx: Context
) -> tuple[list[Option], list[Option], int]:
    """Pinned options (by id, one per organisation, within the cap), the rest, the free seats.

    The rest holds only options that offer a required sector: a pin is the only way to seat
    someone who does not.
    """
    pins: list[Option] = []
    taken: set[str] = set()
    for opt in sorted(options, key=lambda o: o.candidate.id):
        if (
            opt.candidate.id in case.pinned
            and opt.candidate.organisation.id not in taken
            and len(pins) < ctx.cap
        ):
            pins.append(opt)
            taken.add(opt.candidate.organisation.id)
    pool = [opt for opt in options if opt.covers and opt.candidate.organisation.id not in taken]
    return pins, pool, max(0, ctx.cap - len(pins))
