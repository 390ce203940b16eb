"""A request to make a confidential site public, waiting for a second person's approval."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.accounts.models import User
from directory.db import created_at, one_of, uuid_pk
from directory.extensions import Model
from directory.organisations.models import Location, Organisation

STATUSES = ("pending", "approved", "rejected")


class ConfidentialityRelease(Model):
    """Someone unticked "confidential address" on a site. Until an administrator other than
    them approves, the site stays confidential."""

    __tablename__ = "confidentiality_releases"
    __table_args__ = (one_of("status", STATUSES),)

    id: Mapped[uuid_pk]
    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[created_at]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    location: Mapped[Location] = relationship()
    organisation: Mapped[Organisation] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
