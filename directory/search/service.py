"""The search interface the rest of the application uses.

`index_document`, `remove_document`, `reindex` and `search` hide the backend chosen by
`SEARCH_BACKEND` (`backend.py`): Whoosh files in the instance folder, or PostgreSQL tables.
Both store the same documents (`documents.py`) and run the same plan (`engine.py`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory import geo
from directory.extensions import db
from directory.organisations.models import Organisation, Service
from directory.reference.models import Municipality, Region
from directory.search import lexicon
from directory.search.backend import Backend, IndexBusyError, IndexUnavailableError
from directory.search.documents import DIGEST, UNKNOWN, Labels, documents_for, signed
from directory.search.engine import SearchContext
from directory.search.loading import Loader, batches
from directory.search.places import NamedPlace, PlaceIndex
from directory.search.results import SearchRequest, SearchResult
from directory.search.thesaurus import Thesaurus
from directory.text import fold

logger = logging.getLogger(__name__)

REINDEX_BATCH = 2000

__all__ = [
    "DIGEST",
    "IndexBusyError",
    "IndexUnavailableError",
    "SearchRequest",
    "SearchResult",
    "index_document",
    "reindex",
    "remove_document",
    "search",
]


def backend() -> Backend:
    """The configured backend (`SEARCH_BACKEND`)."""
    return current_app.extensions["search"]["backend"]


def thesaurus() -> Thesaurus:
    extension = current_app.extensions["search"]
    if "thesaurus" not in extension:
        extension["thesaurus"] = Thesaurus.load(
            Path(current_app.config["SEED_DIR"]) / "thesaurus.yaml"
        )
    return extension["thesaurus"]


def _labels(session: Session) -> Labels:
    return Labels(
        regions={r.code: r for r in session.scalars(select(Region))},
        centroids=geo.region_centroids(session),
    )


def expected_documents(
    session: Session, ids: Iterable[object] | None = None
) -> Iterator[dict[str, Any]]:
    """The documents the index should hold for the listed organisations (all by default),
    read in bulk by batches (`loading`) so indexing starts while reading goes on, and memory
    stays flat on large directories."""
    labels = _labels(session)
    loader = Loader(session)
    if ids is None:
        ids = list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
    for batch in batches([uuid.UUID(str(i)) for i in ids], REINDEX_BATCH):
        for organisation in loader.load(batch):
            for document in documents_for(organisation, labels):
                yield signed(document)


def with_sub_programmes(session: Session, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The listings and their sub-programs: a sub-program's documents carry its parent's name."""
    found = set(ids)
    children = session.scalars(select(Organisation.id).where(Organisation.parent_id.in_(found)))
    return found | set(children)


def index_document(
    session: Session, organisation_ids: Iterable[object], *, lock_timeout: float | None = None
) -> None:
    """(Re)index the listed organisations from the database: one commit to the index.

    Whoosh: raises IndexBusyError when the index's write lock is not free within
    `lock_timeout` seconds (default: the index's own, a minute), IndexUnavailableError when
    there is none. PostgreSQL: the rows are written in `session`'s transaction, which is
    committed (a change's own transaction writes them through `sync.py` instead).
    """
    ids = [uuid.UUID(str(i)) for i in organisation_ids]
    # Read through the ORM too (one small SELECT): the caller's instances of these listings,
    # expired by the commit before an update, are refreshed as they were when documents were
    # made from ORM objects, so they stay readable once the caller's session has ended.
    session.scalars(select(Organisation).where(Organisation.id.in_(ids))).all()
    documents = expected_documents(session, ids)  # read lazily: after the backend's locks
    chosen = backend()
    chosen.replace(session, [str(i) for i in ids], documents, lock_timeout=lock_timeout)
    if chosen.in_transaction:
        session.commit()


def remove_document(organisation_ids: Iterable[object]) -> None:
    """Remove the listed organisations' documents: one commit to the index."""
    chosen = backend()
    chosen.replace(db.session(), [str(i) for i in organisation_ids], [], lock_timeout=None)
    if chosen.in_transaction:
        db.session.commit()


def reindex(session: Session, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild the whole index from the database: readers keep the previous state until the
    new one is complete (Whoosh: a folder swapped in; PostgreSQL: one transaction)."""
    return backend().rebuild(session, expected_documents(session), progress)


def document_count(session: Session) -> int:
    """How many documents a rebuild writes: one per service, one per listing without any."""
    services = session.scalar(select(func.count()).select_from(Service)) or 0
    without = session.scalar(
        select(func.count()).select_from(Organisation).where(~Organisation.services.any())
    )
    return services + (without or 0)


def index_exists() -> bool:
    return backend().status() == "ok"


def places() -> PlaceIndex:
    """Places a query can name, read once per process: municipalities (the most populous
    of homonyms; none whose name is also a common French word, such as Maria or Lorraine),
    regions, and former names (Pointe-Bleue)."""
    extension = current_app.extensions["search"]
    if "places" not in extension:
        extension["places"] = PlaceIndex(_named_places())
    return extension["places"]


def _named_places() -> Iterator[tuple[str, NamedPlace]]:
    municipalities = db.session.scalars(
        select(Municipality).order_by(Municipality.population.desc().nulls_last())
    ).all()
    by_name: dict[str, NamedPlace] = {}
    for item in municipalities:
        place = NamedPlace(
            item.name, item.region_code, item.latitude, item.longitude, "municipality"
        )
        by_name.setdefault(fold(item.name), place)
        words = fold(item.name).split()
        if len(words) > 1 or not lexicon.is_french(words[0]):
            yield item.name, place
    centroids = geo.region_centroids()
    for region in db.session.scalars(select(Region)):
        if region.code in centroids:
            place = NamedPlace(region.label_fr, region.code, *centroids[region.code], "region")
            yield region.label_fr, place
            yield region.label_en, place
    for former, (name, _code) in geo.former_names().items():
        if fold(name) in by_name:
            yield former, by_name[fold(name)]


def stated_values(field_name: str) -> list[str]:
    """Values of a facet field that some indexed service states ("unknown" left out); none
    while the index is not built."""
    return [value for value in backend().stated_values(field_name) if value != UNKNOWN]


def index_status() -> str:
    """The index's state: "ok", "missing" or "unreadable"."""
    return backend().status()


def indexed_digests() -> dict[str, tuple[str, str | None]]:
    """Every document in the index: its id → (its listing's id, its content digest)."""
    return backend().stored_digests()


def search(request: SearchRequest) -> SearchResult:
    """Run a search; raises IndexUnavailableError when no index was built yet."""
    return backend().search(request, SearchContext(thesaurus(), places()))
