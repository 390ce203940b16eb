"""Organisations and what they offer, modelled after Open Referral HSDS 3.0."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, ClassVar, Protocol, TypeVar

from sqlalchemy import Boolean, Column, Float, ForeignKey, String, Table, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from directory import geo
from directory.audit.editing import Editable, child_rows
from directory.db import add_months, created_at, long_text, one_of, updated_at, utcnow, uuid_pk
from directory.extensions import Model, db
from directory.reference.models import Municipality, Population, Region, Sector
from directory.text import fold

ORGANISATION_TYPES = ("community", "institutional")
VERIFICATION_STATUSES = ("unverified", "verified")
SERVICE_STATUSES = ("active", "inactive")
VERIFICATION_MONTHS = 12
SHORT_VERIFICATION_MONTHS = 6
SERVICE_MODES = ("in_person", "phone", "video", "chat")
PHONE_TYPES = ("voice", "fax", "text", "tty", "hotline")
# A language a service or an expertise offer is available in: an ISO 639-1 or 639-3 code, one
# row per language, keyed with its owner.
language_code = Annotated[str, mapped_column(String(3), primary_key=True)]

Place = TypeVar("Place")
Place_co = TypeVar("Place_co", covariant=True)


class _SiteParts(Protocol[Place_co]):
    @property
    def region_code(self) -> str: ...
    @property
    def confidential(self) -> bool: ...
    @property
    def municipality(self) -> Place_co | None: ...


class _OfferParts(Protocol):
    @property
    def areas(self) -> Sequence[Region]: ...
    @property
    def sectors(self) -> Sequence[Sector]: ...


class _PhoneParts(Protocol):
    @property
    def type(self) -> str: ...


class _Publishable(Protocol):
    @property
    def is_public(self) -> bool: ...


class ListingParts(Protocol[Place_co]):
    """What the listing rules below read: an `Organisation`, or the search index's bulk-read
    `loading.Listing` that borrows them (its sites name a lighter place than `Municipality`)."""

    @property
    def locations(self) -> Sequence[_SiteParts[Place_co]]: ...
    @property
    def services(self) -> Sequence[_OfferParts]: ...
    @property
    def phones(self) -> Sequence[_PhoneParts]: ...
    @property
    def verification_status(self) -> str: ...
    @property
    def last_verified_at(self) -> datetime | None: ...
    @property
    def published(self) -> bool: ...
    @property
    def archived_at(self) -> datetime | None: ...
    @property
    def parent(self) -> _Publishable | None: ...
    @property
    def verification_interval_months(self) -> int: ...


def _service_link(name: str, column: str, target: str, *, ondelete: str | None = None) -> Table:
    """An association table between services and another table."""
    return Table(
        name,
        db.metadata,
        Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(target, ondelete=ondelete), primary_key=True),
    )


service_sectors = _service_link("service_sectors", "sector_code", "sectors.code")
service_populations = _service_link("service_populations", "population_code", "populations.code")
service_areas = _service_link("service_areas", "region_code", "regions.code")
services_at_location = _service_link(
    "services_at_location", "location_id", "locations.id", ondelete="CASCADE"
)


class Organisation(Editable, Model):
    """A community organisation, an institution, or a sub-program of one (via `parent`)."""

    __tablename__ = "organisations"
    __table_args__ = (
        one_of("type", ORGANISATION_TYPES),
        one_of("verification_status", VERIFICATION_STATUSES),
    )

    id: Mapped[uuid_pk]
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str]
    name_key: Mapped[str] = mapped_column(index=True)
    alternate_name: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[long_text]
    type: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str | None]
    website: Mapped[str | None]
    verification_status: Mapped[str] = mapped_column(String(20), default="unverified")
    last_verified_at: Mapped[datetime | None]
    last_verified_by: Mapped[str | None]
    source_note: Mapped[str | None] = mapped_column(Text)
    # False while a new organisation proposed through an editor request awaits an admin.
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    archived_at: Mapped[datetime | None]
    verification_reminder_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    audit_entity: ClassVar[str] = "organisation"
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "alternate_name",
        "description",
        "type",
        "email",
        "website",
    )

    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")
    # Collections hold live records only: archived ones (soft-deleted, restorable) and
    # unpublished sub-programs stay in the database, out of every page, export and index.
    sub_programmes: Mapped[list[Organisation]] = relationship(
        primaryjoin="and_(Organisation.id == remote(Organisation.parent_id), "
        "remote(Organisation.published), remote(Organisation.archived_at).is_(None))",
        order_by="Organisation.name_key",
        viewonly=True,
    )
    services: Mapped[list[Service]] = relationship(
        primaryjoin="and_(Organisation.id == Service.organisation_id, "
        "Service.archived_at.is_(None))",
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="Service.name",
    )
    locations: Mapped[list[Location]] = relationship(
        primaryjoin="and_(Organisation.id == Location.organisation_id, "
        "Location.archived_at.is_(None))",
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="[Location.position, Location.id]",
    )
    phones: Mapped[list[Phone]] = relationship(
        primaryjoin="and_(Organisation.id == Phone.organisation_id, Phone.archived_at.is_(None))",
        back_populates="organisation",
        cascade="all, delete-orphan",
    )
    contacts: Mapped[list[Contact]] = relationship(
        primaryjoin="and_(Organisation.id == Contact.organisation_id, "
        "Contact.archived_at.is_(None))",
        back_populates="organisation",
        cascade="all, delete-orphan",
    )

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = fold(name)
        return name

    @property
    def region_codes(self: ListingParts[object]) -> list[str]:
        """Regions where it has a site or that one of its services covers."""
        codes = {location.region_code for location in self.locations}
        codes.update(area.code for service in self.services for area in service.areas)
        return sorted(codes)

    @property
    def sectors(self: ListingParts[object]) -> list[Sector]:
        """Sectors of its services, in the reference order."""
        found = {sector.code: sector for service in self.services for sector in service.sectors}
        return sorted(found.values(), key=lambda sector: sector.position)

    @property
    def municipality(self: ListingParts[Place]) -> Place | None:
        """The municipality of its first site that names one."""
        return next((loc.municipality for loc in self.locations if loc.municipality), None)

    @property
    def is_verified(self: ListingParts[object]) -> bool:
        return self.verification_status == "verified" and self.last_verified_at is not None

    @property
    def is_public(self: ListingParts[object]) -> bool:
        """Shown to the public: published, not archived, and so is its parent for a sub-program."""
        if not self.published or self.archived_at is not None:
            return False
        return self.parent is None or self.parent.is_public

    @property
    def verification_interval_months(self: ListingParts[object]) -> int:
        """Shelters (a confidential site) and crisis lines (a hotline) are re-confirmed sooner."""
        short = any(site.confidential for site in self.locations) or any(
            phone.type == "hotline" for phone in self.phones
        )
        return SHORT_VERIFICATION_MONTHS if short else VERIFICATION_MONTHS

    @property
    def verification_due_at(self: ListingParts[object]) -> datetime | None:
        """When the last confirmation expires; None when it was never confirmed."""
        if self.last_verified_at is None:
            return None
        return add_months(self.last_verified_at, self.verification_interval_months)

    def is_stale(self, now: datetime | None = None) -> bool:
        """Never confirmed, or confirmed longer ago than its interval."""
        due = self.verification_due_at
        return due is None or due <= (now or utcnow())

    @property
    def display_name(self) -> str:
        """Name with its acronym when the name does not already carry it."""
        if self.alternate_name and self.alternate_name not in self.name:
            return f"{self.name} ({self.alternate_name})"
        return self.name

    @property
    def owner_id(self) -> uuid.UUID:
        return self.id


class Service(Editable, Model):
    """What an organisation offers: sectors, populations, languages, modes, how to get it."""

    __tablename__ = "services"
    __table_args__ = (one_of("status", SERVICE_STATUSES),)

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str]
    alternate_name: Mapped[str | None]
    description: Mapped[long_text]
    eligibility: Mapped[long_text]
    how_to_refer: Mapped[long_text]
    hours: Mapped[long_text]
    fees: Mapped[long_text]
    email: Mapped[str | None]
    url: Mapped[str | None]
    status: Mapped[str] = mapped_column(String(20), default="active")
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    audit_entity: ClassVar[str] = "service"
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name", "alternate_name", "description", "eligibility", "how_to_refer", "hours", "fees",
        "email", "url", "status", "sectors", "populations", "areas", "languages", "modes",
    )  # fmt: skip

    organisation: Mapped[Organisation] = relationship(back_populates="services")
    sectors: Mapped[list[Sector]] = relationship(
        secondary=service_sectors, order_by=Sector.position
    )
    populations: Mapped[list[Population]] = relationship(
        secondary=service_populations, order_by=Population.position
    )
    areas: Mapped[list[Region]] = relationship(secondary=service_areas, order_by=Region.code)
    locations: Mapped[list[Location]] = relationship(
        secondary=services_at_location,
        back_populates="services",
        order_by="[Location.position, Location.id]",
    )
    languages: Mapped[list[ServiceLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLanguage.code"
    )
    modes: Mapped[list[ServiceMode]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceMode.mode"
    )
    phones: Mapped[list[Phone]] = relationship(
        primaryjoin="and_(Service.id == Phone.service_id, Phone.archived_at.is_(None))",
        back_populates="service",
    )

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    @property
    def mode_codes(self) -> list[str]:
        """Service modes in the canonical order (in person, phone, video, chat)."""
        present = {mode.mode for mode in self.modes}
        return [mode for mode in SERVICE_MODES if mode in present]

    @property
    def owner_id(self) -> uuid.UUID:
        return self.organisation_id

    def edit_value(self, field: str) -> Any:  # noqa: ANN401 - any column's value
        if field == "modes":
            return sorted(self.mode_codes)
        return super().edit_value(field)

    def set_edit_value(self, field: str, value: Any) -> None:  # noqa: ANN401 - any value
        if field == "languages":
            self.languages = child_rows(self.languages, value, ServiceLanguage, "code")
        elif field == "modes":
            self.modes = child_rows(self.modes, value, ServiceMode, "mode")
        else:
            super().set_edit_value(field, value)


class ServiceLanguage(Model):
    """A language a service is offered in (ISO 639 code)."""

    __tablename__ = "service_languages"

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[language_code]


class ServiceMode(Model):
    """A way a service is delivered: in person, phone, video or chat."""

    __tablename__ = "service_modes"
    __table_args__ = (one_of("mode", SERVICE_MODES),)

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(12), primary_key=True)


class Location(Editable, Model):
    """A site. A confidential one (a shelter) never shows its street address or coordinates."""

    __tablename__ = "locations"

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str | None]
    description: Mapped[long_text]
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    address: Mapped[str | None]
    postal_code: Mapped[str | None] = mapped_column(String(7))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    audit_entity: ClassVar[str] = "location"
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "region_code",
        "municipality",
        "address",
        "postal_code",
        "confidential",
    )

    organisation: Mapped[Organisation] = relationship(back_populates="locations")
    municipality: Mapped[Municipality | None] = relationship()
    region: Mapped[Region] = relationship()
    services: Mapped[list[Service]] = relationship(
        secondary=services_at_location, back_populates="locations"
    )

    @property
    def public_address(self) -> str | None:
        """The street address, or None when the site is confidential."""
        return None if self.confidential else self.address

    @property
    def public_postal_code(self) -> str | None:
        """The postal code; only its area (first three characters) for a confidential site."""
        if not self.postal_code:
            return None
        return self.postal_code[:3] if self.confidential else self.postal_code

    @property
    def owner_id(self) -> uuid.UUID:
        return self.organisation_id

    def edit_value(self, field: str) -> Any:  # noqa: ANN401 - any column's value
        if field == "municipality":
            return self.municipality.name if self.municipality else None
        return super().edit_value(field)

    def set_edit_value(self, field: str, value: Any) -> None:  # noqa: ANN401 - any value
        if field == "municipality":
            places = geo.find_municipalities(value, region_code=self.region_code) if value else []
            self.municipality = places[0] if places else None
        else:
            super().set_edit_value(field, value)

    def prepare_new(self) -> None:
        """A new site comes after the organisation's other (non-archived) sites."""
        self.position = db.session.scalar(
            select(func.count())
            .select_from(Location)
            .where(Location.organisation_id == self.organisation_id, Location.archived_at.is_(None))
        )


class Phone(Editable, Model):
    """A phone number of an organisation, optionally tied to one of its services or sites."""

    __tablename__ = "phones"
    __table_args__ = (one_of("type", PHONE_TYPES),)

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL")
    )
    number: Mapped[str] = mapped_column(String(30))
    extension: Mapped[str | None] = mapped_column(String(10))
    type: Mapped[str] = mapped_column(String(10), default="voice")
    description: Mapped[str | None]
    # When the line answers, as the organisation states it ("24/7", "lun.-ven. 9 h-17 h"):
    # shown beside the number in search results and on the printed short list.
    hours: Mapped[str | None] = mapped_column(String(80))
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    audit_entity: ClassVar[str] = "phone"
    editable_fields: ClassVar[tuple[str, ...]] = (
        "number",
        "extension",
        "type",
        "description",
        "hours",
    )

    organisation: Mapped[Organisation] = relationship(back_populates="phones")
    service: Mapped[Service | None] = relationship(back_populates="phones")

    @property
    def owner_id(self) -> uuid.UUID:
        return self.organisation_id


class Contact(Editable, Model):
    """A public contact point of an organisation (a role, an intake desk)."""

    __tablename__ = "contacts"

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None]
    title: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None] = mapped_column(String(30))
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    audit_entity: ClassVar[str] = "contact"
    editable_fields: ClassVar[tuple[str, ...]] = ("name", "title", "email", "phone")

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")

    @property
    def owner_id(self) -> uuid.UUID:
        return self.organisation_id
