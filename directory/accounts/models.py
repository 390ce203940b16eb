"""Accounts, their server-side sessions, API tokens, one-time links and login attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from directory.db import created_at, one_of, utcnow, uuid_pk
from directory.extensions import Model, db
from directory.organisations.models import Organisation

ROLES = ("admin", "facilitator", "editor")
TOKEN_PURPOSES = ("invite", "reset")
REQUEST_STATUSES = ("pending", "approved", "rejected")


editor_organisations = Table(
    "editor_organisations",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class User(Model):
    """A person who signs in. An editor is bound to the organisations they may edit."""

    __tablename__ = "users"
    __table_args__ = (one_of("role", ROLES),)

    id: Mapped[uuid_pk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None]  # None until the invitation link is used
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created_at]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=editor_organisations, order_by=Organisation.name_key
    )

    @validates("email")
    def _normalise_email(self, _key: str, email: str) -> str:
        return normalise_email(email)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _owner() -> Mapped[uuid.UUID]:
    """The account a session, token or link belongs to (gone with the account)."""
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class LoginSession(Model):
    """A signed-in browser. Deleting the row signs it out, whatever its cookie says."""

    __tablename__ = "login_sessions"

    id: Mapped[uuid_pk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = _owner()
    created_at: Mapped[created_at]
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class ApiToken(Model):
    """A personal API token (only its hash is stored) acting with its owner's rights until
    it expires or is revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid_pk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = _owner()
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def prefix(self) -> str:
        """How operators name a token: the start of its id (never of the secret)."""
        return str(self.id)[:8]

    def is_live(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or utcnow())

    def status(self, now: datetime | None = None) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_live(now) else "expired"


class OneTimeToken(Model):
    """An invitation or password-reset link: single use, expiring, stored as a hash."""

    __tablename__ = "one_time_tokens"
    __table_args__ = (one_of("purpose", TOKEN_PURPOSES),)

    id: Mapped[uuid_pk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = _owner()
    purpose: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginAttempt(Model):
    """A login attempt, for the account's holder and the admins to review; pruned after
    `LOGIN_ATTEMPTS_KEEP_DAYS`. Never the password, never the client's address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    # A keyed hash (HMAC) of the client's address: attempts from one client can be told
    # apart, the address cannot be read back.
    client_key: Mapped[str] = mapped_column(String(64), default="")
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class AccountRequest(Model):
    """An organisation asks for an editor account (for itself or a new organisation)."""

    __tablename__ = "account_requests"
    __table_args__ = (one_of("status", REQUEST_STATUSES),)

    id: Mapped[uuid_pk]
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    # A keyed hash of the sender's IP address, for rate limiting; never the address itself.
    sender_key: Mapped[str] = mapped_column(String(64), index=True, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[created_at]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation | None] = relationship()
    decided_by: Mapped[User | None] = relationship()
