"""An organisation's stated expertise offer and its named experts (facilitators/admins only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.audit.editing import Editable, child_rows
from directory.db import created_at, long_text, updated_at, uuid_pk
from directory.extensions import Model, db
from directory.organisations.models import Organisation, language_code
from directory.reference.models import Region, Sector


def _link(name: str, owner: str, column: str, target: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}s.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(target), primary_key=True),
    )


offer_sectors = _link("expertise_offer_sectors", "expertise_offer", "sector_code", "sectors.code")
offer_regions = _link("expertise_offer_regions", "expertise_offer", "region_code", "regions.code")
expert_sectors = _link("expert_sectors", "expert", "sector_code", "sectors.code")


class ExpertiseOffer(Editable, Model):
    """What the organisation itself says it can bring to a meeting (one offer per organisation)."""

    __tablename__ = "expertise_offers"

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    joins_remotely: Mapped[bool] = mapped_column(Boolean, default=True)
    invitations_per_90_days: Mapped[int | None]  # None: no stated limit
    notes: Mapped[long_text]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    audit_entity: ClassVar[str] = "expertise_offer"
    editable_fields: ClassVar[tuple[str, ...]] = (
        "sectors",
        "regions",
        "joins_remotely",
        "languages",
        "invitations_per_90_days",
        "notes",
    )

    organisation: Mapped[Organisation] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=offer_sectors, order_by=Sector.position)
    # Regions where it attends meetings in person.
    regions: Mapped[list[Region]] = relationship(secondary=offer_regions, order_by=Region.code)
    languages: Mapped[list[OfferLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="OfferLanguage.code"
    )

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    @property
    def owner_id(self) -> uuid.UUID:
        return self.organisation_id

    def set_edit_value(self, field: str, value: Any) -> None:  # noqa: ANN401 - any value
        if field == "languages":
            self.languages = child_rows(self.languages, value, OfferLanguage, "code")
        else:
            super().set_edit_value(field, value)


class OfferLanguage(Model):
    """A language the organisation can attend a meeting in (ISO 639 code, as a service's)."""

    __tablename__ = "expertise_offer_languages"

    offer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("expertise_offers.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[language_code]


class Expert(Editable, Model):
    """A named person an organisation can send to a meeting, with contact details."""

    __tablename__ = "experts"

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    audit_entity: ClassVar[str] = "expert"
    editable_fields: ClassVar[tuple[str, ...]] = ("name", "title", "email", "phone", "sectors")

    organisation: Mapped[Organisation] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=expert_sectors, order_by=Sector.position)

    @property
    def owner_id(self) -> uuid.UUID:
        return self.organisation_id
