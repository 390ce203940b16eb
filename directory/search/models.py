"""The search outbox (listings whose documents must be rewritten in the Whoosh index), and
the PostgreSQL backend's search tables."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, Index, SmallInteger, String, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import created_at
from directory.extensions import Model


class SearchOutbox(Model):
    """A listing changed by a committed transaction, not yet rewritten in the index.

    Written in the same transaction as the change, so a change is never committed without
    it; deleted once the index holds the listing's new documents. Rows left behind (the
    index was busy, missing or broken) are applied by `flask search sync`.
    """

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted listing's row must stay until its documents are gone too.
    organisation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    created_at: Mapped[created_at]


# --- The PostgreSQL backend's tables ---------------------------------------------------------
#
# Declared for every database so that the models and the migrations agree everywhere; on
# SQLite they stay empty (the Whoosh backend is the only one there), with plain column types
# standing in for PostgreSQL's.

_TEXT_LIST = postgresql.ARRAY(Text()).with_variant(JSON(), "sqlite")
_VECTOR = postgresql.TSVECTOR().with_variant(Text(), "sqlite")


class SearchDocument(Model):
    """One searchable service (or a listing without any): what the PostgreSQL backend
    matches, filters, counts and shows. Written in the same transaction as the listing.

    Public fields only, like every index: a confidential site's street address, postal code
    and coordinates never reach this table (its municipality's centroid stands in).
    """

    __tablename__ = "search_documents"

    doc_id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "listing:service"
    # A stable 64-bit key derived from `doc_id`: results are ranked on integer keys, and a
    # rebuild gives every row back as it was (backups compare tables row for row).
    docnum: Mapped[int] = mapped_column(BigInteger, unique=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # Weighted: A name and acronym; B parent and service names; C places and sectors; D the
    # rest (descriptions, eligibility, how to refer, populations). French over unaccent.
    document: Mapped[str] = mapped_column(_VECTOR)
    name_key: Mapped[str] = mapped_column(Text)  # folded name: fuzzy-matched (pg_trgm)
    acronym_key: Mapped[str | None] = mapped_column(Text)
    name_sort: Mapped[str] = mapped_column(Text)  # browsing order (compared byte-wise)
    # "name:value" of every filter and facet: region, sector, population, language, mode,
    # type, and "remote:t" for services reachable by phone, video or chat.
    facets: Mapped[list[str]] = mapped_column(_TEXT_LIST)
    # The same values joined by "|": read with every candidate, for counting facets.
    facet_list: Mapped[str] = mapped_column(Text)
    # Regions whose centroids place the service (no site, no municipality), else empty.
    served: Mapped[list[str]] = mapped_column(_TEXT_LIST)
    verified: Mapped[bool]
    # What ranking asks of every candidate, as bits (`pg_index.FLAGS`): verified, for the
    # victims (VCF), for the authors (VCH), reachable remotely.
    flags: Mapped[int] = mapped_column(SmallInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # what a result shows
    digest: Mapped[str] = mapped_column(String(64))  # of the document: `flask search sync`

    __table_args__ = (
        Index("ix_search_documents_document", "document", postgresql_using="gin"),
        Index("ix_search_documents_facets", "facets", postgresql_using="gin"),
        Index(
            "ix_search_documents_name_key",
            "name_key",
            postgresql_using="gin",
            postgresql_ops={"name_key": "gin_trgm_ops"},
        ),
        Index(
            "ix_search_documents_acronym_key",
            "acronym_key",
            postgresql_using="gin",
            postgresql_ops={"acronym_key": "gin_trgm_ops"},
        ),
    )


class SearchPlace(Model):
    """Where a document is placed for distances: its sites (a confidential one at its
    municipality's centroid), else its municipality, else the centroids of the regions it
    serves. Searched by bounding box (latitude, longitude) before the exact distance."""

    __tablename__ = "search_places"

    # No foreign key: a rebuild deletes every row with plain DELETEs (no trigger per row);
    # places are always written and deleted with their document.
    docnum: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    latitude: Mapped[float] = mapped_column(Float, primary_key=True)
    longitude: Mapped[float] = mapped_column(Float, primary_key=True)

    __table_args__ = (Index("ix_search_places_latitude", "latitude", "longitude", "docnum"),)


class SearchWord(Model):
    """The typo vocabulary: folded words of names, places and sector labels (unstemmed).

    Added to as documents are written, pruned by `flask search sync` and rebuilds: a word
    left by a deleted listing stays known until then, as in Whoosh's lexicons.
    """

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(Text, primary_key=True)

    __table_args__ = (
        Index(
            "ix_search_words_trigrams",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
        ),
    )
