"""An organisation's stated expertise offer and its named experts (facilitators/admins only)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import created_at, long_text, updated_at, uuid_pk
from directory.extensions import Model, db
from directory.organisations.models import Organisation
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


class ExpertiseOffer(Model):
    """What the organisation itself says it can bring to a meeting (one offer per organisation)."""

    __tablename__ = "expertise_offers"

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    joins_remotely: Mapped[bool] = mapped_column(Boolean, default=True)
    languages: Mapped[str] = mapped_column(String(60), default="fr")  # ISO codes, comma-separated
    invitations_per_90_days: Mapped[int | None]  # None: no stated limit
    notes: Mapped[long_text]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    organisation: Mapped[Organisation] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=offer_sectors, order_by=Sector.position)
    # Regions where it attends meetings in person.
    regions: Mapped[list[Region]] = relationship(secondary=offer_regions, order_by=Region.code)

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Expert(Model):
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

    organisation: Mapped[Organisation] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=expert_sectors, order_by=Sector.position)
