"""Writing the audit trail (rows are only ever added)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any, Protocol

from directory.audit.models import AuditEntry
from directory.extensions import db

logger = logging.getLogger(__name__)


class Actor(Protocol):
    """Who did it: an account (the audit trail needs its id only)."""

    @property
    def id(self) -> uuid.UUID: ...


def iso(moment: datetime | None) -> str | None:
    """A moment as the trail stores it in `changes` (ISO 8601), None kept."""
    return moment.isoformat() if moment is not None else None


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for the fields whose value changed."""
    return {name: [before[name], after[name]] for name in after if before.get(name) != after[name]}


def record(  # noqa: PLR0913 - the keyword-only columns of one audit row
    user: Actor | None,
    organisation_id: uuid.UUID | None,
    *,
    entity: str,
    entity_id: object,
    action: str,
    changes: dict[str, Any],
    reverts_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry for `action` on `entity` (changes are JSON-friendly)."""
    entry = AuditEntry(
        user_id=user.id if user else None,
        organisation_id=organisation_id,
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        changes=changes,
        reverts_id=reverts_id,
    )
    db.session.add(entry)
    db.session.flush()
    logger.info("audit %s %s %s by %s", action, entity, entity_id, user.id if user else None)
    return entry
