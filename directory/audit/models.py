"""One row per change to a listing, with the fields' values before and after."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.accounts.models import User
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import Organisation

ACTIONS = ("create", "update", "archive", "restore", "revert", "verify", "publish")
_ALLOWED = ", ".join(f"'{action}'" for action in ACTIONS)


class AuditEntry(db.Model):
    """A change: `changes` maps each field to `[before, after]` (JSON-serialisable values)."""

    __tablename__ = "audit_entries"
    __table_args__ = (CheckConstraint(f"action IN ({_ALLOWED})", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(30))  # organisation, service, location, …
    entity_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("audit_entries.id"))

    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
