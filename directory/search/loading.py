"""Listings read for indexing in bulk: a handful of plain SELECTs per batch of organisations.

The ORM's object graph (identity map, one relationship loader per collection and level) was
most of a rebuild's time (bench/search_bench.py: 42–51 s of 80–100 s at 50,000 services).
These rows carry exactly what `documents.documents_for` reads, under the same names; the
rules computed from them (public, verified, regions, sectors, municipality, the verification
interval) are the models' own properties, reused as they are.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.organisations.models import (
    SERVICE_MODES,
    Location,
    Organisation,
    Phone,
    Service,
    ServiceLanguage,
    ServiceMode,
    service_areas,
    service_populations,
    service_sectors,
    services_at_location,
)
from directory.reference.models import Municipality, Population, Region, Sector


@dataclass
class Place:
    name: str
    latitude: float
    longitude: float


@dataclass
class Site:
    id: uuid.UUID
    region_code: str
    confidential: bool
    latitude: float | None
    longitude: float | None
    municipality: Place | None
    archived_at: datetime | None = None


@dataclass
class PhoneRow:
    number: str
    extension: str | None
    type: str
    description: str | None
    hours: str | None
    service_id: uuid.UUID | None


@dataclass
class Offer:
    """A service, as `documents` reads it."""

    id: uuid.UUID
    name: str
    description: str | None
    eligibility: str | None
    how_to_refer: str | None
    email: str | None
    url: str | None
    sectors: list[Sector] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    areas: list[Region] = field(default_factory=list)
    language_codes: list[str] = field(default_factory=list)
    mode_codes: list[str] = field(default_factory=list)
    locations: list[Site] = field(default_factory=list)


@dataclass
class Listing:
    """An organisation, as `documents` reads it."""

    id: uuid.UUID
    slug: str
    name: str
    alternate_name: str | None
    description: str | None
    type: str
    email: str | None
    website: str | None
    verification_status: str
    last_verified_at: datetime | None
    published: bool
    archived_at: datetime | None
    parent_id: uuid.UUID | None
    parent: Listing | None = None
    services: list[Offer] = field(default_factory=list)
    locations: list[Site] = field(default_factory=list)
    phones: list[PhoneRow] = field(default_factory=list)

    # The models' rules, unchanged.
    is_public = Organisation.is_public
    is_verified = Organisation.is_verified
    region_codes = Organisation.region_codes
    sectors = Organisation.sectors
    municipality = Organisation.municipality
    verification_interval_months = Organisation.verification_interval_months
    verification_due_at = Organisation.verification_due_at


_LISTING_COLUMNS = (
    "id", "slug", "name", "alternate_name", "description", "type", "email", "website",
    "verification_status", "last_verified_at", "published", "archived_at", "parent_id",
)  # fmt: skip
_OFFER_COLUMNS = ("id", "name", "description", "eligibility", "how_to_refer", "email", "url")


class Loader:
    """Reads listings in bulk; reference rows (sectors, populations, regions) read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sectors = {s.code: s for s in session.scalars(select(Sector))}
        self.populations = {p.code: p for p in session.scalars(select(Population))}
        self.regions = {r.code: r for r in session.scalars(select(Region))}
        self._parents: dict[uuid.UUID, Listing] = {}

    def _listings(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Listing]:
        table = Organisation.__table__
        stmt = select(*(table.c[name] for name in _LISTING_COLUMNS)).where(
            table.c.id.in_(list(ids))
        )
        return {row.id: Listing(**row._asdict()) for row in self.session.execute(stmt)}

    def _link_parents(self, listings: dict[uuid.UUID, Listing]) -> None:
        """Parents (and theirs) are needed for `is_public` and a sub-program's parent name."""
        pending = list(listings.values())
        while pending:
            wanted = {
                item.parent_id
                for item in pending
                if item.parent_id and item.parent_id not in listings
                and item.parent_id not in self._parents
            }  # fmt: skip
            found = self._listings(wanted) if wanted else {}
            self._parents.update(found)
            for item in pending:
                if item.parent_id:
                    item.parent = listings.get(item.parent_id) or self._parents.get(item.parent_id)
            pending = list(found.values())

    def _codes(self, table: Any, column: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:  # noqa: ANN401 - a Table
        found: dict[uuid.UUID, list[str]] = defaultdict(list)
        stmt = select(table.c.service_id, table.c[column]).where(table.c.service_id.in_(ids))
        for service_id, code in self.session.execute(stmt):
            found[service_id].append(code)
        return found

    def _locations(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        table = services_at_location
        stmt = select(table.c.service_id, table.c.location_id).where(table.c.service_id.in_(ids))
        for service_id, location_id in self.session.execute(stmt):
            found[service_id].append(location_id)
        return found

    def _offers(self, listings: dict[uuid.UUID, Listing], sites: dict[uuid.UUID, Site]) -> None:
        table = Service.__table__
        stmt = (
            select(table.c.organisation_id, *(table.c[name] for name in _OFFER_COLUMNS))
            .where(table.c.organisation_id.in_(list(listings)), table.c.archived_at.is_(None))
            .order_by(table.c.name)
        )
        offers: dict[uuid.UUID, Offer] = {}
        for row in self.session.execute(stmt):
            values = row._asdict()
            owner = values.pop("organisation_id")
            offers[row.id] = Offer(**values)
            listings[owner].services.append(offers[row.id])
        ids = list(offers)
        if not ids:
            return
        self._references(offers, ids)
        languages = self._codes(ServiceLanguage.__table__, "code", ids)
        modes = self._codes(ServiceMode.__table__, "mode", ids)
        for service_id, offer in offers.items():
            offer.language_codes = sorted(languages.get(service_id, []))
            present = set(modes.get(service_id, []))
            offer.mode_codes = [mode for mode in SERVICE_MODES if mode in present]
        order = {site_id: number for number, site_id in enumerate(sites)}
        for service_id, location_ids in self._locations(ids).items():
            # In the sites' own order, as the ORM gives them.
            linked = sorted((i for i in set(location_ids) if i in order), key=order.__getitem__)
            offers[service_id].locations = [sites[i] for i in linked]

    def _references(self, offers: dict[uuid.UUID, Offer], ids: list[uuid.UUID]) -> None:
        for service_id, codes in self._codes(service_sectors, "sector_code", ids).items():
            chosen = [self.sectors[c] for c in codes if c in self.sectors]
            offers[service_id].sectors = sorted(chosen, key=lambda s: s.position)
        for service_id, codes in self._codes(service_populations, "population_code", ids).items():
            populations = [self.populations[c] for c in codes if c in self.populations]
            offers[service_id].populations = sorted(populations, key=lambda p: p.position)
        for service_id, codes in self._codes(service_areas, "region_code", ids).items():
            offers[service_id].areas = sorted(
                (self.regions[c] for c in codes if c in self.regions), key=lambda r: r.code
            )

    def _sites(self, listings: dict[uuid.UUID, Listing]) -> dict[uuid.UUID, Site]:
        table, places = Location.__table__, Municipality.__table__
        stmt = (
            select(
                table.c.id,
                table.c.organisation_id,
                table.c.region_code,
                table.c.confidential,
                table.c.latitude,
                table.c.longitude,
                places.c.name.label("place_name"),
                places.c.latitude.label("place_latitude"),
                places.c.longitude.label("place_longitude"),
            )
            .outerjoin(places, places.c.id == table.c.municipality_id)
            .where(table.c.organisation_id.in_(list(listings)), table.c.archived_at.is_(None))
            .order_by(table.c.position, table.c.id)
        )
        sites: dict[uuid.UUID, Site] = {}
        for row in self.session.execute(stmt):
            place = (
                Place(row.place_name, row.place_latitude, row.place_longitude)
                if row.place_name is not None
                else None
            )
            site = Site(row.id, row.region_code, bool(row.confidential), row.latitude,
                        row.longitude, place)  # fmt: skip
            sites[row.id] = site
            listings[row.organisation_id].locations.append(site)
        return sites

    def _phones(self, listings: dict[uuid.UUID, Listing]) -> None:
        table = Phone.__table__
        columns = ("organisation_id", "number", "extension", "type", "description", "hours")
        stmt = select(*(table.c[name] for name in columns), table.c.service_id).where(
            table.c.organisation_id.in_(list(listings)), table.c.archived_at.is_(None)
        )
        for row in self.session.execute(stmt):
            values = row._asdict()
            listings[values.pop("organisation_id")].phones.append(PhoneRow(**values))

    def load(self, ids: Iterable[uuid.UUID]) -> list[Listing]:
        """The listings `ids` (those that exist), in the order given."""
        ids = list(ids)
        listings = self._listings(ids)
        if not listings:
            return []
        self._link_parents(listings)
        sites = self._sites(listings)
        self._offers(listings, sites)
        self._phones(listings)
        return [listings[i] for i in ids if i in listings]


def batches(ids: list[uuid.UUID], size: int) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
