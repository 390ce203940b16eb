"""The search outbox: listings whose documents must be rewritten in the index."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Mapped, mapped_column

from directory.db import created_at
from directory.extensions import db


class SearchOutbox(db.Model):
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
