"""Writes for correction suggestions: receive one (rate limited per sender), resolve it."""

from __future__ import annotations

import logging
from datetime import timedelta

from directory.accounts.models import User
from directory.core import throttle
from directory.corrections.models import CorrectionSuggestion
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import Organisation

logger = logging.getLogger(__name__)

# Suggestions one client may send per hour.
SUGGESTIONS = throttle.Rule("corrections:client", 5, timedelta(hours=1))


def too_many(key: str) -> bool:
    """Count a suggestion from this sender; True when it is more than the hourly limit."""
    return throttle.hit_exceeds(SUGGESTIONS, key)


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
