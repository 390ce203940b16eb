"""The exact search behind `engine.recommend`: a safe shortlist, then a bounded branch and bound.

`shortlist` keeps, per class of interchangeable options, the few that can matter; `Search`
explores include/skip decisions depth first with optimistic bounds (coverage, members,
per-sector prices), starting from a greedy incumbent, until it proves its panel best or runs
out of its node budget (then it reports the bound it could not close). `greedy_fill` is also
the benchmark's baseline.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from directory.matching.scoring import (
    BOTH_TYPES,
    MIN_ORGANISATIONS,
    Context,
    Option,
    needed,
    panel_key,
    rank_key,
)
from directory.matching.types import SearchReport

logger = logging.getLogger(__name__)

EPSILON = 1e-12  # float noise when comparing sums of the same terms in another order
Key = tuple[int, bool, float]
ClassKey = tuple[int, int, str | None]


def class_key(
    pool: Sequence[Option], pins: Sequence[Option], ctx: Context
) -> Callable[[Option], ClassKey]:
    """The shortlist's classes: options of one class are interchangeable but for their value.

    A class is (sectors brought, organisation type, institution). The institution matters only
    when it holds several organisations at the table or among the options (a CIUSSS and its
    programs): an organisation that is its own institution, alone, always brings one more
    institution to any panel, as every other such organisation does, so they share a class.
    """
    programs: dict[str, set[str]] = {}
    organisations: set[str] = set()
    for opt in (*pool, *pins):
        organisation = opt.candidate.organisation
        organisations.add(organisation.id)
        if organisation.institution_id is not None:
            programs.setdefault(organisation.institution_id, set()).add(organisation.id)
    shared = {
        institution
        for institution, members in programs.items()
        if len(members) > 1 or institution in organisations
    }
    shared |= ctx.on_file_institutions  # a program of an institution on the file

    def key(opt: Option) -> ClassKey:
        return (opt.mask, opt.type_bit, opt.institution if opt.institution in shared else None)

    return key


def shortlist(
    pool: Sequence[Option], slots: int, kind: Callable[[Option], Hashable] | None = None
) -> list[Option]:
    """Keep, per class (`class_key`), the best `slots` options of distinct organisations.

    Why this never drops a candidate of every optimal panel: the objective is a sum of
    per-member values (`Option.value`) plus set terms that depend only on the union of the
    members' sector masks, on the organisation types at the table and on the panel size; the
    three-institutions rule and `scoring.needed` depend only on the masks and on which members
    share an institution. Two options of one class are therefore interchangeable except for
    their own value: either they belong to the same institution, or each is an organisation
    that is its own institution, alone. Let P be an optimal panel holding c, left out of its
    class's list L. L holds `slots` options of distinct organisations, each ranked before c
    (value, then id), or, when the class has fewer organisations, the best option of c's own
    organisation. P without c has at most `slots - 1` members, so it uses at most `slots - 1`
    organisations: some d in L has an organisation P does not use (or c's own). Swapping c for
    d keeps the panel admissible (every other hard rule is per candidate; institutions are
    shared exactly as before) and its key does not decrease. Repeating the swap ends (each one
    moves a member up its class's ranking) with an optimal panel inside the lists.
    """
    # Without `kind`, every organisation is taken as its own institution (`class_key`'s case
    # when no institution holds several organisations).
    kind = kind or (lambda opt: (opt.mask, opt.type_bit))
    classes: dict[Hashable, list[Option]] = {}
    for opt in pool:
        classes.setdefault(kind(opt), []).append(opt)
    found = []
    for members in classes.values():
        if len(members) > 1:
            members.sort(key=_by_value)
        organisations: set[str] = set()
        for opt in members:
            organisation = opt.candidate.organisation.id
            if organisation not in organisations:
                organisations.add(organisation)
                found.append(opt)
                if len(organisations) == slots:
                    break
    return found


def _by_value(opt: Option) -> tuple[float, str]:
    return (-opt.value, opt.candidate.id)


@dataclass(slots=True)
class _State:
    """A partial panel during the search (the pins are counted in it, not listed)."""

    members: list[Option]
    organisations: set[str]
    institutions: dict[str, int]  # members (pins included) per institution
    at_table: int  # distinct institutions at the table: the file's and the members'
    mask: int
    types: int
    value: float


def _start(pins: list[Option], ctx: Context) -> _State:
    state = _State([], set(), {}, len(ctx.on_file_institutions), 0, ctx.on_file_types, 0.0)
    for opt in pins:
        _push(state, opt)
    state.members.clear()  # the pins are counted in the sums, not searched over
    return state


def _push(state: _State, opt: Option) -> tuple[int, int]:
    saved = (state.mask, state.types)
    state.members.append(opt)
    state.organisations.add(opt.candidate.organisation.id)
    count = state.institutions.get(opt.institution, 0)
    state.institutions[opt.institution] = count + 1
    if opt.fresh and not count:
        state.at_table += 1
    state.mask |= opt.mask
    state.types |= opt.type_bit
    state.value += opt.value
    return saved


def _pop(state: _State, opt: Option, saved: tuple[int, int]) -> None:
    state.members.pop()
    state.organisations.discard(opt.candidate.organisation.id)
    count = state.institutions[opt.institution] - 1
    if count:
        state.institutions[opt.institution] = count
    else:
        del state.institutions[opt.institution]
        if opt.fresh:
            state.at_table -= 1
    state.mask, state.types = saved
    state.value -= opt.value


def _key(state: _State, ctx: Context) -> Key:
    covered = state.mask.bit_count()
    value = state.value + ctx.weights.sector_fit * covered
    if state.types == BOTH_TYPES:
        value += ctx.weights.balance
    three = state.at_table >= MIN_ORGANISATIONS
    return (len(ctx.required) - len(ctx.sectors) + covered, three, value)


def _better(a: Key, b: Key) -> bool:
    """a strictly better than b (ties keep the panel found first: the search is ordered)."""
    if a[:2] != b[:2]:
        return a[:2] > b[:2]
    return a[2] > b[2] + EPSILON


def _best_of(a: Key | None, b: Key) -> Key:
    return b if a is None or _better(b, a) else a


class _Exhausted(Exception):  # noqa: N818 - a signal, not an error
    """The node budget ran out (unwinds the search, collecting the unexplored bounds)."""


class Search:
    """Depth-first include/skip search with optimistic bounds, over a fixed option order."""

    def __init__(  # noqa: PLR0913 - the search's fixed inputs
        self,
        pool: list[Option],
        slots: int,
        pins: list[Option],
        ctx: Context,
        pinned: frozenset[str],
        budget: int,
    ) -> None:
        kind = class_key(pool, pins, ctx)
        options = shortlist(pool, slots, kind) if slots else []
        self.options = sorted(
            options, key=lambda o: (-o.mask.bit_count(), *rank_key(o, ctx.weights))
        )
        self.kinds = [kind(o) for o in self.options]
        self.alone = self._last_of_organisation()
        self.slots = slots
        self.pins = pins
        self.pinned = pinned
        self.ctx = ctx
        self.budget = budget
        self.nodes = 0
        self.frontier: Key | None = None  # the best bound left unexplored when cut short
        self.state = _start(pins, ctx)
        self.on_file_covered = ctx.on_file_covered
        self._suffixes()
        self.best: list[Option] = []
        self.best_key = _key(self.state, ctx)
        incumbent = greedy_fill(self.options, slots, pins, ctx, pinned, self.kinds)
        incumbent_key = panel_key(pins + incumbent, ctx)
        if _better(incumbent_key, self.best_key):
            self.best, self.best_key = incumbent, incumbent_key

    def run(self) -> SearchReport:
        """Search; report whether the answer is proven best, and otherwise a bound."""
        try:
            self._explore(0)
        except _Exhausted:
            logger.info("matching search stopped after %d nodes", self.nodes)
        if self.frontier is None or not _better(self.frontier, self.best_key):
            return SearchReport(exact=True, nodes=self.nodes)
        return SearchReport(exact=False, nodes=self.nodes, upper_bound=self.frontier)

    def _last_of_organisation(self) -> list[bool]:
        """Per position: no later option of another class belongs to the same organisation."""
        later: dict[str, set[ClassKey]] = {}
        alone = [False] * len(self.options)
        for j in range(len(self.options) - 1, -1, -1):
            kinds = later.setdefault(self.options[j].candidate.organisation.id, set())
            alone[j] = kinds <= {self.kinds[j]}
            kinds.add(self.kinds[j])
        return alone

    def _suffixes(self) -> None:
        """Per position: sectors, types, widest mask, best values and sector prices to come.

        `top[i][k]` is the sum of the k best member values among options i… (k ≤ what is left).
        `price[i][b]` is the least cost per sector, among options i… that bring sector bit b, of
        any of them (its cost, -value, shared among its sectors): a panel bringing that sector
        pays at least that much for it. Prices bound the search only when every member value
        is a cost (`costs_only`: true with the configuration's non-negative weights).
        """
        n = len(self.options)
        bits = len(self.ctx.sectors)
        self.union = [0] * (n + 1)
        self.types = [0] * (n + 1)
        self.widest = [0] * (n + 1)
        self.top: list[list[float]] = [[0.0] * (self.slots + 1)] * (n + 1)
        self.price: list[list[float]] = [[math.inf] * bits] * (n + 1)
        self.costs_only = all(opt.value <= 0 for opt in self.options)
        best: list[float] = []  # the best values to come, highest first
        for i in range(n - 1, -1, -1):
            opt = self.options[i]
            self.union[i] = self.union[i + 1] | opt.mask
            self.types[i] = self.types[i + 1] | opt.type_bit
            self.widest[i] = max(self.widest[i + 1], opt.mask.bit_count())
            if len(best) < self.slots or opt.value > best[-1]:
                best = sorted([*best, opt.value], reverse=True)[: self.slots]
                self.top[i] = [0.0, *itertools.accumulate(best)]
                self.top[i] += [0.0] * (self.slots + 1 - len(self.top[i]))
            else:
                self.top[i] = self.top[i + 1]  # rows are never changed: share it
            self.price[i] = self._prices(opt, self.price[i + 1])

    @staticmethod
    def _prices(opt: Option, after: list[float]) -> list[float]:
        """`after` with this option's price per sector where it is lower (a new row if so)."""
        if not opt.mask:
            return after
        share = -opt.value / opt.mask.bit_count()
        lower = [bit for bit in _bits(opt.mask) if share < after[bit]]
        if not lower:
            return after
        row = list(after)
        for bit in lower:
            row[bit] = share
        return row

    def bound(self, i: int) -> Key:
        """An optimistic key for every panel that extends the current one with options ≥ i.

        A panel reaching the bound's coverage needs at least ceil(fresh / widest) more members,
        and one reaching three institutions at least the missing ones (each member brings at
        most one): the value bound takes the best sum of member values over the sizes that
        remain possible, not an empty sum. When every value is a cost, it also takes the
        cheapest sector prices of the sectors still to bring, and keeps the lower of the two.
        """
        state, ctx = self.state, self.ctx
        left = min(self.slots - len(state.members), len(self.options) - i)
        widest = self.widest[i]
        open_bits = self.union[i] & ~state.mask
        fresh = min(open_bits.bit_count(), left * widest)
        covered = state.mask.bit_count() + fresh
        at_table = state.at_table
        three = at_table + left >= MIN_ORGANISATIONS
        least = max(
            -(-fresh // widest) if widest else 0, MIN_ORGANISATIONS - at_table if three else 0
        )
        if self.costs_only:
            members = self.top[i][least]  # more members only cost more
            if fresh:
                row = self.price[i]
                prices = [row[bit] for bit in _bits(open_bits)]
                if fresh < len(prices):  # only the cheapest `fresh` of them can be brought
                    prices.sort()
                    del prices[fresh:]
                members = min(members, -sum(prices))
        else:
            members = max(self.top[i][k] for k in range(least, left + 1))
        value = state.value + ctx.weights.sector_fit * covered + members
        if state.types == BOTH_TYPES:
            value += ctx.weights.balance  # every extension keeps it, even with a negative weight
        elif state.types | self.types[i] == BOTH_TYPES:
            value += max(0.0, ctx.weights.balance)  # reachable, not forced
        return (self.on_file_covered + covered, three, value)

    def _admissible(self) -> bool:
        return all(needed([*self.pins, *self.state.members], self.ctx, self.pinned))

    def _explore(self, i: int) -> None:
        """Explore the options from position i on (include first, then skip)."""
        if len(self.state.members) >= self.slots or not _better(self.bound(i), self.best_key):
            return
        closed: set[ClassKey] = set()
        for j in range(i, len(self.options)):
            opt = self.options[j]
            if opt.candidate.organisation.id in self.state.organisations or self.kinds[j] in closed:
                continue
            if self.nodes >= self.budget:
                # Every panel not tried from here extends the current one with options ≥ j.
                self.frontier = _best_of(self.frontier, self.bound(j))
                raise _Exhausted
            self.nodes += 1
            saved = _push(self.state, opt)
            key = _key(self.state, self.ctx)
            if _better(key, self.best_key) and self._admissible():
                self.best, self.best_key = list(self.state.members), key
            try:
                self._explore(j + 1)
            except _Exhausted:
                # Unwinding: this level's "skip" branch and later siblings are left untried.
                _pop(self.state, opt, saved)
                self.frontier = _best_of(self.frontier, self.bound(j + 1))
                raise
            _pop(self.state, opt, saved)
            if self.alone[j]:
                # Symmetry: a panel that skips opt but takes a later option d of its class is
                # no better than the same panel with opt instead of d, explored just above. The
                # swap is allowed: opt's organisation is not in the state (opt was taken) and
                # no later option of another class belongs to it (d itself may).
                closed.add(self.kinds[j])
            if not _better(self.bound(j + 1), self.best_key):
                return


@functools.cache
def _bits(mask: int) -> tuple[int, ...]:
    """The positions of the set bits of `mask`, lowest first (masks recur: cached)."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return tuple(found)


def greedy_fill(  # noqa: PLR0913 - the pool, its classes, the seats, the table
    pool: Sequence[Option],
    slots: int,
    pins: list[Option],
    ctx: Context,
    pinned: frozenset[str],
    kinds: Sequence[Hashable] | None = None,
) -> list[Option]:
    """Add, one at a time, the option that improves the key most; stop when none does; then
    drop the members the rules would not seat (`scoring.needed`), weakest first.

    With `kinds` (the pool's classes, the pool ranked best first within each class), only the
    first free option of each class is tried per round: the others of its class are no better.
    """
    state = _start(pins, ctx)
    current = _key(state, ctx)
    while len(state.members) < slots:
        best: Option | None = None
        best_key = current
        tried: set[Hashable] = set()
        for index, opt in enumerate(pool):
            if opt.candidate.organisation.id in state.organisations:
                continue
            if kinds is not None:
                if kinds[index] in tried:
                    continue
                tried.add(kinds[index])
            key = _key_with(state, opt, ctx)
            if _better(key, best_key):
                best, best_key = opt, key
        if best is None:
            break
        _push(state, best)
        current = best_key
    return prune(list(state.members), pins, ctx, pinned)


def _key_with(state: _State, opt: Option, ctx: Context) -> Key:
    """`_key` of the state with `opt` added, without changing the state."""
    covered = (state.mask | opt.mask).bit_count()
    value = state.value + opt.value + ctx.weights.sector_fit * covered
    if state.types | opt.type_bit == BOTH_TYPES:
        value += ctx.weights.balance
    at_table = state.at_table + (opt.fresh and opt.institution not in state.institutions)
    return (ctx.on_file_covered + covered, at_table >= MIN_ORGANISATIONS, value)


def prune(
    members: list[Option], pins: Sequence[Option], ctx: Context, pinned: frozenset[str]
) -> list[Option]:
    """Drop, weakest first, members the rules would not seat, until every one is needed."""
    while True:
        flags = needed([*pins, *members], ctx, pinned)[len(pins) :]
        spare = [opt for opt, flag in zip(members, flags, strict=True) if not flag]
        if not spare:
            return members
        weakest = min(spare, key=lambda o: (o.value, o.candidate.id))
        members = [opt for opt in members if opt is not weakest]
