"""Why a required sector is a gap, and who could still cover it.

A gap's cause is found by filtering the candidates that offer the sector, in the order of
`types.GapCause` (territory, population, language, availability, the facilitator's exclusions);
the cause is the filter that removes the last of them, or `cap_reached` when eligible ones
remain, or `none_in_region` when there was nobody to filter. Its alternatives list the
organisations of the region that offer the sector first (with what keeps each from the table),
then those of other regions that could join remotely, nearest region first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from directory.matching.eligibility import (
    attendance,
    excluded,
    in_region,
    offered,
    outside_territory,
    over_capacity,
)
from directory.matching.scoring import GROUP_LIMIT, Context, Option, distance_km, member_value
from directory.matching.types import Candidate, Case, Gap, GapAlternative, GapCause, Mode, Point

IN_REGION_ALTERNATIVES = 3
REMOTE_ALTERNATIVES = 3
FAR = float("inf")  # a region whose centroid is unknown sorts after every known one

Blocker = Callable[[Case, Candidate, Context, str], bool]


def _territorial(case: Case, candidate: Candidate, _ctx: Context, _code: str) -> bool:
    return outside_territory(case, candidate) and candidate.id not in case.pinned


def _population(_case: Case, candidate: Candidate, ctx: Context, code: str) -> bool:
    return code not in offered(candidate, ctx.people)


def _language(case: Case, candidate: Candidate, _ctx: Context, _code: str) -> bool:
    return case.language not in candidate.languages


def _unavailable(case: Case, candidate: Candidate, _ctx: Context, _code: str) -> bool:
    return over_capacity(candidate) or attendance(case, candidate) is None


def _excluded(case: Case, candidate: Candidate, _ctx: Context, _code: str) -> bool:
    return excluded(case, candidate)


FILTERS: tuple[tuple[GapCause, Blocker], ...] = (
    (GapCause.TERRITORIAL, _territorial),
    (GapCause.POPULATION, _population),
    (GapCause.LANGUAGE, _language),
    (GapCause.UNAVAILABLE, _unavailable),
    (GapCause.EXCLUDED, _excluded),
)


def blocker(case: Case, candidate: Candidate, ctx: Context, code: str) -> GapCause | None:
    """The first filter that keeps `candidate` from covering `code` here (None: eligible)."""
    for cause, blocked in FILTERS:
        if blocked(case, candidate, ctx, code):
            return cause
    return None


def _reachable(case: Case, candidate: Candidate) -> bool:
    """In the region, or (remote and hybrid meetings) able to join from elsewhere."""
    return in_region(case, candidate) or (case.mode is not Mode.IN_PERSON and candidate.remote)


def gaps(  # noqa: PLR0913 - one answer's pieces
    case: Case,
    ctx: Context,
    codes: Sequence[str],
    panel: Sequence[Option],
    candidates: Sequence[Candidate],
    regions: Mapping[str, Point],
) -> tuple[Gap, ...]:
    """One `Gap` per uncovered required sector, with its cause and alternatives."""
    used = ctx.on_file_organisations | {opt.candidate.organisation.id for opt in panel}
    found = []
    for code in codes:
        offering = [c for c in candidates if code in c.sectors and c.organisation.id not in used]
        cause, params = _cause(case, ctx, code, panel, offering)
        found.append(
            Gap(
                sector=code,
                region=case.region,
                cause=cause,
                alternatives=_alternatives(case, ctx, code, offering, regions, cause),
                params=params,
            )
        )
    return tuple(found)


def _cause(
    case: Case, ctx: Context, code: str, panel: Sequence[Option], offering: list[Candidate]
) -> tuple[GapCause, dict[str, object]]:
    remaining = [c for c in offering if _reachable(case, c)]
    if not remaining:
        return GapCause.NONE_IN_REGION, {"region": case.region}
    for cause, blocked in FILTERS:
        remaining = [c for c in remaining if not blocked(case, c, ctx, code)]
        if not remaining:
            return cause, _params(case, cause)
    return GapCause.CAP_REACHED, _cap(case, ctx, panel)


def _params(case: Case, cause: GapCause) -> dict[str, object]:
    return {"language": case.language} if cause is GapCause.LANGUAGE else {}


def _cap(case: Case, ctx: Context, panel: Sequence[Option]) -> dict[str, object]:
    """Which limit kept eligible candidates out: the cap, or one seat per organisation (the
    organisations able to cover it already sit at the table for other sectors)."""
    limit = ctx.cap_kind if len(panel) >= ctx.cap else "organisation_seat"
    on_file = len(ctx.on_file_organisations)
    return {
        "limit": limit,
        "max_experts": case.max_experts,
        "group_limit": GROUP_LIMIT if limit == "group_size" else None,
        "on_file": on_file,
    }


def _alternatives(  # noqa: PLR0913 - one gap's pieces
    case: Case,
    ctx: Context,
    code: str,
    offering: list[Candidate],
    regions: Mapping[str, Point],
    cause: GapCause,
) -> tuple[GapAlternative, ...]:
    local: list[GapAlternative] = []
    if cause is not GapCause.NONE_IN_REGION:
        here = [c for c in offering if in_region(case, c) and not outside_territory(case, c)]
        for candidate in _distinct(here, lambda c: _worth(case, c, ctx)):
            if len(local) == IN_REGION_ALTERNATIVES:
                break
            blocked = blocker(case, candidate, ctx, code) or GapCause.CAP_REACHED
            joins = bool(attendance(case, candidate))
            local.append(
                GapAlternative(candidate, in_region=True, remote=joins, blocked_by=blocked)
            )
    listed = {alt.candidate.organisation.id for alt in local}
    far = [
        c
        for c in offering
        if c.organisation.id not in listed
        and not in_region(case, c)
        and not outside_territory(case, c)  # a pin seats it; it never makes it a suggestion
        and _could_join(case, c, ctx, code)
    ]
    nearest = _distinct(far, lambda c: (_region_km(case, c, regions), *_worth(case, c, ctx)))
    seat = None if case.mode is Mode.IN_PERSON else GapCause.CAP_REACHED
    remote = [
        GapAlternative(c, in_region=False, remote=True, blocked_by=seat)
        for c in nearest[:REMOTE_ALTERNATIVES]
    ]
    return (*local, *remote)


def _could_join(case: Case, candidate: Candidate, ctx: Context, code: str) -> bool:
    """Would join remotely from its region if the meeting allowed it (every other rule holds)."""
    if not candidate.remote:
        return False
    cause = blocker(case, candidate, ctx, code)
    return cause is None or (cause is GapCause.UNAVAILABLE and not over_capacity(candidate))


def _worth(case: Case, candidate: Candidate, ctx: Context) -> tuple[float, str]:
    return (-member_value(case, candidate, ctx, remote=False), candidate.id)


def _distinct(
    found: list[Candidate], key: Callable[[Candidate], tuple[object, ...]]
) -> list[Candidate]:
    """Best first by `key`, one per organisation."""
    chosen: list[Candidate] = []
    seen: set[str] = set()
    for candidate in sorted(found, key=key):
        if candidate.organisation.id not in seen:
            chosen.append(candidate)
            seen.add(candidate.organisation.id)
    return chosen


def _region_km(case: Case, candidate: Candidate, regions: Mapping[str, Point]) -> float:
    """Kilometres from the case's region to the nearest of the candidate's, by centroid."""
    origin = regions.get(case.region)
    if origin is None:
        return FAR
    return min(
        (distance_km(origin, regions[code]) for code in candidate.home_regions if code in regions),
        default=FAR,
    )
