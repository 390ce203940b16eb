"""Writes for accounts: users, sessions, one-time links, API tokens, login attempts."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from directory.accounts.models import (
    ApiToken,
    LoginAttempt,
    LoginSession,
    OneTimeToken,
    User,
    normalise_email,
)
from directory.accounts.passwords import hash_password
from directory.accounts.tokens import digest, new_secret
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import Organisation

logger = logging.getLogger(__name__)


class AccountError(ValueError):
    """An account operation that cannot be done (duplicate e-mail, bad role…)."""


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    role: str,
    *,
    name: str = "",
    password: str | None = None,
    organisations: Iterable[Organisation] = (),
) -> User:
    """A new account; without a password it can only be entered through an invitation link."""
    if user_by_email(email) is not None:
        raise AccountError(email)
    user = User(email=email, role=role, name=name, organisations=list(organisations))
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    logger.info("account created: %s (%s)", user.id, role)
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password hash and sign the account out everywhere."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)


def start_session(user: User) -> str:
    """A new server-side session; returns the secret to keep in the signed cookie."""
    raw, hashed = new_secret()
    db.session.add(LoginSession(token_hash=hashed, user_id=user.id))
    user.last_login_at = utcnow()
    db.session.flush()
    return raw


def find_session(raw: str) -> LoginSession | None:
    """The live session for a cookie secret, touching it; expired ones are deleted."""
    found = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(raw)))
    if found is None:
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if now - found.last_seen_at > idle or not found.user.active:
        db.session.delete(found)
        db.session.flush()
        return None
    if now - found.last_seen_at > timedelta(minutes=1):  # one write a minute, not per request
        found.last_seen_at = now
    return found


def end_session(raw: str) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.token_hash == digest(raw)))


def end_all_sessions(user: User) -> None:
    if user.id is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def issue_link(user: User, purpose: str) -> str:
    """A single-use invitation or reset secret; earlier unused ones of that kind stop working."""
    hours = current_app.config[
        "INVITATION_VALID_HOURS" if purpose == "invite" else "RESET_VALID_HOURS"
    ]
    db.session.execute(
        delete(OneTimeToken).where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
        )
    )
    raw, hashed = new_secret()
    expires_at = utcnow() + timedelta(hours=hours)
    db.session.add(
        OneTimeToken(token_hash=hashed, user_id=user.id, purpose=purpose, expires_at=expires_at)
    )
    db.session.flush()
    return raw


def valid_link(raw: str) -> OneTimeToken | None:
    """The unexpired, unused link for a secret, if any, whose account is active."""
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == digest(raw)))
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token if token.user.active else None


def use_link(token: OneTimeToken, password: str) -> User:
    token.used_at = utcnow()
    set_password(token.user, password)
    db.session.flush()
    return token.user


def issue_api_token(user: User) -> str:
    raw, hashed = new_secret()
    db.session.add(ApiToken(token_hash=hashed, user_id=user.id))
    db.session.flush()
    return raw


def api_token_user(raw: str) -> User | None:
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user


def record_login_attempt(email: str, client: str, user: User | None, *, succeeded: bool) -> None:
    """Keep the attempt (with a keyed hash of the client's address, never the address)."""
    db.session.add(
        LoginAttempt(email=normalise_email(email)[:254], client_key=client, succeeded=succeeded)
    )
    db.session.flush()
    if not succeeded:
        logger.warning(
            "failed login for %r (account %s)",
            normalise_email(email)[:254],
            user.id if user else None,
        )


def set_active(user: User, *, active: bool) -> None:
    user.active = active
    if not active:
        end_all_sessions(user)
        db.session.execute(
            delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        )
    logger.info("account %s %s", user.id, "enabled" if active else "disabled")
