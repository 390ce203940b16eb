"""The search interface the rest of the application uses.

`index_document`, `remove_document`, `reindex` and `search` hide the backend (Whoosh here);
another backend can replace `WhooshIndex` without touching callers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.organisations.models import Location, Organisation, Service
from directory.reference.models import Region
from directory.search.documents import Labels, documents_for
from directory.search.index import IndexUnavailableError, WhooshIndex
from directory.search.query import SearchRequest, SearchResult, execute
from directory.search.thesaurus import Thesaurus

logger = logging.getLogger(__name__)

__all__ = [
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


def index_document(session: Session, organisation_ids: Iterable[object]) -> None:
    """(Re)index the listed organisations from the database: one commit to the index."""
    ids = list(organisation_ids)
    organisations = _loaded(session, ids)
    labels = _labels(session)
    documents = [doc for org in organisations for doc in documents_for(org, labels)]
    _index().update(documents, delete_org_ids=[str(i) for i in ids])


def remove_document(organisation_ids: Iterable[object]) -> None:
    _index().update([], delete_org_ids=[str(i) for i in organisation_ids])


def reindex(session: Session, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild the whole index from the database, swapped in atomically when complete."""
    labels = _labels(session)
    organisations = _loaded(session)
    documents = (doc for org in organisations for doc in documents_for(org, labels))
    return _index().rebuild(documents, progress=progress)


def document_count(session: Session) -> int:
    labels = _labels(session)
    return sum(len(documents_for(org, labels)) for org in _loaded(session))


def index_exists() -> bool:
    return _index().exists()


def search(request: SearchRequest) -> SearchResult:
    """Run a search; raises IndexUnavailableError when no index was built yet."""
    return execute(_index().searcher(), request, thesaurus())
