"""Writes for accounts: users, sessions, one-time links, API tokens, login attempts."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, or_, select

from directory.accounts.models import (
    ROLES,
    ApiToken,
    LoginAttempt,
    LoginSession,
    OneTimeToken,
    User,
    normalise_email,
)
from directory.accounts.passwords import hash_password
from directory.accounts.tokens import digest, new_secret
from directory.audit import operations as audit
from directory.core import throttle
from directory.db import rowcount, utcnow
from directory.extensions import db
from directory.organisations.models import Organisation

logger = logging.getLogger(__name__)

API_TOKEN_DAYS = 90  # a personal API token's default lifetime
# Throttle windows last at most an hour; a day's margin keeps the previous window readable.
THROTTLE_KEEP_DAYS = 2


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


def _audit(
    actor: User | None, user: User, action: str, changes: dict[str, Any] | None = None
) -> None:
    """An account event in the audit trail (`actor` did it to `user`; None: the system)."""
    audit.record(
        actor, None, entity="user", entity_id=user.id, action=action, changes=changes or {}
    )


def set_password(user: User, password: str, *, action: str = "password_change") -> None:
    """Store a new password hash and sign the account out everywhere: every session ends
    and every API token is revoked (a stolen token dies with the old password)."""
    first = user.password_hash is None
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    if user.id is not None:
        revoke_api_tokens(user, actor=user)
        _audit(user, user, action, {"first_password": [None, True]} if first else {})


def start_session(user: User) -> str:
    """A new server-side session; returns the secret to keep in the signed cookie."""
    raw, hashed = new_secret()
    db.session.add(LoginSession(token_hash=hashed, user_id=user.id))
    user.last_login_at = utcnow()
    db.session.flush()
    return raw


def _session_limits(now: datetime) -> tuple[datetime, datetime]:
    """Sessions last seen before the first, or started before the second, have ended."""
    config = current_app.config
    return (
        now - timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        now - timedelta(hours=config["SESSION_MAX_HOURS"]),
    )


def find_session(raw: str) -> LoginSession | None:
    """The live session for a cookie secret, touching it; ended ones are deleted.

    A session ends after `SESSION_IDLE_MINUTES` without a request, and in any case
    `SESSION_MAX_HOURS` after the login (a stolen cookie is not good forever).
    """
    found = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(raw)))
    if found is None:
        return None
    now = utcnow()
    idle_since, started_since = _session_limits(now)
    expired = found.last_seen_at < idle_since or found.created_at < started_since
    if expired or not found.user.active:
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


def issue_link(user: User, purpose: str, *, actor: User | None = None) -> str:
    """A single-use invitation or reset secret; earlier unused ones of that kind stop working.

    An invitation is audited (`actor` invited `user`).
    """
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
    if purpose == "invite":
        _audit(actor, user, "invite", {"role": [None, user.role]})
    return raw


def valid_link(raw: str) -> OneTimeToken | None:
    """The unexpired, unused link for a secret, if any, whose account is active."""
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == digest(raw)))
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token if token.user.active else None


def use_link(token: OneTimeToken, password: str) -> User:
    token.used_at = utcnow()
    action = "password_reset" if token.purpose == "reset" else "password_change"
    set_password(token.user, password, action=action)
    db.session.flush()
    return token.user


def issue_api_token(user: User, *, days: int = API_TOKEN_DAYS, actor: User | None = None) -> str:
    """A personal API token valid `days` days; only its hash is kept. It ends earlier when
    revoked, or when the password changes or the account is disabled."""
    if days < 1:
        raise AccountError("a token lives at least one day")
    raw, hashed = new_secret()
    expires_at = utcnow() + timedelta(days=days)
    token = ApiToken(token_hash=hashed, user_id=user.id, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    _audit(actor, user, "token_issue", {"token": [None, token.prefix], "days": [None, days]})
    return raw


def api_token_user(raw: str) -> User | None:
    """The owner of a live token (not revoked, not expired, account active)."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or not token.is_live() or not token.user.active:
        return None
    if token.last_used_at is None or utcnow() - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = utcnow()  # one write a minute, not per request
    return token.user


def revoke_api_tokens(
    user: User, *, actor: User | None = None, prefix: str | None = None
) -> list[ApiToken]:
    """Revoke the account's live tokens (only the one whose id starts with `prefix`, if
    given); the tokens revoked."""
    now = utcnow()
    revoked = [
        token
        for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
        if token.is_live(now) and (prefix is None or str(token.id).startswith(prefix))
    ]
    for token in revoked:
        token.revoked_at = now
    if revoked:
        db.session.flush()
        _audit(actor, user, "token_revoke", {"tokens": [[t.prefix for t in revoked], None]})
    return revoked


def record_login_attempt(email: str, client: str, user: User | None, *, succeeded: bool) -> None:
    """Keep the attempt (with a keyed hash of the client's address, never the address), and
    audit it when it names an account."""
    db.session.add(
        LoginAttempt(email=normalise_email(email)[:254], client_key=client, succeeded=succeeded)
    )
    db.session.flush()
    if user is not None:
        _audit(user if succeeded else None, user, "login" if succeeded else "login_failed")
    if not succeeded:
        account = user.id if user else None
        logger.warning("failed login for %r (account %s)", normalise_email(email)[:254], account)


def set_active(user: User, *, active: bool, actor: User | None = None) -> None:
    """Disable (sessions end, tokens are revoked) or enable an account."""
    if user.active == active:
        return
    user.active = active
    if not active:
        end_all_sessions(user)
        revoke_api_tokens(user, actor=actor)
    _audit(actor, user, "enable" if active else "disable", {"active": [not active, active]})
    logger.info("account %s %s", user.id, "enabled" if active else "disabled")


def change_role(user: User, role: str, *, actor: User | None = None) -> None:
    """Give `user` another role; an editor keeps its organisations, others have none."""
    if role not in ROLES:
        raise AccountError(role)
    if role == "editor" and not user.organisations:
        raise AccountError("an editor needs at least one organisation")
    if user.role == role:
        return
    before, user.role = user.role, role
    if role != "editor":
        user.organisations = []
    db.session.flush()
    _audit(actor, user, "role_change", {"role": [before, role]})
    logger.info("account %s: role %s -> %s", user.id, before, role)


def prune(now: datetime | None = None, *, attempts_days: int | None = None) -> dict[str, int]:
    """Delete what is no longer needed: login attempts older than `attempts_days` (default
    LOGIN_ATTEMPTS_KEEP_DAYS), ended sessions, used or expired one-time links, finished
    throttle windows. How many rows of each went."""
    now = now or utcnow()
    days = (
        attempts_days
        if attempts_days is not None
        else current_app.config["LOGIN_ATTEMPTS_KEEP_DAYS"]
    )
    idle_since, started_since = _session_limits(now)
    statements = {
        "login attempts": delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=days)),
        "sessions": delete(LoginSession).where(
            or_(LoginSession.last_seen_at < idle_since, LoginSession.created_at < started_since)
        ),
        "one-time links": delete(OneTimeToken).where(
            or_(OneTimeToken.used_at.is_not(None), OneTimeToken.expires_at <= now)
        ),
    }
    counts = {
        name: rowcount(db.session.execute(statement)) for name, statement in statements.items()
    }
    counts["throttle windows"] = throttle.prune(timedelta(days=THROTTLE_KEEP_DAYS), now=now)
    return counts
