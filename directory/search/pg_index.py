"""The PostgreSQL backend: the search documents live in the database every host shares.

A listing's documents are rewritten in the same transaction as the change (`sync.py`), so a
search on any host sees the change as soon as it is committed, and a change that rolls back
leaves them as they were. The documents are those of the Whoosh backend (`documents.py`);
here they become rows of `search_documents` (a weighted tsvector in the `filet_fr`
configuration: French stemming over unaccent), `search_places` and `search_words`.

Concurrency: the writers of one listing take a transaction-level advisory lock on it before
reading it, so two transactions cannot write documents made from each other's stale reads
(a parent renamed while its sub-program is edited); a rebuild takes a lock every writer
shares, so it never overwrites a newer change with what it read before.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from directory.db import rowcount
from directory.extensions import db
from directory.search.backend import Documents, IndexUnavailableError
from directory.search.documents import DIGEST, FACET_FIELDS
from directory.search.engine import SearchContext
from directory.search.results import SearchRequest, SearchResult

logger = logging.getLogger(__name__)

CONFIGURATION = "filet_fr"
WRITE_BATCH = 1000
# Advisory locks (two-key form): (INDEX_LOCK, 0) for the whole index, shared by writers and
# taken alone by a rebuild; (LISTING_LOCK, hashtext(listing id)) per listing.
INDEX_LOCK = 15150
LISTING_LOCK = 15151
# The text fields of a document by tsvector weight: A > B > C > D, like Whoosh's field boosts
# (name 8; parent and service names 3; places and sectors 2; the rest 1).
WEIGHTED_FIELDS = {
    "A": ("name",),
    "B": ("parent_name", "service_name"),
    "C": ("place", "sector_text"),
    "D": ("body",),
}
FACET_SEPARATOR = "|"  # never in a code
# Bits of `search_documents.flags`: what ranking asks of every candidate.
VERIFIED, VICTIMS, AUTHORS, REMOTE = 1, 2, 4, 8

_VECTOR = " || ".join(
    f"setweight(to_tsvector('{CONFIGURATION}', r.{weight.lower()}), '{weight}')"
    for weight in WEIGHTED_FIELDS
)
INSERT_DOCUMENTS = text(
    f"""
    INSERT INTO search_documents (doc_id, docnum, organisation_id, document, name_key,
        acronym_key, name_sort, facets, facet_list, served, verified, flags, payload, digest)
    SELECT r.doc_id, r.docnum, r.organisation_id, {_VECTOR}, r.name_key, r.acronym_key,
        r.name_sort, string_to_array(r.facets, '{FACET_SEPARATOR}'), r.facets,
        string_to_array(r.served, '{FACET_SEPARATOR}'), r.verified, r.flags, r.payload::json,
        r.digest
    FROM unnest(
        CAST(:doc_id AS text[]), CAST(:docnum AS bigint[]), CAST(:organisation_id AS uuid[]),
        CAST(:a AS text[]), CAST(:b AS text[]), CAST(:c AS text[]), CAST(:d AS text[]),
        CAST(:name_key AS text[]), CAST(:acronym_key AS text[]), CAST(:name_sort AS text[]),
        CAST(:facets AS text[]), CAST(:served AS text[]), CAST(:verified AS boolean[]),
        CAST(:flags AS smallint[]), CAST(:payload AS text[]), CAST(:digest AS text[])
    ) AS r(doc_id, docnum, organisation_id, a, b, c, d, name_key, acronym_key, name_sort,
        facets, served, verified, flags, payload, digest)
    """  # noqa: S608 - fixed fragments, values bound
)
CLEAN_PENDING_LISTS = """
    SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname = 'gin' AND i.indrelid IN (
        'search_documents'::regclass, 'search_places'::regclass, 'search_words'::regclass)
"""
INSERT_PLACES = text(
    """
    INSERT INTO search_places (docnum, latitude, longitude)
    SELECT * FROM unnest(
        CAST(:docnum AS bigint[]), CAST(:latitude AS float8[]), CAST(:longitude AS float8[])
    )
    ON CONFLICT DO NOTHING
    """
)
INSERT_WORDS = text(
    """
    INSERT INTO search_words (word) SELECT DISTINCT unnest(CAST(:words AS text[]))
    ON CONFLICT DO NOTHING
    """
)


def docnum(doc_id: str) -> int:
    """A stable signed 64-bit key for a document id (a collision is about 1 in 10^10 at
    50,000 documents; it would make the second document unsearchable until renamed)."""
    digest = hashlib.blake2b(doc_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def facet_values(document: dict[str, Any]) -> list[str]:
    """ "name:value" for every filter and facet value of a document, and "remote:t"."""
    values = [
        f"{name}:{value}"
        for name in FACET_FIELDS
        for value in (document.get(name) or "").split(",")
        if value
    ]
    return [*values, "remote:t"] if document.get("remote") else values


def flags(verified: bool, facets: list[str]) -> int:  # noqa: FBT001 - the document's state
    """`search_documents.flags` of a document."""
    bits = VERIFIED if verified else 0
    for bit, value in ((VICTIMS, "sector:VCF"), (AUTHORS, "sector:VCH"), (REMOTE, "remote:t")):
        if value in facets:
            bits |= bit
    return bits


def _places(document: dict[str, Any]) -> tuple[list[list[float]], list[str]]:
    """Where a document is (its points, else its regions' centroids), and the regions that
    place it when it has no point."""
    payload = document["payload"]
    if payload["points"]:
        return payload["points"], []
    areas = payload.get("area_points") or {}
    return list(areas.values()), list(areas)


def _joined(field_names: tuple[str, ...], document: dict[str, Any]) -> str:
    return " ".join(document.get(name) or "" for name in field_names)


class _Batch:
    """Column arrays of a batch of documents, for one INSERT … SELECT FROM unnest(…)."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {}
        self.places: dict[str, list[Any]] = {"docnum": [], "latitude": [], "longitude": []}
        self.words: list[str] = []

    def add(self, document: dict[str, Any]) -> None:
        key = docnum(document["doc_id"])
        points, served = _places(document)
        name_sort = document["name_sort"]
        facets = facet_values(document)
        row = {
            "doc_id": document["doc_id"],
            "docnum": key,
            "organisation_id": document["org_id"],
            **{
                weight.lower(): _joined(fields, document)
                for weight, fields in WEIGHTED_FIELDS.items()
            },
            "name_key": document["name_exact"],
            "acronym_key": document["acronym_exact"],
            "name_sort": name_sort.decode() if isinstance(name_sort, bytes) else name_sort,
            "facets": FACET_SEPARATOR.join(facets),
            "served": FACET_SEPARATOR.join(served),
            "verified": bool(document["verified"]),
            "flags": flags(bool(document["verified"]), facets),
            "payload": json.dumps(document["payload"], ensure_ascii=False),
            "digest": document["payload"][DIGEST],
        }
        for name, value in row.items():
            self.columns.setdefault(name, []).append(value)
        for latitude, longitude in points:
            self.places["docnum"].append(key)
            self.places["latitude"].append(latitude)
            self.places["longitude"].append(longitude)
        self.words += (document.get("words") or "").split()

    def write(self, session: Session) -> None:
        if self.columns:
            session.execute(INSERT_DOCUMENTS, self.columns)
        if self.places["docnum"]:
            session.execute(INSERT_PLACES, self.places)
        if self.words:
            session.execute(INSERT_WORDS, {"words": self.words})


def _batches(documents: Documents, size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


def write(session: Session, documents: Iterable[dict[str, Any]]) -> int:
    """Insert `documents` (none of them may be there already); how many."""
    count = 0
    for documents_batch in _batches(documents, WRITE_BATCH):
        batch = _Batch()
        for document in documents_batch:
            batch.add(document)
        batch.write(session)
        count += len(documents_batch)
    return count


def lock_listings(session: Session, organisation_ids: list[str]) -> None:
    """Wait for any rebuild, then for the other writers of these listings (in id order, so
    that two writers of several listings cannot deadlock)."""
    session.execute(text("SELECT pg_advisory_xact_lock_shared(:key, 0)"), {"key": INDEX_LOCK})
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(:key, hashtext(t.id))"
            " FROM unnest(CAST(:ids AS text[])) WITH ORDINALITY AS t(id, n) ORDER BY t.n"
        ),
        {"key": LISTING_LOCK, "ids": sorted(organisation_ids)},
    )


def delete_listings(session: Session, organisation_ids: list[str]) -> None:
    ids = {"ids": organisation_ids}
    session.execute(
        text(
            "DELETE FROM search_places WHERE docnum IN (SELECT docnum FROM search_documents"
            " WHERE organisation_id = ANY(CAST(:ids AS uuid[])))"
        ),
        ids,
    )
    session.execute(
        text("DELETE FROM search_documents WHERE organisation_id = ANY(CAST(:ids AS uuid[]))"),
        ids,
    )


class PostgresBackend:
    name = "postgres"
    in_transaction = True

    def replace(
        self,
        session: Session,
        organisation_ids: list[str],
        documents: Documents,
        *,
        lock_timeout: float | None,
    ) -> None:
        """Rewrite the listings' documents in `session`'s transaction (committed with it).
        Lock waits are bounded by the session's own `lock_timeout`, when it sets one."""
        del lock_timeout
        if not organisation_ids:
            return
        lock_listings(session, organisation_ids)
        delete_listings(session, organisation_ids)
        write(session, documents)  # read now, after the locks: nothing newer is overwritten

    def rebuild(
        self, session: Session, documents: Documents, progress: Callable[[int], object] | None
    ) -> int:
        """Rewrite every document in `session`'s transaction: searches keep reading the
        previous rows until it commits; saves made meanwhile wait for it."""
        session.execute(text("SELECT pg_advisory_xact_lock(:key, 0)"), {"key": INDEX_LOCK})
        for table in ("search_places", "search_documents", "search_words"):
            session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed names
        count = 0
        for batch in _batches(documents, WRITE_BATCH):
            count += write(session, batch)
            if progress:
                progress(len(batch))
        # New entries of a GIN index wait in its pending list, which every search reads
        # through until a vacuum merges it: merge them now rather than slow every search.
        session.execute(text(CLEAN_PENDING_LISTS))
        # Fresh statistics, so that the planner knows the GIN indexes are worth using. Run
        # in this transaction, ANALYZE counts the rows it wrote and not those it deleted.
        for table in ("search_places", "search_documents", "search_words"):
            session.execute(text(f"ANALYZE {table}"))
        logger.info("search tables rebuilt: %d documents", count)
        return count

    def search(self, request: SearchRequest, context: SearchContext) -> SearchResult:
        from directory.search import pg_query  # noqa: PLC0415 - pg_query imports this module

        if not self._built():
            raise IndexUnavailableError("search_documents is empty")
        return pg_query.search(db.session(), request, context)

    def _built(self) -> bool:
        """Documents are there, or there is nothing to search (no public listing)."""
        built = db.session.execute(text("SELECT EXISTS (SELECT 1 FROM search_documents)"))
        return bool(built.scalar()) or not _public_listings()

    def status(self) -> str:
        try:
            with db.session.begin_nested():  # a failure leaves the caller's transaction usable
                db.session.execute(text(f"SELECT to_tsvector('{CONFIGURATION}', 'index')"))
                built = self._built()
        except DBAPIError as error:
            logger.warning("search tables unreadable (%s)", type(error).__name__)
            return "unreadable"
        return "ok" if built else "missing"

    def stated_values(self, field_name: str) -> list[str]:
        prefix = f"{field_name}:"
        found = db.session.execute(
            text(
                "SELECT DISTINCT substr(f, :start) FROM search_documents, unnest(facets) f"
                " WHERE starts_with(f, :prefix) ORDER BY 1"
            ),
            {"start": len(prefix) + 1, "prefix": prefix},
        )
        return [value for (value,) in found]

    def stored_digests(self) -> dict[str, tuple[str, str | None]]:
        rows = db.session.execute(
            text("SELECT doc_id, organisation_id, digest FROM search_documents")
        )
        return {doc_id: (str(organisation_id), digest) for doc_id, organisation_id, digest in rows}


def _public_listings() -> bool:
    return bool(
        db.session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM organisations"
                " WHERE published AND archived_at IS NULL)"
            )
        ).scalar()
    )


def prune_words(session: Session, words: set[str]) -> int:
    """Forget the typo vocabulary's words no document holds any more; how many."""
    result = session.execute(
        text("DELETE FROM search_words WHERE NOT (word = ANY(CAST(:words AS text[])))"),
        {"words": sorted(words)},
    )
    return rowcount(result)
