"""The matching engine's candidates, from the public directory.

A candidate is what an organisation can send. With an expertise offer the organisation has
confirmed what it brings (one candidate per active named expert, or the organisation itself
when it names nobody). Without one, a default is derived from its public listing and marked
unconfirmed: its services' sectors, in person in its own regions, remote possible.

What every candidate of an organisation also carries, from data the directory really has:

- its **institution**: the top-level parent of a sub-program (every program of one CIUSSS is
  one institution for the « trois organismes ou institutions distincts » rule);
- whether it is **territorial** (`is_territorial`), and then its territory: the regions of its
  sites and of its services' areas (its parent's when it states none);
- the **populations** its services state, per sector (a sector some service offers without
  stating a population is open to everyone);
- its **position** and what it is based on: a non-confidential site's own coordinates, else
  its site's municipality (the only position a confidential site ever gives), else the
  centroid of the region its services cover; None when nothing is known.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import TypedDict

from directory import geo
from directory.expertise.models import Expert, ExpertiseOffer
from directory.matching import types
from directory.meetings import queries
from directory.organisations.models import Organisation
from directory.text import fold

INSTITUTIONAL = "institutional"
# Sectors that only public bodies with a territory provide: youth protection (DPJ), police,
# school boards and school service centres.
TERRITORIAL_SECTORS = frozenset({"MT", "POLICE", "SCOLAIRE"})
# The public health and social-services network's designations, in a name or an acronym.
NETWORK_NAME = re.compile(
    r"\b(cisss|ciusss|clsc|dpj)\b"
    r"|centre integre (universitaire )?de sante et de services sociaux"
    r"|protection de la jeunesse"
)


def build(network: Network, centroids: Mapping[str, geo.Point]) -> list[types.Candidate]:
    """Every candidate of the network's (public) organisations."""
    offers = queries.offers_by_organisation()
    experts = queries.active_experts_by_organisation()
    loads = queries.recent_invitation_counts()
    found: list[types.Candidate] = []
    for organisation in network.organisations:
        common = _common(organisation, network, loads.get(organisation.id, 0), centroids)
        offer = offers.get(organisation.id)
        if offer is None:
            found.append(_default_candidate(organisation, common))
        else:
            named = experts.get(organisation.id, [])
            found += _offer_candidates(organisation, offer, named, common)
    return found


class Network:
    """The public organisations, their parents and sub-programs (no query per organisation)."""

    def __init__(self, organisations: list[Organisation]) -> None:
        self.organisations = organisations
        self.by_id = {organisation.id: organisation for organisation in organisations}
        self.parents = {o.parent_id for o in organisations if o.parent_id is not None}

    def top(self, organisation: Organisation) -> Organisation:
        """The top-level institution an organisation belongs to (itself when it has no parent)."""
        current = organisation
        seen = {current.id}
        while current.parent_id is not None and current.parent_id in self.by_id:
            current = self.by_id[current.parent_id]
            if current.id in seen:  # a cycle in edited data: stop rather than loop
                break
            seen.add(current.id)
        return current

    def institution_id(self, organisation: Organisation) -> uuid.UUID:
        top = self.top(organisation)
        if top.parent_id is not None:  # the parent is not public: still the same institution
            return top.parent_id
        return top.id

    def is_territorial(self, organisation: Organisation) -> bool:
        return is_territorial(organisation, self.top(organisation), self.parents)


def is_territorial(organisation: Organisation, top: Organisation, parents: set[uuid.UUID]) -> bool:
    """An institution whose service area is a territory (it acts there only).

    Community organisations never are. An institutional one is when it belongs to a network
    of programs (it has a parent or sub-programs: a CISSS/CIUSSS and its teams), when it or its
    top-level parent is named as part of the public network (CISSS, CIUSSS, CLSC, DPJ, youth
    protection), or when it offers youth protection (MT), police or school services.
    """
    if organisation.type != INSTITUTIONAL:
        return False
    if organisation.parent_id is not None or organisation.id in parents:
        return True
    names = " ".join(
        fold(name)
        for item in {organisation, top}
        for name in (item.name, item.alternate_name or "")
    )
    sectors = {sector.code for sector in organisation.sectors}
    return bool(NETWORK_NAME.search(names)) or bool(sectors & TERRITORIAL_SECTORS)


class _Common(TypedDict):
    """The `types.Candidate` fields every candidate of an organisation shares."""

    organisation: types.Organisation
    home_regions: frozenset[str]
    recent_invitations: int
    location: types.Point | None
    location_basis: types.DistanceBasis | None
    territory: frozenset[str] | None
    populations: Mapping[str, frozenset[str]]


class _Shared(_Common):
    """An offer's fields, shared by its experts."""

    regions: frozenset[str]
    remote: bool
    languages: frozenset[str]
    capacity: int | None
    confirmed: bool


def _common(
    organisation: Organisation,
    network: Network,
    recent: int,
    centroids: Mapping[str, geo.Point],
) -> _Common:
    """What every candidate of an organisation shares: who, where, how busy, for whom."""
    sites = organisation.locations
    home = {site.region_code for site in sites} or set(organisation.region_codes)
    location, basis = position(organisation, centroids)
    territory = None
    if network.is_territorial(organisation):
        top = network.top(organisation)
        territory = frozenset(organisation.region_codes or top.region_codes)
    return _Common(
        organisation=engine_organisation(organisation, network),
        home_regions=frozenset(home),
        recent_invitations=recent,
        location=location,
        location_basis=basis,
        territory=territory,
        populations=populations(organisation),
    )


def position(
    organisation: Organisation, centroids: Mapping[str, geo.Point]
) -> tuple[types.Point | None, types.DistanceBasis | None]:
    """Where distances are measured from, and on what that is based.

    A confidential site's coordinates never leave it: only its municipality is used.
    """
    for site in organisation.locations:
        if not site.confidential and site.latitude is not None and site.longitude is not None:
            return types.Point(site.latitude, site.longitude), types.DistanceBasis.SITE
    place = organisation.municipality
    if place is not None:
        return types.Point(place.latitude, place.longitude), types.DistanceBasis.MUNICIPALITY
    served = sorted({area.code for service in organisation.services for area in service.areas})
    for code in [*served, *sorted({site.region_code for site in organisation.locations})]:
        if code in centroids:
            return types.Point(*centroids[code]), types.DistanceBasis.REGION
    return None, None


def populations(organisation: Organisation) -> dict[str, frozenset[str]]:
    """Per sector, the populations its services state; absent when one of them states none."""
    stated: dict[str, set[str]] = {}
    open_to_all: set[str] = set()
    for service in organisation.services:
        codes = {population.code for population in service.populations}
        for sector in service.sectors:
            if codes:
                stated.setdefault(sector.code, set()).update(codes)
            else:
                open_to_all.add(sector.code)
    return {code: frozenset(found) for code, found in stated.items() if code not in open_to_all}


def engine_organisation(organisation: Organisation, network: Network) -> types.Organisation:
    """The engine's view of an organisation, with its institution."""
    institution = network.institution_id(organisation)
    return types.Organisation(
        id=str(organisation.id),
        slug=organisation.slug,
        name=organisation.display_name,
        type=organisation.type,
        institution_id=None if institution == organisation.id else str(institution),
    )


def listing_sectors(organisation: Organisation) -> frozenset[str]:
    return frozenset(sector.code for sector in organisation.sectors)


def _default_candidate(organisation: Organisation, common: _Common) -> types.Candidate:
    languages = {code for service in organisation.services for code in service.language_codes}
    return types.Candidate(
        id=f"org:{organisation.id}",
        sectors=listing_sectors(organisation),
        regions=frozenset(organisation.region_codes),
        remote=True,
        languages=frozenset(languages or {"fr"}),
        capacity=None,
        confirmed=False,
        **common,
    )


def _offer_candidates(
    organisation: Organisation,
    offer: ExpertiseOffer,
    experts: list[Expert],
    common: _Common,
) -> list[types.Candidate]:
    offered = frozenset(sector.code for sector in offer.sectors)
    shared = _Shared(
        regions=frozenset(region.code for region in offer.regions),
        remote=offer.joins_remotely,
        languages=frozenset(offer.language_codes or ["fr"]),
        capacity=offer.invitations_per_90_days,
        confirmed=True,
        **common,
    )
    if not experts:
        return [types.Candidate(id=f"org:{organisation.id}", sectors=offered, **shared)]
    return [
        types.Candidate(
            id=str(expert.id),
            sectors=_expert_sectors(expert, offered),
            expert_id=str(expert.id),
            expert_name=expert.name,
            **shared,
        )
        for expert in experts
    ]


def _expert_sectors(expert: Expert, offered: frozenset[str]) -> frozenset[str]:
    """The expert's own sectors within the offer's; the offer's when the expert states none."""
    own = frozenset(sector.code for sector in expert.sectors)
    if not own:
        return offered
    return own & offered if offered else own
