"""The search outbox: written with every change to a listing, applied to the index after.

The Whoosh backend's way of keeping up with the database (the PostgreSQL backend writes its
documents in the listing's own transaction, and uses the outbox only when that is turned off).

A commit writes, in its own transaction, one row per listing it changed. Right after the
commit the rows are applied best effort (a short wait for the index's write lock, never an
error to the person who saved); `flask search sync` applies whatever is left and repairs
any drift between the index and the database.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from directory.core.database import bounded_session
from directory.db import rowcount, utcnow
from directory.search import service
from directory.search.models import SearchOutbox

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class Lag:
    """What the index has not caught up with yet."""

    pending: int
    oldest_at: datetime | None

    def seconds(self, now: datetime | None = None) -> float | None:
        if self.oldest_at is None:
            return None
        return max(0.0, ((now or utcnow()) - self.oldest_at).total_seconds())


def lag(session: Session) -> Lag:
    pending, oldest = session.execute(
        select(func.count(), func.min(SearchOutbox.created_at)).select_from(SearchOutbox)
    ).one()
    return Lag(pending=int(pending or 0), oldest_at=oldest)


def apply(organisation_ids: Iterable[uuid.UUID] | None, *, lock_timeout: float) -> int:
    """Rewrite the documents of a batch of pending listings (those among `organisation_ids`,
    or any), then delete the rows applied; how many rows were applied (0: none pending).

    Raises IndexBusyError, IndexUnavailableError, or a database error when a lock was not
    free within `lock_timeout` seconds: the rows then stay for the next try.
    """
    with bounded_session(lock_timeout) as session:
        query = select(SearchOutbox.id, SearchOutbox.organisation_id).order_by(SearchOutbox.id)
        if organisation_ids is not None:
            query = query.where(SearchOutbox.organisation_id.in_(list(organisation_ids)))
        rows = session.execute(query.limit(BATCH)).all()
        if not rows:
            return 0
        # The listings are read after the rows: what is indexed is at least as new as they.
        listings = service.with_sub_programmes(session, {row.organisation_id for row in rows})
        service.index_document(session, listings, lock_timeout=lock_timeout)
    with bounded_session(lock_timeout, writes=True) as session:
        session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([row.id for row in rows])))
        session.commit()
    return len(rows)


def apply_after_commit(organisation_ids: set[uuid.UUID], *, lock_timeout: float) -> None:
    """Best effort right after a commit: any failure is logged, the rows stay for the sync."""
    try:
        applied = apply(organisation_ids, lock_timeout=lock_timeout)
    except Exception as error:  # noqa: BLE001 - the saved change stands whatever happens here
        logger.warning(
            "search index not updated for %d listings (%s): left for `flask search sync`",
            len(organisation_ids),
            type(error).__name__,
        )
    else:
        logger.info("search index updated: %d outbox rows", applied)


def drain(*, lock_timeout: float) -> int:
    """Apply every pending row, batch after batch; how many were applied."""
    total = 0
    while applied := apply(None, lock_timeout=lock_timeout):
        total += applied
    return total


def last_id(session: Session) -> int:
    return int(session.scalar(select(func.max(SearchOutbox.id))) or 0)


def clear_through(session: Session, row_id: int) -> int:
    """Delete the rows up to `row_id` (a rebuild that started after them covered them)."""
    result = session.execute(delete(SearchOutbox).where(SearchOutbox.id <= row_id))
    return rowcount(result)
