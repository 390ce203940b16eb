"""Eligibility filters and score terms: what a candidate may be and what it is worth.

The objective of a panel is the sum of per-member terms (distance, in region, load, continuity,
size, unconfirmed offer) and of set terms that depend only on the sectors covered (sector fit)
and on the organisation types at the table (balance). `engine` maximises it lexicographically
after coverage and the three-institutions rule; `explain` turns the terms into reasons.

Hard rules (a candidate failing one is never proposed, except where a pin says otherwise):
not on the file, not excluded (its organisation, its institution, or itself), under its stated
90-day capacity, speaks the meeting's language, within its territory when it is a territorial
service (a pin overrides this one: the facilitator's deliberate choice), offers at least one
required sector to the people the case follows (a pin overrides this one too), and can attend
in the meeting's mode.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from directory.matching.eligibility import (
    attendance,
    excluded,
    offered,
    outside_territory,
    over_capacity,
)
from directory.matching.types import Candidate, Case, Mode, Point, Weights

EARTH_RADIUS_KM = 6371.0088
KM_UNIT = 100.0  # the distance weight is per 100 km
# An unknown position is charged as the farthest one in Québec (its extent is under 2,000 km):
# a member nobody can place never outranks one whose distance is known (« 0 km » was a lie).
UNKNOWN_KM = 2000.0
MIN_ORGANISATIONS = 3  # « au moins trois intervenant·e·s d'organismes ou institutions distincts »
# A remote or hybrid meeting holds at most 8 participants (seed 004: groups of 6 to 8),
# counting one practitioner per organisation on the file, the panel and the facilitator.
GROUP_LIMIT = 8
FACILITATORS = 1
COMMUNITY = "community"
INSTITUTIONAL = "institutional"
TYPE_BITS = {COMMUNITY: 1, INSTITUTIONAL: 2}
BOTH_TYPES = 3
# Every criterion of the objective, in the order the UI lists them.
CRITERIA = (
    "sector_fit",
    "distance",
    "in_region",
    "load",
    "continuity",
    "balance",
    "size",
    "unconfirmed",
)


class Option(NamedTuple):
    """An eligible candidate with everything the search needs, computed once.

    `covers` lists the required sectors it offers to the people followed; `mask` holds the
    bits (see `Context.sectors`) of those not yet on the file; `value` is the sum of its
    per-member terms (`terms` details them); `distance_km` is None for a remote option or an
    unknown position (see `travel_km`); `fresh` says its institution is not on the file. A named
    tuple, not a frozen dataclass: thousands are built per case and a tuple is built faster.
    """

    candidate: Candidate
    remote: bool
    distance_km: float | None
    mask: int
    type_bit: int
    value: float
    covers: tuple[str, ...]
    institution: str
    fresh: bool


@dataclass(frozen=True, slots=True)
class Context:
    """What a case fixes before any candidate is chosen: the table as the file leaves it."""

    required: tuple[str, ...]
    on_file_sectors: frozenset[str]
    sectors: tuple[str, ...]  # required sectors not covered on the file: bit i is sectors[i]
    on_file_organisations: frozenset[str]
    on_file_institutions: frozenset[str]
    on_file_types: int
    weights: Weights
    people: frozenset[str]
    cap: int  # the most members the panel may hold
    cap_kind: str  # "max_experts" or "group_size": which limit `cap` is
    order: Mapping[str, int]  # position of each required sector
    bits: Mapping[str, int]  # the bit of each required sector not on the file

    @property
    def on_file_covered(self) -> int:
        """How many required sectors the file already covers."""
        return len(self.required) - len(self.sectors)


def panel_cap(case: Case) -> tuple[int, str]:
    """The panel's size limit and which rule sets it (`max_experts` or the group size)."""
    if case.mode is Mode.IN_PERSON:
        return case.max_experts, "max_experts"
    room = GROUP_LIMIT - FACILITATORS - len(case.file_organisations)
    if room < case.max_experts:
        return max(0, room), "group_size"
    return case.max_experts, "max_experts"


def context(case: Case, weights: Weights) -> Context:
    """The table before any invitation: sectors, organisations, institutions and types."""
    required = case.required_sectors
    on_file_sectors = frozenset().union(*(entry.sectors for entry in case.on_file))
    types = 0
    for entry in case.on_file:
        types |= TYPE_BITS.get(entry.organisation.type, 0)
    cap, cap_kind = panel_cap(case)
    sectors = tuple(code for code in required if code not in on_file_sectors)
    return Context(
        required=required,
        on_file_sectors=on_file_sectors & set(required),
        sectors=sectors,
        on_file_organisations=case.file_organisations,
        on_file_institutions=frozenset(entry.organisation.institution for entry in case.on_file),
        on_file_types=types,
        weights=weights,
        people=case.people,
        cap=cap,
        cap_kind=cap_kind,
        order={code: index for index, code in enumerate(required)},
        bits={code: 1 << bit for bit, code in enumerate(sectors)},
    )


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance in kilometres (haversine: fast, well within a km at our scale)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_km(case: Case, candidate: Candidate) -> float | None:
    """Kilometres between the case and the candidate, when both places are known."""
    if case.location is None or candidate.location is None:
        return None
    return distance_km(case.location, candidate.location)


def charged_km(case: Case, candidate: Candidate, *, remote: bool) -> float | None:
    """The distance the objective charges: none remotely or when the case has no place;
    `UNKNOWN_KM` for an in-person member whose position is unknown."""
    if remote or case.location is None:
        return None
    known = travel_km(case, candidate)
    return UNKNOWN_KM if known is None else known


def admissible(case: Case, candidate: Candidate, ctx: Context) -> bool:
    """Every per-candidate hard rule except the sectors and the meeting mode."""
    if candidate.organisation.id in ctx.on_file_organisations:
        return False
    if (case.exclude_organisations or case.exclude_candidates) and excluded(case, candidate):
        return False
    if candidate.capacity is not None and over_capacity(candidate):
        return False
    if case.language not in candidate.languages:
        return False
    return not (
        candidate.territory is not None
        and outside_territory(case, candidate)
        and candidate.id not in case.pinned
    )


def member_terms(
    case: Case, candidate: Candidate, *, remote: bool, weights: Weights
) -> dict[str, float]:
    """The per-member terms of the objective (sector fit and balance are set terms).

    Every term is a cost (≤ 0 with non-negative weights): staying in region and continuity are
    charged to the member who lacks them (out of region; a newcomer on a follow-up) rather than
    credited to the one who has them; an in-person member of unknown position is charged
    `UNKNOWN_KM`.
    """
    newcomer = bool(case.previous_candidates) and candidate.id not in case.previous_candidates
    km = charged_km(case, candidate, remote=remote)
    return {
        "distance": -weights.distance * km / KM_UNIT if km is not None else 0.0,
        "in_region": 0.0 if case.region in candidate.home_regions else -weights.in_region,
        "load": -weights.load * candidate.recent_invitations,
        "continuity": -weights.continuity if newcomer else 0.0,
        "size": -weights.size,
        "unconfirmed": 0.0 if candidate.confirmed else -weights.unconfirmed,
    }


def option(
    case: Case, candidate: Candidate, ctx: Context, *, remote: bool, covers: tuple[str, ...]
) -> Option:
    """Score one candidate joining in the given way (distance counts only in person)."""
    distance = None if remote else travel_km(case, candidate)
    bits = ctx.bits
    mask = 0
    for code in covers:
        mask |= bits.get(code, 0)
    organisation = candidate.organisation
    institution = organisation.institution
    return Option(
        candidate,
        remote,
        distance,
        mask,
        TYPE_BITS.get(organisation.type, 0),
        _value(case, candidate, ctx, _charged(case, remote, distance)),
        covers,
        institution,
        institution not in ctx.on_file_institutions,
    )


def member_value(case: Case, candidate: Candidate, ctx: Context, *, remote: bool) -> float:
    """The sum of `member_terms`, without building the dict (the hot loop of `eligible`)."""
    return _value(case, candidate, ctx, charged_km(case, candidate, remote=remote))


def _charged(case: Case, remote: bool, distance: float | None) -> float | None:  # noqa: FBT001 - private, positional in the hot loop
    """`charged_km` from a distance already measured (`travel_km`)."""
    if remote or case.location is None:
        return None
    return UNKNOWN_KM if distance is None else distance


def _value(case: Case, candidate: Candidate, ctx: Context, km: float | None) -> float:
    weights = ctx.weights
    value = -weights.size - weights.load * candidate.recent_invitations
    if km is not None:
        value -= weights.distance * km / KM_UNIT
    if case.region not in candidate.home_regions:
        value -= weights.in_region
    if case.previous_candidates and candidate.id not in case.previous_candidates:
        value -= weights.continuity
    if not candidate.confirmed:
        value -= weights.unconfirmed
    return value


def terms(case: Case, opt: Option, weights: Weights) -> dict[str, float]:
    """An option's per-member terms, by criterion (they sum to `opt.value`)."""
    return member_terms(case, opt.candidate, remote=opt.remote, weights=weights)


def eligible(case: Case, candidates: Iterable[Candidate], ctx: Context) -> list[Option]:
    """Every candidate the hard rules allow, scored, in the order given.

    A candidate must offer a required sector to the people followed; a pinned one need not
    (the facilitator chose it on purpose).
    """
    required = frozenset(ctx.required)
    order = ctx.order
    people = ctx.people
    pinned_ids = case.pinned
    options = []
    for candidate in candidates:
        pinned = candidate.id in pinned_ids
        hit = candidate.sectors & required
        if not (hit or pinned):
            continue
        # The mode first: in person, it turns away every candidate of another region cheaply.
        remote = attendance(case, candidate)
        if remote is None or not admissible(case, candidate, ctx):
            continue
        if candidate.populations:
            hit = hit & offered(candidate, people)
            if not (hit or pinned):
                continue
        covers = tuple(sorted(hit, key=order.__getitem__)) if len(hit) > 1 else tuple(hit)
        options.append(option(case, candidate, ctx, remote=remote, covers=covers))
    return options


def individual_score(opt: Option, weights: Weights) -> float:
    """A candidate's worth alone: its member terms plus the sectors it would bring."""
    return opt.value + weights.sector_fit * opt.mask.bit_count()


def rank_key(opt: Option, weights: Weights) -> tuple[float, str]:
    """Best first by individual score, then by candidate id (deterministic ties)."""
    return (-individual_score(opt, weights), opt.candidate.id)


def institutions(panel: Iterable[Option], ctx: Context) -> int:
    """Distinct institutions at the table: the file's and the panel's."""
    return len(ctx.on_file_institutions | {opt.institution for opt in panel})


def panel_key(panel: Sequence[Option], ctx: Context) -> tuple[int, bool, float]:
    """The lexicographic objective: (sectors covered, three institutions, weighted score)."""
    mask = 0
    types = ctx.on_file_types
    value = 0.0
    for opt in panel:
        mask |= opt.mask
        types |= opt.type_bit
        value += opt.value
    value += ctx.weights.sector_fit * mask.bit_count()
    if types == BOTH_TYPES:
        value += ctx.weights.balance
    three = institutions(panel, ctx) >= MIN_ORGANISATIONS
    return (ctx.on_file_covered + mask.bit_count(), three, value)


def needed(panel: Sequence[Option], ctx: Context, pinned: frozenset[str]) -> list[bool]:
    """Per member: is it at the table for a reason the rules accept?

    A pinned member is (the facilitator chose it). Any other one must bring a required sector
    nobody else at the table brings, or be what makes three distinct institutions: without it
    the table would fall below three. Nobody sits at the table only to fill a seat.
    """
    counts: dict[str, int] = {}
    for opt in panel:
        counts[opt.institution] = counts.get(opt.institution, 0) + 1
    at_table = len(ctx.on_file_institutions | counts.keys())
    return [
        opt.candidate.id in pinned
        or bool(own)
        or (at_table == MIN_ORGANISATIONS and opt.fresh and counts[opt.institution] == 1)
        for opt, own in zip(panel, own_sectors(panel), strict=True)
    ]


def own_sectors(panel: Sequence[Option]) -> list[int]:
    """Per member, the bits of the sectors it alone brings (the file's are in no mask)."""
    found = []
    for index, opt in enumerate(panel):
        others = 0
        for other_index, other in enumerate(panel):
            if other_index != index:
                others |= other.mask
        found.append(opt.mask & ~others)
    return found


def breakdown(case: Case, panel: Sequence[Option], ctx: Context) -> dict[str, float]:
    """The whole panel's contribution per criterion (sums to `panel_key(...)[2]`)."""
    totals = dict.fromkeys(CRITERIA, 0.0)
    mask = 0
    types = ctx.on_file_types
    for opt in panel:
        mask |= opt.mask
        types |= opt.type_bit
        for name, amount in terms(case, opt, ctx.weights).items():
            totals[name] += amount
    totals["sector_fit"] = ctx.weights.sector_fit * mask.bit_count()
    totals["balance"] = ctx.weights.balance if types == BOTH_TYPES else 0.0
    return totals
