"""Matching inputs built from the database: the case, the candidates, the weights.

The candidates come from `candidates` (one per organisation, or per named expert of a
confirmed offer); the case from a validated `CaseRequest`. A follow-up keeps the previous
meeting's members: they are pinned unless the facilitator excluded them.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from flask import current_app

from directory import geo
from directory.matching import types
from directory.meetings import candidates
from directory.meetings.models import Meeting
from directory.organisations import queries as organisation_queries
from directory.organisations.models import Organisation
from directory.reference.models import Municipality


@dataclass(frozen=True)
class CaseRequest:
    """A validated case description (from the form or the API), in database terms."""

    region: str
    cooccurrences: frozenset[str]
    followed: frozenset[types.Followed]
    other_needs: frozenset[str] = frozenset()
    municipality: Municipality | None = None
    on_file_ids: tuple[uuid.UUID, ...] = ()
    exclude_ids: frozenset[uuid.UUID] = frozenset()
    meeting_type: types.MeetingType = types.MeetingType.CONCERTATION
    mode: types.Mode = types.Mode.IN_PERSON
    language: str = "fr"
    max_experts: int = 5
    previous_meeting: Meeting | None = None
    imminent_risk: bool = False
    consents_attested: bool = False
    pinned: frozenset[str] = field(default_factory=frozenset)
    exclude_candidates: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Inputs:
    """What `recommend` takes, plus the rows the views need to show the result."""

    case: types.Case
    candidates: tuple[types.Candidate, ...]
    organisations: dict[str, Organisation]  # by id (str), every public organisation
    weights: types.Weights
    regions: dict[str, types.Point]  # region centroids, for a gap's nearest regions


def resolve_municipality(text: str, region_code: str) -> tuple[Municipality | None, bool]:
    """A municipality of the region named `text` (accent- and typo-tolerant).

    Returns (the municipality or None, whether the name is known in another region).
    """
    exact = geo.find_municipalities(text, region_code=region_code)
    if exact:
        return exact[0], False
    guessed = geo.guess_municipality(text, region_code=region_code)
    if guessed is not None:
        return guessed, False
    return None, bool(geo.find_municipalities(text))


def weights() -> types.Weights:
    """The soft criteria's weights from the `MATCHING_WEIGHTS` setting."""
    return types.Weights(**current_app.config["MATCHING_WEIGHTS"])


def default_weights() -> dict[str, float]:
    return asdict(types.Weights())


def build(request: CaseRequest) -> Inputs:
    """The engine's case and candidates for `request`, from the current directory."""
    organisations = organisation_queries.public_organisations(with_services=True)
    by_id = {str(organisation.id): organisation for organisation in organisations}
    network = candidates.Network(organisations)
    centroids = geo.region_centroids()
    found = tuple(candidates.build(network, centroids))
    regions = {code: types.Point(*point) for code, point in centroids.items()}
    return Inputs(_case(request, network, centroids), found, by_id, weights(), regions)


def _case(
    request: CaseRequest, network: candidates.Network, centroids: dict[str, geo.Point]
) -> types.Case:
    on_file = tuple(
        types.OnFile(
            candidates.engine_organisation(network.by_id[org_id], network),
            candidates.listing_sectors(network.by_id[org_id]),
        )
        for org_id in request.on_file_ids
    )
    previous = request.previous_meeting
    return types.Case(
        region=request.region,
        cooccurrences=request.cooccurrences,
        followed=request.followed,
        other_needs=request.other_needs,
        on_file=on_file,
        exclude_organisations=frozenset(str(org_id) for org_id in request.exclude_ids),
        exclude_candidates=request.exclude_candidates,
        pinned=request.pinned,
        meeting_type=request.meeting_type,
        mode=request.mode,
        language=request.language,
        max_experts=request.max_experts,
        location=_case_location(request, centroids),
        previous_candidates=previous_candidates(previous),
        imminent_risk=request.imminent_risk,
    )


def previous_candidates(previous: Meeting | None) -> frozenset[str]:
    """The candidate ids invited to the previous meeting (empty for a first meeting)."""
    if previous is None:
        return frozenset()
    return frozenset(invitation.candidate_id for invitation in previous.invitations)


def _case_location(request: CaseRequest, centroids: dict[str, geo.Point]) -> types.Point | None:
    """The municipality's centroid, else the region's (the mean of its municipalities)."""
    if request.municipality is not None:
        return types.Point(request.municipality.latitude, request.municipality.longitude)
    centroid = centroids.get(request.region)
    return types.Point(*centroid) if centroid else None
