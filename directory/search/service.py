"""The search interface the rest of the application uses.

`index_document`, `remove_document`, `reindex` and `search` hide the backend (Whoosh here);
another backend can replace `WhooshIndex` without touching callers.
"""

from __future__ import annotations

import hashlib
import json
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
from directory.search.documents import UNKNOWN, Labels, documents_for
from directory.search.generation import generation_for
from directory.search.index import IndexBusyError, IndexUnavailableError, WhooshIndex
from directory.search.loading import Loader, batches
from directory.search.places import NamedPlace, PlaceIndex
from directory.search.query import SearchContext, SearchRequest, SearchResult, execute
from directory.search.thesaurus import Thesaurus
from directory.text import fold

logger = logging.getLogger(__name__)

DIGEST = "digest"  # the payload key holding a document's content digest
REINDEX_BATCH = 2000

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


def _labels(session: Session) -> Labels:
    return Labels(
        regions={r.code: r for r in session.scalars(select(Region))},
        centroids=geo.region_centroids(session),
    )


def _signed(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a digest of its content in its stored payload, so that
    `flask search sync` can tell a stale document from a current one."""
    content = {k: v.hex() if isinstance(v, bytes) else v for k, v in document.items()}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return {**document, "payload": {**document["payload"], DIGEST: digest}}


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
                yield _signed(document)


def index_document(
    session: Session, organisation_ids: Iterable[object], *, lock_timeout: float | None = None
) -> None:
    """(Re)index the listed organisations from the database: one commit to the index.

    Raises IndexBusyError when the index's write lock is not free within `lock_timeout`
    seconds (default: the index's own, a minute), IndexUnavailableError when there is none.
    """
    ids = [uuid.UUID(str(i)) for i in organisation_ids]
    # Read through the ORM too (one small SELECT): the caller's instances of these listings,
    # expired by the commit before an update, are refreshed as they were when documents were
    # made from ORM objects, so they stay readable once the caller's session has ended.
    session.scalars(select(Organisation).where(Organisation.id.in_(ids))).all()
    documents = list(expected_documents(session, ids))
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
    by_name = {}
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
    try:
        generation = generation_for(_index().searcher())
    except IndexUnavailableError:
        return []
    return [value for value in generation.values(field_name) if value != UNKNOWN]


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
    context = SearchContext(thesaurus(), places())
    return execute(_index().searcher(), request, context)
