"""The search interface the rest of the application uses.

`index_document`, `remove_document`, `reindex` and `search` hide the backend (Whoosh here);
another backend can replace `WhooshIndex` without touching callers.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.organisations.models import Location, Organisation, Service
from directory.reference.models import Region
from directory.search.documents import Labels, documents_for
from directory.search.index import IndexBusyError, IndexUnavailableError, WhooshIndex
from directory.search.query import SearchRequest, SearchResult, execute
from directory.search.thesaurus import Thesaurus

logger = logging.getLogger(__name__)

DIGEST = "digest"  # the payload key holding a document's content digest
REINDEX_BATCH = 1000

__all__ = [
    "IndexBusyError",
    "IndexUnavailableError",
    "SearchRequest",
    "SearchResult",
    "index_document",
    "reindex",
    "remove_document",
    "search",
]


def _index() -> WhooshIndex:
    extension = current_app.extensions["search"]
    return extension["index"]


def thesaurus() -> Thesaurus:
    extension = current_app.extensions["search"]
    if "thesaurus" not in extension:
        extension["thesaurus"] = Thesaurus.load(
            Path(current_app.config["SEED_DIR"]) / "thesaurus.yaml"
        )
    return extension["thesaurus"]


def _loaded(session: Session, ids: Iterable[object] | None = None) -> list[Organisation]:
    stmt = select(Organisation).options(
        selectinload(Organisation.parent),
        selectinload(Organisation.services).selectinload(Service.sectors),
        selectinload(Organisation.services).selectinload(Service.populations),
        selectinload(Organisation.services).selectinload(Service.areas),
        selectinload(Organisation.services).selectinload(Service.languages),
        selectinload(Organisation.services).selectinload(Service.modes),
        selectinload(Organisation.locations).selectinload(Location.municipality),
    )
    if ids is not None:
        stmt = stmt.where(Organisation.id.in_(list(ids)))
    return list(session.scalars(stmt))


def _labels(session: Session) -> Labels:
    return Labels(regions={r.code: r for r in session.scalars(select(Region))})


def _signed(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a digest of its content in its stored payload, so that
    `flask search sync` can tell a stale document from a current one."""
    content = {k: v.hex() if isinstance(v, bytes) else v for k, v in document.items()}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return {**document, "payload": {**document["payload"], DIGEST: digest}}


def expected_documents(
    session: Session, ids: Iterable[object] | None = None
) -> Iterator[dict[str, Any]]:
    """The documents the index should hold for the listed organisations (all by default)."""
    labels = _labels(session)
    ids = (
        list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
        if ids is None
        else list(ids)
    )
    for start in range(0, len(ids), REINDEX_BATCH):
        for organisation in _loaded(session, ids[start : start + REINDEX_BATCH]):
            for document in documents_for(organisation, labels):
                yield _signed(document)
        session.expunge_all()  # keep memory flat on large directories


def index_document(
    session: Session, organisation_ids: Iterable[object], *, lock_timeout: float | None = None
) -> None:
    """(Re)index the listed organisations from the database: one commit to the index.

    Raises IndexBusyError when the index's write lock is not free within `lock_timeout`
    seconds (default: the index's own, a minute), IndexUnavailableError when there is none.
    """
    ids = list(organisation_ids)
    organisations = _loaded(session, ids)
    labels = _labels(session)
    documents = [_signed(doc) for org in organisations for doc in documents_for(org, labels)]
    options = {} if lock_timeout is None else {"lock_timeout": lock_timeout}
    _index().update(documents, delete_org_ids=[str(i) for i in ids], **options)


def remove_document(organisation_ids: Iterable[object]) -> None:
    _index().update([], delete_org_ids=[str(i) for i in organisation_ids])


def reindex(session: Session, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild the whole index from the database, swapped in atomically when complete."""
    return _index().rebuild(expected_documents(session), progress=progress)


def document_count(session: Session) -> int:
    """How many documents a rebuild writes: one per service, one per listing without any."""
    services = session.scalar(select(func.count()).select_from(Service)) or 0
    without = session.scalar(
        select(func.count()).select_from(Organisation).where(~Organisation.services.any())
    )
    return services + (without or 0)


def index_exists() -> bool:
    return _index().exists()


def index_status() -> str:
    """The index's state: "ok", "missing" or "unreadable"."""
    return _index().status()


def indexed_digests() -> dict[str, tuple[str, str | None]]:
    """Every document in the index: its id → (its listing's id, its content digest)."""
    return {
        str(fields["doc_id"]): (str(fields["org_id"]), (fields.get("payload") or {}).get(DIGEST))
        for fields in _index().stored_documents()
    }


def search(request: SearchRequest) -> SearchResult:
    """Run a search; raises IndexUnavailableError when no index was built yet."""
    return execute(_index().searcher(), request, thesaurus())
