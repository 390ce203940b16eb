"""A correction suggested by a visitor, waiting in the organisation's and the admins' queue."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.accounts.models import User
from directory.db import created_at, one_of, uuid_pk
from directory.extensions import Model
from directory.organisations.models import Organisation

STATUSES = ("open", "resolved", "dismissed")


class CorrectionSuggestion(Model):
    __tablename__ = "correction_suggestions"
    __table_args__ = (one_of("status", STATUSES),)

    id: Mapped[uuid_pk]
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text)
    reply_email: Mapped[str | None] = mapped_column(String(254))
    # A keyed hash of the sender's IP address, for rate limiting; never the address itself.
    sender_key: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[created_at]
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    resolved_by: Mapped[User | None] = relationship()
