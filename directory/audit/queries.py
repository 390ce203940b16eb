"""Reading the audit trail."""

from __future__ import annotations

import uuid

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

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
