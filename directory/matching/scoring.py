"""Eligibility filters and score terms: what a candidate may be and what it is worth.

The objective of a panel is the sum of per-member terms (distance, in region, load, continuity,
size, unconfirmed offer) and of set terms that depend only on the sectors covered (sector fit)
and on the organisation types at the table (balance). `engine` maximises it lexicographically
after coverage and the three-organisations rule; `explain` turns the terms into reasons.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from directory.matching.types import Candidate, Case, Mode, Point, Weights

EARTH_RADIUS_KM = 6371.0088
KM_UNIT = 100.0  # the distance weight is per 100 km
MIN_ORGANISATIONS = 3
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

    `mask` holds the bits (see `Context.sectors`) of the required sectors not yet on the file
    that it covers; `value` is the sum of its per-member terms (`terms` details them);
    `distance_km` is None for a remote option (see `travel_km`). A named tuple, not a frozen
    dataclass: thousands are built per case and a tuple is built several times faster.
    """

    candidate: Candidate
    remote: bool
    distance_km: float | None
    mask: int
    type_bit: int
    value: float


@dataclass(frozen=True, slots=True)
class Context:
    """What a case fixes before any candidate is chosen: the table as the file leaves it."""

    required: tuple[str, ...]
    on_file_sectors: frozenset[str]
    sectors: tuple[str, ...]  # required sectors not covered on the file: bit i is sectors[i]
    on_file_organisations: frozenset[str]
    on_file_types: int
    weights: Weights

    @property
    def on_file_covered(self) -> int:
        """How many required sectors the file already covers."""
        return len(self.required) - len(self.sectors)


def context(case: Case, weights: Weights) -> Context:
    """The table before any invitation: sectors, organisations and types on the file."""
    required = case.required_sectors
    on_file_sectors = frozenset().union(*(entry.sectors for entry in case.on_file))
    types = 0
    for entry in case.on_file:
        types |= TYPE_BITS.get(entry.organisation.type, 0)
    return Context(
        required=required,
        on_file_sectors=on_file_sectors & set(required),
        sectors=tuple(code for code in required if code not in on_file_sectors),
        on_file_organisations=frozenset(entry.organisation.id for entry in case.on_file),
        on_file_types=types,
        weights=weights,
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


def over_capacity(candidate: Candidate) -> bool:
    """True when the organisation has already taken its stated 90-day share of invitations."""
    return candidate.capacity is not None and candidate.recent_invitations >= candidate.capacity


def admissible(case: Case, candidate: Candidate, ctx: Context) -> bool:
    """Every hard rule except the meeting mode: file, exclusions, capacity, language."""
    organisation = candidate.organisation.id
    return not (
        organisation in ctx.on_file_organisations
        or organisation in case.exclude_organisations
        or candidate.id in case.exclude_candidates
        or over_capacity(candidate)
        or case.language not in candidate.languages
    )


def attendance(case: Case, candidate: Candidate) -> bool | None:
    """How the candidate would join this meeting: False in person, True remotely, None not."""
    local = case.region in candidate.regions
    if case.mode is Mode.IN_PERSON:
        return False if local else None
    if case.mode is Mode.REMOTE:
        return True if (local or candidate.remote) else None
    if local:
        return False
    return True if candidate.remote else None


def member_terms(
    case: Case, candidate: Candidate, *, distance: float | None, weights: Weights
) -> dict[str, float]:
    """The per-member terms of the objective (sector fit and balance are set terms).

    distance: km to the case when the member attends in person (None: remote or unknown).

    Every term is a cost (≤ 0 with non-negative weights): staying in region and continuity are
    charged to the member who lacks them (out of region; a newcomer on a follow-up) rather than
    credited to the one who has them. Between two members the difference is the same weight,
    but a member who brings no sector, no third organisation and no balance can never raise the
    score: "fewer people when coverage is equal" holds whatever the weights.
    """
    newcomer = bool(case.previous_candidates) and candidate.id not in case.previous_candidates
    return {
        "distance": -weights.distance * distance / KM_UNIT if distance is not None else 0.0,
        "in_region": 0.0 if case.region in candidate.home_regions else -weights.in_region,
        "load": -weights.load * candidate.recent_invitations,
        "continuity": -weights.continuity if newcomer else 0.0,
        "size": -weights.size,
        "unconfirmed": 0.0 if candidate.confirmed else -weights.unconfirmed,
    }


def option(case: Case, candidate: Candidate, ctx: Context, *, remote: bool) -> Option:
    """Score one candidate joining in the given way (distance counts only in person).

    The distance of a remote option is not computed here (it scores nothing and thousands of
    remote options are scored per case): `travel_km` gives it for the members shown.
    """
    distance = None if remote else travel_km(case, candidate)
    sectors = candidate.sectors
    mask = sum(1 << bit for bit, code in enumerate(ctx.sectors) if code in sectors)
    type_bit = TYPE_BITS.get(candidate.organisation.type, 0)
    return Option(
        candidate, remote, distance, mask, type_bit, _value(case, candidate, distance, ctx)
    )


def _value(case: Case, candidate: Candidate, distance: float | None, ctx: Context) -> float:
    """The sum of `member_terms`, without building the dict (the hot loop of `eligible`)."""
    weights = ctx.weights
    value = -weights.size - weights.load * candidate.recent_invitations
    if distance is not None:
        value -= weights.distance * distance / KM_UNIT
    if case.region not in candidate.home_regions:
        value -= weights.in_region
    if case.previous_candidates and candidate.id not in case.previous_candidates:
        value -= weights.continuity
    if not candidate.confirmed:
        value -= weights.unconfirmed
    return value


def terms(case: Case, opt: Option, weights: Weights) -> dict[str, float]:
    """An option's per-member terms, by criterion (they sum to `opt.value`)."""
    return member_terms(case, opt.candidate, distance=opt.distance_km, weights=weights)


def eligible(case: Case, candidates: Iterable[Candidate], ctx: Context) -> list[Option]:
    """Every candidate the hard rules allow, scored, in the order given."""
    options = []
    for candidate in candidates:
        if not admissible(case, candidate, ctx):
            continue
        remote = attendance(case, candidate)
        if remote is not None:
            options.append(option(case, candidate, ctx, remote=remote))
    return options


def individual_score(opt: Option, weights: Weights) -> float:
    """A candidate's worth alone: its member terms plus the sectors it would bring."""
    return opt.value + weights.sector_fit * opt.mask.bit_count()


def rank_key(opt: Option, weights: Weights) -> tuple[float, str]:
    """Best first by individual score, then by candidate id (deterministic ties)."""
    return (-individual_score(opt, weights), opt.candidate.id)


def panel_key(panel: Sequence[Option], ctx: Context) -> tuple[int, bool, float]:
    """The lexicographic objective: (sectors covered, three organisations, weighted score)."""
    mask = 0
    types = ctx.on_file_types
    value = 0.0
    for opt in panel:
        mask |= opt.mask
        types |= opt.type_bit
        value += opt.value
    covered = mask.bit_count()
    value += ctx.weights.sector_fit * covered
    if types == BOTH_TYPES:
        value += ctx.weights.balance
    three = len(ctx.on_file_organisations) + len(panel) >= MIN_ORGANISATIONS
    return (ctx.on_file_covered + covered, three, value)


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
