"""Run the matching engine on a validated case, and shape its result for the API."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from directory.matching.engine import recommend
from directory.matching.types import Candidate, Case, Gap, GapAlternative, Member, Result
from directory.meetings import explain, inputs


@dataclass(frozen=True)
class Proposal:
    inputs: inputs.Inputs
    result: Result

    @property
    def case(self) -> Case:
        return self.inputs.case

    def candidate(self, candidate_id: str) -> Candidate | None:
        return next((c for c in self.inputs.candidates if c.id == candidate_id), None)


class UnknownCandidateError(ValueError):
    """A pinned or excluded candidate id that is not (or no longer) a candidate."""


def propose(request: inputs.CaseRequest) -> Proposal:
    """The engine's panel for `request`; pins and exclusions must name known candidates.

    A follow-up keeps the previous meeting's members: they are pinned like the facilitator's
    own choices, unless she swapped them out or excluded their organisation.
    """
    built = inputs.build(request)
    known = {candidate.id for candidate in built.candidates}
    if not (request.pinned | request.exclude_candidates) <= known:
        raise UnknownCandidateError
    kept = inputs.previous_candidates(request.previous_meeting) - request.exclude_candidates
    wanted = request.pinned | (kept & known)
    # A pinned candidate of an excluded organisation would contradict the exclusion.
    excluded = {str(org_id) for org_id in request.exclude_ids}
    pinned = frozenset(
        c.id
        for c in built.candidates
        if c.id in wanted
        and c.organisation.id not in excluded
        and c.organisation.institution not in excluded
    )
    case = replace(built.case, pinned=pinned)
    result = recommend(case, built.candidates, weights=built.weights, regions=built.regions)
    return Proposal(replace(built, case=case), result)


def _organization(candidate: Candidate) -> dict[str, str]:
    org = candidate.organisation
    return {"id": org.id, "slug": org.slug, "name": org.name}


def _region(candidate: Candidate) -> str | None:
    return min(candidate.home_regions) if candidate.home_regions else None


def _member(member: Member) -> dict[str, Any]:
    candidate = member.candidate
    expert = (
        {"id": candidate.expert_id, "name": candidate.expert_name} if candidate.expert_id else None
    )
    basis = member.distance_basis
    return {
        "organization": _organization(candidate),
        "expert": expert,
        "covers": list(member.covers),
        "region": _region(candidate),
        "distance_km": None if member.distance_km is None else round(member.distance_km, 1),
        "distance_basis": str(basis) if basis is not None else None,
        "remote": member.remote,
        "reasons": explain.reasons(member.reasons),
        "alternatives": [
            {"organization": _organization(alt.candidate), "covers": list(alt.covers)}
            for alt in member.alternatives
        ],
    }


def _gap_alternative(alternative: GapAlternative) -> dict[str, Any]:
    blocked = alternative.blocked_by
    return {
        "organization": _organization(alternative.candidate),
        "region": _region(alternative.candidate),
        "in_region": alternative.in_region,
        "remote": alternative.remote,
        "blocked_by": str(blocked) if blocked is not None else None,
    }


def _gap(gap: Gap) -> dict[str, Any]:
    return {
        "sector": gap.sector,
        "cause": str(gap.cause),
        "message": explain.gap(gap),
        "alternatives": [_gap_alternative(alternative) for alternative in gap.alternatives],
    }


def search_header(result: Result) -> str:
    """`X-Match-Search`: "exact", or "bounded" with the nodes tried and the bound left."""
    report = result.search
    if report.exact or report.upper_bound is None:
        return "exact"
    sectors, three, value = report.upper_bound
    return (
        f"bounded; nodes={report.nodes}; bound_sectors={sectors}; "
        f"bound_three={'true' if three else 'false'}; bound_value={value:.3f}"
    )


def as_json(result: Result) -> dict[str, Any]:
    """The `/api/v1/match` answer (see the README's contract)."""
    referral = (
        {"kind": result.referral.kind, "message": explain.referral()} if result.referral else None
    )
    return {
        "panel": [_member(member) for member in result.panel],
        "coverage": {code: str(value) for code, value in result.coverage.items()},
        "gaps": [_gap(gap) for gap in result.gaps],
        "organizations_at_table": result.organisations_at_table,
        "rules": {
            "min_three_organizations": bool(result.rules.get("min_three_organizations")),
            "vc_plus_one": bool(result.rules.get("vc_plus_one")),
        },
        "referral": referral,
    }
