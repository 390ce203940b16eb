"""Writes for correction suggestions: receive one (rate limited per sender), resolve it."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from directory.accounts.models import User
from directory.corrections.models import CorrectionSuggestion
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import Organisation

logger = logging.getLogger(__name__)

MAX_PER_HOUR = 5


def too_many(key: str) -> bool:
    """This sender already made `MAX_PER_HOUR` suggestions within the last hour."""
    since = utcnow() - timedelta(hours=1)
    recent = db.session.scalar(
        select(func.count()).where(
            CorrectionSuggestion.sender_key == key, CorrectionSuggestion.created_at > since
        )
    )
    return (recent or 0) >= MAX_PER_HOUR


def suggest(
    organisation: Organisation, message: str, *, reply_email: str | None, key: str
) -> CorrectionSuggestion:
    """Queue a visitor's suggestion for the organisation's editors and the admins."""
    suggestion = CorrectionSuggestion(
        organisation=organisation, message=message, reply_email=reply_email, sender_key=key
    )
    db.session.add(suggestion)
    db.session.flush()
    logger.info("correction suggested for %s: %s", organisation.id, suggestion.id)
    return suggestion


def close(suggestion: CorrectionSuggestion, user: User, *, status: str) -> None:
    """Mark a suggestion `resolved` or `dismissed` by `user`."""
    suggestion.status = status
    suggestion.resolved_at = utcnow()
    suggestion.resolved_by_id = user.id
    db.session.flush()
    logger.info("correction %s %s by %s", suggestion.id, status, user.id)
