"""Recommend a panel: exact branch and bound over a safe shortlist, and a greedy baseline.

`recommend` maximises, over every panel the hard rules allow, the lexicographic objective
(required sectors covered at the table, at least three organisations at the table, weighted
score of `scoring.panel_key`). `greedy` is the baseline the benchmark compares it with.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from directory.matching import explain
from directory.matching.scoring import (
    BOTH_TYPES,
    MIN_ORGANISATIONS,
    Context,
    Option,
    context,
    eligible,
    panel_key,
    rank_key,
)
from directory.matching.types import Candidate, Case, Result, Weights

logger = logging.getLogger(__name__)

EPSILON = 1e-12  # float noise when comparing sums of the same terms in another order
Key = tuple[int, bool, float]


def recommend(
    case: Case,
    candidates: Sequence[Candidate],
    *,
    weights: Weights = Weights(),  # noqa: B008 - Weights is frozen: a shared default is safe
    alternatives: int = 3,
) -> Result:
    """The best panel of external experts for a case, with coverage, gaps and reasons.

    case: the case (region, needs, who is on the file, mode, pins and exclusions).
    candidates: everyone who could be invited; the hard rules filter them.
    weights: the soft criteria's weights. alternatives: at most this many per member.
    Imminent risk gives a referral to the rapid-intervention cell and no panel.
    """
    ctx = context(case, weights)
    if case.imminent_risk:
        return explain.referral(case, ctx)
    options = eligible(case, candidates, ctx)
    pins, pool, slots = _split_pins(case, options)
    panel = pins + _branch_and_bound(shortlist(pool, slots), slots, pins, ctx)
    return explain.result(case, ctx, panel, options, candidates, alternatives=alternatives)


def greedy(
    case: Case,
    candidates: Sequence[Candidate],
    *,
    weights: Weights = Weights(),  # noqa: B008 - Weights is frozen: a shared default is safe
) -> Result:
    """The baseline (used by the benchmark only): add the best next member while it helps.

    Same hard rules and objective as `recommend`, but one member at a time, never revisited.
    """
    ctx = context(case, weights)
    if case.imminent_risk:
        return explain.referral(case, ctx)
    options = eligible(case, candidates, ctx)
    pins, pool, slots = _split_pins(case, options)
    panel = pins + _greedy_fill(pool, slots, pins, ctx)
    return explain.result(case, ctx, panel, options, candidates, alternatives=0)


def _split_pins(case: Case, options: list[Option]) -> tuple[list[Option], list[Option], int]:
    """Pinned options (by id, one per organisation, at most max_experts), the rest, the slots."""
    pins: list[Option] = []
    taken: set[str] = set()
    for opt in sorted(options, key=lambda o: o.candidate.id):
        if (
            opt.candidate.id in case.pinned
            and opt.candidate.organisation.id not in taken
            and len(pins) < case.max_experts
        ):
            pins.append(opt)
            taken.add(opt.candidate.organisation.id)
    pool = [opt for opt in options if opt.candidate.organisation.id not in taken]
    return pins, pool, max(0, case.max_experts - len(pins))


def shortlist(pool: Sequence[Option], slots: int) -> list[Option]:
    """Keep, per class (sectors brought, organisation type), the best `slots` organisations.

    Why this never drops a candidate of some optimal panel: the objective is a sum of
    per-member values (`Option.value`) plus set terms that depend only on the union of the
    members' sector masks, on the organisation types at the table and on the panel size. Two
    options of the same class are therefore interchangeable except for their own value. Let P
    be an optimal panel holding c, left out of its class's list L. L holds `slots` options of
    distinct organisations, each ranked before c (value, then id), or, when the class has fewer
    organisations, the best option of c's own organisation. P without c has at most
    `slots - 1` members, so it uses at most `slots - 1` organisations: some d in L has an
    organisation P does not use (or c's own). Swapping c for d keeps the panel feasible (every
    other hard rule is per candidate) and its key does not decrease. Repeating the swap ends
    (each one moves a member up its class's ranking) with an optimal panel inside the lists.
    """
    classes: dict[tuple[int, int], list[Option]] = {}
    for opt in sorted(pool, key=lambda o: (-o.value, o.candidate.id)):
        kept = classes.setdefault((opt.mask, opt.type_bit), [])
        organisation = opt.candidate.organisation.id
        if len(kept) < slots and all(o.candidate.organisation.id != organisation for o in kept):
            kept.append(opt)
    return [opt for kept in classes.values() for opt in kept]


@dataclass(slots=True)
class _State:
    """A partial panel during the search (the pins are already in it)."""

    members: list[Option]
    organisations: set[str]
    mask: int
    types: int
    value: float


def _start(pins: list[Option], ctx: Context) -> _State:
    state = _State([], set(), 0, ctx.on_file_types, 0.0)
    for opt in pins:
        _push(state, opt)
    state.members.clear()  # the pins are counted in the sums, not searched over
    return state


def _push(state: _State, opt: Option) -> tuple[int, int]:
    saved = (state.mask, state.types)
    state.members.append(opt)
    state.organisations.add(opt.candidate.organisation.id)
    state.mask |= opt.mask
    state.types |= opt.type_bit
    state.value += opt.value
    return saved


def _pop(state: _State, opt: Option, saved: tuple[int, int]) -> None:
    state.members.pop()
    state.organisations.discard(opt.candidate.organisation.id)
    state.mask, state.types = saved
    state.value -= opt.value


def _key(state: _State, size: int, ctx: Context) -> Key:
    covered = state.mask.bit_count()
    value = state.value + ctx.weights.sector_fit * covered
    if state.types == BOTH_TYPES:
        value += ctx.weights.balance
    three = len(ctx.on_file_organisations) + size >= MIN_ORGANISATIONS
    return (ctx.on_file_covered + covered, three, value)


def _better(a: Key, b: Key) -> bool:
    """a strictly better than b (ties keep the panel found first: the search is ordered)."""
    if a[:2] != b[:2]:
        return a[:2] > b[:2]
    return a[2] > b[2] + EPSILON


class _Search:
    """Depth-first include/skip search with optimistic bounds, over a fixed option order."""

    def __init__(self, options: list[Option], slots: int, pins: list[Option], ctx: Context) -> None:
        self.options = sorted(
            options, key=lambda o: (-o.mask.bit_count(), *rank_key(o, ctx.weights))
        )
        self.kinds = [(o.mask, o.type_bit) for o in self.options]  # the shortlist's classes
        self.alone = self._last_of_organisation()
        self.slots = slots
        self.pinned = len(pins)
        self.ctx = ctx
        self.state = _start(pins, ctx)
        self._suffixes()
        self.best: list[Option] = _greedy_fill(self.options, slots, pins, ctx)
        self.best_key = panel_key(pins + self.best, ctx)

    def _last_of_organisation(self) -> list[bool]:
        """Per position: no later option of another class belongs to the same organisation."""
        later: dict[str, set[tuple[int, int]]] = {}
        alone = [False] * len(self.options)
        for j in range(len(self.options) - 1, -1, -1):
            kinds = later.setdefault(self.options[j].candidate.organisation.id, set())
            alone[j] = kinds <= {self.kinds[j]}
            kinds.add(self.kinds[j])
        return alone

    def _suffixes(self) -> None:
        """Per position: sectors, types, widest mask and sums of the best values still to come.

        `top[i][k]` is the sum of the k best member values among options i… (k ≤ what is left).
        """
        n = len(self.options)
        self.union = [0] * (n + 1)
        self.types = [0] * (n + 1)
        self.widest = [0] * (n + 1)
        self.top: list[list[float]] = [[0.0] * (self.slots + 1) for _ in range(n + 1)]
        best: list[float] = []
        for i in range(n - 1, -1, -1):
            opt = self.options[i]
            self.union[i] = self.union[i + 1] | opt.mask
            self.types[i] = self.types[i + 1] | opt.type_bit
            self.widest[i] = max(self.widest[i + 1], opt.mask.bit_count())
            best = sorted([*best, opt.value], reverse=True)[: self.slots]
            for k, value in enumerate(best, start=1):
                self.top[i][k] = self.top[i][k - 1] + value

    def bound(self, i: int) -> Key:
        """An optimistic key for every panel that extends the current one with options ≥ i.

        A panel reaching the bound's coverage needs at least ceil(fresh / widest) more members,
        and one reaching three organisations at least the missing ones: the value bound takes
        the best sum of member values over the sizes that remain possible, not an empty sum.
        """
        state, ctx = self.state, self.ctx
        left = min(self.slots - len(state.members), len(self.options) - i)
        widest = self.widest[i]
        fresh = min((self.union[i] & ~state.mask).bit_count(), left * widest)
        covered = state.mask.bit_count() + fresh
        at_table = len(ctx.on_file_organisations) + self.pinned + len(state.members)
        three = at_table + left >= MIN_ORGANISATIONS
        least = max(
            -(-fresh // widest) if widest else 0, MIN_ORGANISATIONS - at_table if three else 0
        )
        members = max(self.top[i][k] for k in range(least, left + 1))
        value = state.value + ctx.weights.sector_fit * covered + members
        if state.types | self.types[i] == BOTH_TYPES:
            value += ctx.weights.balance
        return (ctx.on_file_covered + covered, three, value)

    def run(self, i: int = 0) -> None:
        """Explore the options from position i on (include first, then skip)."""
        if len(self.state.members) >= self.slots or not _better(self.bound(i), self.best_key):
            return
        closed: set[tuple[int, int]] = set()
        for j in range(i, len(self.options)):
            opt = self.options[j]
            if opt.candidate.organisation.id in self.state.organisations or self.kinds[j] in closed:
                continue
            saved = _push(self.state, opt)
            key = _key(self.state, self.pinned + len(self.state.members), self.ctx)
            if _better(key, self.best_key):
                self.best, self.best_key = list(self.state.members), key
            self.run(j + 1)
            _pop(self.state, opt, saved)
            if self.alone[j]:
                # Symmetry: a panel that skips opt but takes a later option d of its class is
                # no better than the same panel with opt instead of d, explored just above. The
                # swap is allowed: opt's organisation is not in the state (opt was taken) and
                # no later option of another class belongs to it (d itself may).
                closed.add(self.kinds[j])
            if not _better(self.bound(j + 1), self.best_key):
                return


def _branch_and_bound(
    options: list[Option], slots: int, pins: list[Option], ctx: Context
) -> list[Option]:
    """The members (besides the pins) of an optimal panel drawn from `options`."""
    if slots == 0 or not options:
        return []
    search = _Search(options, slots, pins, ctx)
    search.run()
    return search.best


def _greedy_fill(
    pool: Sequence[Option], slots: int, pins: list[Option], ctx: Context
) -> list[Option]:
    """Add, one at a time, the option that improves the key most; stop when none does."""
    state = _start(pins, ctx)
    size = len(pins)
    current = _key(state, size, ctx)
    while len(state.members) < slots:
        best: Option | None = None
        best_key = current
        for opt in pool:
            if opt.candidate.organisation.id in state.organisations:
                continue
            saved = _push(state, opt)
            key = _key(state, size + 1, ctx)
            _pop(state, opt, saved)
            if _better(key, best_key):
                best, best_key = opt, key
        if best is None:
            break
        _push(state, best)
        size += 1
        current = best_key
    return list(state.members)
