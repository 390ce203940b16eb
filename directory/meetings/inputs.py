"""Matching inputs built from the database: the candidates, the case, the weights.

A candidate is what an organisation can send. With an expertise offer the organisation has
confirmed what it brings (one candidate per active named expert, or the organisation itself
when it names nobody). Without one, a default is derived from its public listing and marked
unconfirmed: its services' sectors, in person in its own regions, remote possible.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from flask import current_app
from rapidfuzz import fuzz, process

from directory import geo
from directory.expertise.models import Expert, ExpertiseOffer
from directory.matching import types
from directory.meetings import queries
from directory.meetings.models import Meeting
from directory.organisations.models import Organisation
from directory.reference.models import Municipality
from directory.text import fold

MUNICIPALITY_MATCH_CUTOFF = 85


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
    pinned: frozenset[str] = field(default_factory=frozenset)
    exclude_candidates: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Inputs:
    """What `recommend` takes, plus the rows the views need to show the result."""

    case: types.Case
    candidates: tuple[types.Candidate, ...]
    organisations: dict[str, Organisation]  # by id (str), every public organisation
    weights: types.Weights


def resolve_municipality(text: str, region_code: str) -> tuple[Municipality | None, bool]:
    """A municipality of the region named `text` (accent- and typo-tolerant).

    Returns (the municipality or None, whether the name is known in another region).
    """
    exact = geo.find_municipalities(text, region_code=region_code)
    if exact:
        return exact[0], False
    places = queries.region_municipalities(region_code)
    best = process.extractOne(
        fold(text),
        {place.id: place.name_key for place in places},
        scorer=fuzz.ratio,
        score_cutoff=MUNICIPALITY_MATCH_CUTOFF,
    )
    if best is not None:
        return next(place for place in places if place.id == best[2]), False
    return None, bool(geo.find_municipalities(text))


def weights() -> types.Weights:
    """The soft criteria's weights from the `MATCHING_WEIGHTS` setting."""
    return types.Weights(**current_app.config["MATCHING_WEIGHTS"])


def default_weights() -> dict[str, float]:
    return asdict(types.Weights())


def build(request: CaseRequest) -> Inputs:
    """The engine's case and candidates for `request`, from the current directory."""
    organisations = queries.public_organisations()
    by_id = {str(organisation.id): organisation for organisation in organisations}
    candidates = tuple(_candidates(organisations))
    return Inputs(_case(request, by_id), candidates, by_id, weights())


def _candidates(organisations: list[Organisation]) -> list[types.Candidate]:
    offers = queries.offers_by_organisation()
    experts = queries.active_experts_by_organisation()
    loads = queries.recent_invitation_counts()
    found: list[types.Candidate] = []
    for organisation in organisations:
        common = _common(organisation, loads.get(organisation.id, 0))
        offer = offers.get(organisation.id)
        if offer is None:
            found.append(_default_candidate(organisation, common))
        else:
            named = experts.get(organisation.id, [])
            found += _offer_candidates(organisation, offer, named, common)
    return found


def _common(organisation: Organisation, recent: int) -> dict[str, object]:
    """What every candidate of an organisation shares: who, where, how busy."""
    sites = organisation.locations
    home = {site.region_code for site in sites} or set(organisation.region_codes)
    # The municipality's centroid only: a confidential site's coordinates never leave it.
    place = organisation.municipality
    return {
        "organisation": _organisation(organisation),
        "home_regions": frozenset(home),
        "recent_invitations": recent,
        "location": types.Point(place.latitude, place.longitude) if place else None,
    }


def _organisation(organisation: Organisation) -> types.Organisation:
    return types.Organisation(
        id=str(organisation.id),
        slug=organisation.slug,
        name=organisation.display_name,
        type=organisation.type,
    )


def _listing_sectors(organisation: Organisation) -> frozenset[str]:
    return frozenset(sector.code for sector in organisation.sectors)


def _default_candidate(organisation: Organisation, common: dict[str, object]) -> types.Candidate:
    languages = {code for service in organisation.services for code in service.language_codes}
    return types.Candidate(
        id=f"org:{organisation.id}",
        sectors=_listing_sectors(organisation),
        regions=frozenset(organisation.region_codes),
        remote=True,
        languages=frozenset(languages or {"fr"}),
        capacity=None,
        confirmed=False,
        **common,  # type: ignore[arg-type]
    )


def _offer_candidates(
    organisation: Organisation,
    offer: ExpertiseOffer,
    experts: list[Expert],
    common: dict[str, object],
) -> list[types.Candidate]:
    offered = frozenset(sector.code for sector in offer.sectors)
    shared = {
        "regions": frozenset(region.code for region in offer.regions),
        "remote": offer.joins_remotely,
        "languages": frozenset(offer.language_codes or ["fr"]),
        "capacity": offer.invitations_per_90_days,
        "confirmed": True,
        **common,
    }
    if not experts:
        return [types.Candidate(id=f"org:{organisation.id}", sectors=offered, **shared)]  # type: ignore[arg-type]
    return [
        types.Candidate(
            id=str(expert.id),
            sectors=_expert_sectors(expert, offered),
            expert_id=str(expert.id),
            expert_name=expert.name,
            **shared,  # type: ignore[arg-type]
        )
        for expert in experts
    ]


def _expert_sectors(expert: Expert, offered: frozenset[str]) -> frozenset[str]:
    """The expert's own sectors within the offer's; the offer's when the expert states none."""
    own = frozenset(sector.code for sector in expert.sectors)
    if not own:
        return offered
    return own & offered if offered else own


def _case(request: CaseRequest, organisations: dict[str, Organisation]) -> types.Case:
    on_file = tuple(
        types.OnFile(
            _organisation(organisations[str(org_id)]),
            _listing_sectors(organisations[str(org_id)]),
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
        location=_case_location(request),
        previous_candidates=frozenset(
            invitation.candidate_id for invitation in previous.invitations
        )
        if previous
        else frozenset(),
        imminent_risk=request.imminent_risk,
    )


def _case_location(request: CaseRequest) -> types.Point | None:
    """The municipality's centroid, else the region's (the mean of its municipalities)."""
    if request.municipality is not None:
        return types.Point(request.municipality.latitude, request.municipality.longitude)
    centroid = geo.region_centroid(request.region)
    return types.Point(*centroid) if centroid else None
