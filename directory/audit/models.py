"""The audit trail: one row per event, with the values before and after where it changed
something. Append-only: rows are added, never changed or deleted (see `guard`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship, remote

from directory.db import one_of, utcnow
from directory.extensions import Model

if TYPE_CHECKING:
    # Types only: the trail sits below the accounts and the listings it names (they write to
    # it); the relationships below resolve these classes by name.
    from directory.accounts.models import User
    from directory.organisations.models import Organisation

# What a row records, by kind of record (`entity`):
LISTING_ACTIONS = ("create", "update", "archive", "restore", "revert", "verify", "publish")
ACCOUNT_ACTIONS = (
    "invite", "login", "login_failed", "password_change", "password_reset", "role_change",
    "disable", "enable", "token_issue", "token_revoke",
)  # fmt: skip
DECISION_ACTIONS = ("approve", "reject")  # account requests
RELEASE_ACTIONS = ("release_request", "release_approve", "release_reject")  # confidential sites
MEETING_ACTIONS = ("confirm", "cancel")  # with "create"
ACTIONS = (
    *LISTING_ACTIONS, *ACCOUNT_ACTIONS, *DECISION_ACTIONS, *RELEASE_ACTIONS, *MEETING_ACTIONS
)  # fmt: skip


class AuditEntry(Model):
    """An event: `changes` maps each field to `[before, after]` (JSON-serialisable values).

    `user` did it (None for the system or an anonymous visitor); `organisation` is the
    listing it concerns, if any (account events concern none).
    """

    __tablename__ = "audit_entries"
    __table_args__ = (one_of("action", ACTIONS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # No ON DELETE: a row outlives nothing it names (accounts and listings are disabled or
    # archived, never deleted), and the database refuses a delete that would orphan it.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    entity: Mapped[str] = mapped_column(String(30))  # organisation, service, user, meeting, …
    entity_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A revert names the update it undid (the update itself is never touched).
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("audit_entries.id"), index=True)

    user: Mapped[User | None] = relationship("User")
    organisation: Mapped[Organisation | None] = relationship("Organisation")
    reverted_by: Mapped[AuditEntry | None] = relationship(
        primaryjoin=lambda: AuditEntry.id == remote(AuditEntry.reverts_id),
        uselist=False,
        viewonly=True,
    )

    @property
    def reverted_by_id(self) -> int | None:
        """The revert that undid this update, if any."""
        return self.reverted_by.id if self.reverted_by else None


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit row."""


def _refuse_change(_mapper: object, _connection: object, target: AuditEntry) -> None:
    raise AppendOnlyError(f"audit entry {target.id} cannot be changed or deleted")


def _refuse_bulk(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is AuditEntry.__mapper__:
        raise AppendOnlyError("audit entries cannot be changed or deleted")


def guard() -> None:
    """Refuse, at the ORM level, any update or delete of an audit row (once)."""
    for name in ("before_update", "before_delete"):
        if not event.contains(AuditEntry, name, _refuse_change):
            event.listen(AuditEntry, name, _refuse_change)
    if not event.contains(Session, "do_orm_execute", _refuse_bulk):
        event.listen(Session, "do_orm_execute", _refuse_bulk)
