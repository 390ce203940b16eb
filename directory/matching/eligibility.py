"""Who may sit at the table at all: the per-candidate hard rules, one predicate each.

`scoring.admissible` and `scoring.eligible` apply them to every candidate of a case; `gaps`
applies them one by one, in the order of `types.GapCause`, to say which of them leaves a
sector without anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from directory.matching.types import (
    CHILDREN,
    EXCLUSIVE_POPULATIONS,
    MEN,
    WOMEN,
    YOUTH,
    Candidate,
    Case,
    Mode,
)

# "families" serves the parents and the children alike.
FAMILIES = "families"
FAMILY_MEMBERS = frozenset({WOMEN, MEN, CHILDREN, YOUTH})


def over_capacity(candidate: Candidate) -> bool:
    """True when the organisation has already taken its stated 90-day share of invitations."""
    return candidate.capacity is not None and candidate.recent_invitations >= candidate.capacity


def outside_territory(case: Case, candidate: Candidate) -> bool:
    """A territorial service (youth protection, police, school board, CISSS/CIUSSS program)
    asked for a case outside the regions where it acts."""
    return candidate.territory is not None and case.region not in candidate.territory


def excluded(case: Case, candidate: Candidate) -> bool:
    """The facilitator excluded its organisation, its institution, or this candidate."""
    organisation = candidate.organisation
    return (
        organisation.id in case.exclude_organisations
        or organisation.institution in case.exclude_organisations
        or candidate.id in case.exclude_candidates
    )


def population_fits(stated: Iterable[str], people: frozenset[str]) -> bool:
    """Whether a service stating `stated` populations serves the people a case follows.

    Not stated fits everyone. Only sex and age populations can exclude (women, men,
    children, youth; "families" means all of them); the others are facts a case never
    states, so they never exclude on their own.
    """
    codes = set(stated)
    if FAMILIES in codes:
        codes |= FAMILY_MEMBERS
    exclusive = codes & EXCLUSIVE_POPULATIONS
    return not exclusive or bool(exclusive & people)


def offered(candidate: Candidate, people: frozenset[str]) -> frozenset[str]:
    """The candidate's sectors whose services fit the people followed."""
    if not candidate.populations:
        return candidate.sectors
    return frozenset(
        code
        for code in candidate.sectors
        if population_fits(candidate.populations.get(code, ()), people)
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


def in_region(case: Case, candidate: Candidate) -> bool:
    """Based in, attending in, or acting in the case's region."""
    region = case.region
    territory = candidate.territory or frozenset()
    return region in candidate.home_regions or region in candidate.regions or region in territory
