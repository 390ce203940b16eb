"""Keep the index in step with the database.

Every flush that changes a listing (or its services, sites, phones, contacts) is noted:
- Whoosh: an outbox row (`outbox.py`) in the same transaction; after the commit the rows are
  applied to the index, best effort; `flask search sync` (cron) applies what is left.
- PostgreSQL: just before the commit, the listings' documents (and their sub-programs') are
  rewritten in the same transaction: committed together, or rolled back together.
`flask search sync` also compares the index with the database and repairs any drift.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from directory.audit import editing
from directory.organisations.models import Contact, Location, Organisation, Phone, Service
from directory.search import outbox, pg_index, service
from directory.search.models import SearchOutbox

logger = logging.getLogger(__name__)

WRITTEN = "search_outbox_written"  # listing ids given an outbox row in this transaction
PENDING = "search_documents_pending"  # listing ids whose documents this transaction rewrites


def _organisation_id(obj: Any) -> Any:  # noqa: ANN401 - any mapped object
    if isinstance(obj, Organisation | Service | Location | Phone | Contact):  # the indexed ones
        return editing.organisation_id_of(obj)
    return None


def _in_transaction() -> bool:
    """Whether documents are rewritten in the transaction of the change (PostgreSQL)."""
    return _enabled() and service.backend().in_transaction


def _write_outbox(session: Session, _flush_context: Any) -> None:  # noqa: ANN401 - SQLAlchemy's
    changed = {_organisation_id(obj) for obj in chain(session.new, session.dirty, session.deleted)}
    changed.discard(None)
    if not changed:
        return
    if _in_transaction():
        session.info.setdefault(PENDING, set()).update(changed)
        return
    written: set[uuid.UUID] = session.info.setdefault(WRITTEN, set())
    new = changed - written
    if not new:
        return
    # Core insert on the flush's own connection: part of the same transaction, no autoflush.
    session.connection().execute(
        insert(SearchOutbox), [{"organisation_id": organisation_id} for organisation_id in new]
    )
    written.update(new)


def _write_documents(session: Session) -> None:
    """Rewrite the documents of the listings this transaction changed, in it (PostgreSQL)."""
    if not _in_transaction():
        return
    session.flush()  # the commit's own flush comes after this hook: changes are noted now
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    ids = service.with_sub_programmes(session, pending)
    documents = service.expected_documents(session, ids)  # read after the backend's locks
    service.backend().replace(session, [str(i) for i in ids], documents, lock_timeout=None)


def _forget(session: Session, *_args: Any) -> None:  # noqa: ANN401 - SQLAlchemy's
    session.info.pop(WRITTEN, None)
    if not session.in_transaction():
        # Rolled back altogether. After a savepoint's rollback the changes flushed before it
        # stand: their listings are still rewritten at the commit.
        session.info.pop(PENDING, None)


def _enabled() -> bool:
    return (
        has_app_context()
        and current_app.config.get("SEARCH_AUTO_INDEX", False)
        and "search" in current_app.extensions
    )


def _apply_after_commit(session: Session) -> None:
    written = session.info.pop(WRITTEN, set())
    if written and _enabled():
        outbox.apply_after_commit(
            written, lock_timeout=current_app.config["SEARCH_LOCK_TIMEOUT_SECONDS"]
        )


_HOOKS = (
    ("after_flush", _write_outbox),
    ("before_commit", _write_documents),
    ("after_commit", _apply_after_commit),
    ("after_soft_rollback", _forget),
)


def register() -> None:
    """Listen on every session once (the CLI, requests and workers share these hooks)."""
    for name, handler in _HOOKS:
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)


@dataclass
class SyncReport:
    rebuilt: int | None = None  # documents, when the index had to be rebuilt
    applied: int = 0  # outbox rows
    repaired: set[str] = field(default_factory=set)  # listing ids whose documents drifted
    checked: bool = False


def rebuild(session: Session) -> int:
    """Rebuild the whole index; the outbox rows it covers are cleared."""
    covered = outbox.last_id(session)
    count = service.reindex(session)
    outbox.clear_through(session, covered)
    session.commit()
    return count


def drifted(session: Session, words: set[str] | None = None) -> set[str]:
    """Listings whose documents in the index differ from the database's (missing, stale or
    left over), compared by content digest. `words` collects the typo vocabulary they hold."""
    indexed = service.indexed_digests()
    expected = {}
    for document in service.expected_documents(session):
        expected[str(document["doc_id"])] = (
            str(document["org_id"]),
            document["payload"][service.DIGEST],
        )
        if words is not None:
            words.update((document.get("words") or "").split())
    differ = {
        org
        for doc, (org, digest) in expected.items()
        if doc not in indexed or indexed[doc][1] != digest
    }
    leftovers = {org for doc, (org, _digest) in indexed.items() if doc not in expected}
    return differ | leftovers


def synchronise(session: Session, *, check: bool, lock_timeout: float) -> SyncReport:
    """What `flask search sync` does: rebuild a missing or unreadable index, apply the
    outbox, then (with `check`) compare the index with the database and repair."""
    report = SyncReport()
    if service.index_status() != "ok":
        report.rebuilt = rebuild(session)
    report.applied = outbox.drain(lock_timeout=lock_timeout)
    if check:
        report.checked = True
        words: set[str] = set()
        report.repaired = drifted(session, words)
        if report.repaired:
            ids = [uuid.UUID(org) for org in sorted(report.repaired)]
            service.index_document(session, ids, lock_timeout=lock_timeout)
        if service.backend().name == "postgres":
            pg_index.prune_words(session, words)
    return report
