"""Reading the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from directory.audit.models import AuditEntry
from directory.extensions import db


def history(organisation_id: uuid.UUID, *, page: int, per_page: int) -> Pagination:
    """An organisation's audit entries, newest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.organisation_id == organisation_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=per_page)


def entries_since(since: datetime | None = None, *, batch: int = 500) -> Iterator[AuditEntry]:
    """Every audit entry (from `since` on), oldest first, read in batches."""
    stmt = select(AuditEntry).options(
        joinedload(AuditEntry.user), joinedload(AuditEntry.organisation)
    )
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    stmt = stmt.order_by(AuditEntry.at, AuditEntry.id).execution_options(yield_per=batch)
    yield from db.session.scalars(stmt)
