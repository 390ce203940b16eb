"""Keep the index in step with the database: listings changed by a commit are reindexed after it."""

from __future__ import annotations

import logging
from itertools import chain
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.organisations.models import Contact, Location, Organisation, Phone, Service
from directory.search import service

logger = logging.getLogger(__name__)

PENDING = "search_pending"


def _organisation_id(obj: Any) -> Any:  # noqa: ANN401 - any mapped object
    if isinstance(obj, Organisation):
        return obj.id
    if isinstance(obj, Service | Location | Phone | Contact):
        return obj.organisation_id
    return None


def _collect(session: Session, _flush_context: Any) -> None:  # noqa: ANN401 - SQLAlchemy's
    pending: set[Any] = session.info.setdefault(PENDING, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        organisation_id = _organisation_id(obj)
        if organisation_id is not None:
            pending.add(organisation_id)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def _enabled() -> bool:
    return (
        has_app_context()
        and current_app.config.get("SEARCH_AUTO_INDEX", False)
        and "search" in current_app.extensions
        and service.index_exists()
    )


def _reindex_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, set())
    if not pending or not _enabled():
        return
    # The committed session cannot emit SQL here: read the listings through a fresh one.
    with Session(bind=db.engine) as reader:
        children = reader.scalars(
            select(Organisation.id).where(Organisation.parent_id.in_(list(pending)))
        )
        ids = pending | set(children)  # a sub-program's documents carry its parent's name
        try:
            service.index_document(reader, ids)
        except Exception:
            # The database change stands; `flask search reindex` repairs the index.
            logger.exception("search index update failed for %d listings", len(ids))
        else:
            logger.info("search index updated for %d listings", len(ids))


_HOOKS = (
    ("after_flush", _collect),
    ("after_commit", _reindex_after_commit),
    ("after_rollback", _forget),
)


def register() -> None:
    """Listen on every session once (the CLI, requests and workers share these hooks)."""
    for name, handler in _HOOKS:
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
