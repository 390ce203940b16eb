"""Writes for verification reminders."""

from __future__ import annotations

import logging
from datetime import datetime

from directory.extensions import db
from directory.organisations.models import Organisation

logger = logging.getLogger(__name__)


def mark_reminded(listing: Organisation, at: datetime) -> None:
    """Record that the listing's editors were reminded, so the next one waits an interval."""
    listing.verification_reminder_at = at
    db.session.flush()
    logger.info("verification reminder recorded for %s", listing.id)
