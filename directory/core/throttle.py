"""One rate limiter for every form that a stranger can repeat: logins, password resets,
correction suggestions and account requests.

Counts live in the database (`throttle_windows`), so they hold across gunicorn workers and
hosts, keyed by a keyed hash (HMAC with the secret key) of what is counted: neither a client
address nor an e-mail is stored in the clear. A count covers a sliding window estimated
from two fixed windows: the current one plus the previous one weighted by how much of it
still overlaps (so a burst across a window boundary is not counted twice as kindly).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from directory.core.models import ThrottleWindow
from directory.db import rowcount, utcnow
from directory.extensions import db


@dataclass(frozen=True)
class Rule:
    """At most `limit` events per `window` for one key of `scope`."""

    scope: str
    limit: int
    window: timedelta

    def window_start(self, now: datetime) -> datetime:
        seconds = self.window.total_seconds()
        return datetime.fromtimestamp(math.floor(now.timestamp() / seconds) * seconds, UTC)


def keyed(*parts: str) -> str:
    """A keyed hash of `parts`: enough to count, useless to identify anyone."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def client_key() -> str:
    """The requesting client, as a keyed hash of its address (the real client's address
    behind `TRUSTED_PROXIES` reverse proxies, see `core.security`)."""
    return keyed("client", request.remote_addr or "unknown")


def _upsert(rule: Rule, key: str, start: datetime) -> int:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ThrottleWindow.metadata.tables[ThrottleWindow.__tablename__]
    statement = insert(table).values(scope=rule.scope, key=key, window_start=start, count=1)
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.key, table.c.window_start],
        set_={"count": table.c.count + 1},
    ).returning(table.c.count)
    return int(db.session.execute(upsert).scalar_one())


def _previous(rule: Rule, key: str, start: datetime, now: datetime) -> float:
    """The previous window's count, weighted by the part of it the sliding window covers."""
    before = db.session.scalar(
        select(ThrottleWindow.count).where(
            ThrottleWindow.scope == rule.scope,
            ThrottleWindow.key == key,
            ThrottleWindow.window_start == start - rule.window,
        )
    )
    overlap = 1 - (now - start) / rule.window
    return (before or 0) * overlap


def hit(rule: Rule, key: str, *, now: datetime | None = None) -> float:
    """Count one event for `key` (atomically) and return the events in the sliding window."""
    now = now or utcnow()
    start = rule.window_start(now)
    return _upsert(rule, key, start) + _previous(rule, key, start, now)


def count(rule: Rule, key: str, *, now: datetime | None = None) -> float:
    """The events counted for `key` in the sliding window, without counting one more."""
    now = now or utcnow()
    start = rule.window_start(now)
    current = db.session.scalar(
        select(ThrottleWindow.count).where(
            ThrottleWindow.scope == rule.scope,
            ThrottleWindow.key == key,
            ThrottleWindow.window_start == start,
        )
    )
    return (current or 0) + _previous(rule, key, start, now)


def exceeded(rule: Rule, key: str, *, now: datetime | None = None) -> bool:
    """True when one more event for `key` would pass the rule's limit."""
    return count(rule, key, now=now) >= rule.limit


def hit_exceeds(rule: Rule, key: str, *, now: datetime | None = None) -> bool:
    """Count one event; True when it goes beyond the limit (the caller refuses it)."""
    return hit(rule, key, now=now) > rule.limit


def forget(rule: Rule, key: str) -> None:
    """Drop every count of `key` (a successful login clears its failures)."""
    db.session.execute(
        delete(ThrottleWindow).where(ThrottleWindow.scope == rule.scope, ThrottleWindow.key == key)
    )


def give_back(rule: Rule, key: str, *, now: datetime | None = None) -> None:
    """Take back one event of the current window (an attempt that turned out legitimate)."""
    start = rule.window_start(now or utcnow())
    db.session.execute(
        update(ThrottleWindow)
        .where(
            ThrottleWindow.scope == rule.scope,
            ThrottleWindow.key == key,
            ThrottleWindow.window_start == start,
            ThrottleWindow.count > 0,
        )
        .values(count=ThrottleWindow.count - 1)
    )


def prune(older_than: timedelta, *, now: datetime | None = None) -> int:
    """Delete windows that ended more than `older_than` ago; how many rows went."""
    cutoff = (now or utcnow()) - older_than
    result = db.session.execute(delete(ThrottleWindow).where(ThrottleWindow.window_start < cutoff))
    return rowcount(result)
