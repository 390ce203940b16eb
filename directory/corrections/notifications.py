"""Tell an organisation's editors that a visitor suggested a correction (best effort)."""

from __future__ import annotations

import logging

from directory.accounts.queries import editors_of
from directory.core.mail import MailError, send_mail
from directory.core.urls import external_url
from directory.corrections.models import CorrectionSuggestion

logger = logging.getLogger(__name__)


def notify_editors(suggestion: CorrectionSuggestion) -> None:
    """E-mail each editor; a failure is logged, never shown to the visitor."""
    listing = suggestion.organisation
    # The visitor's text stays in the queue: mailing it would let anyone relay spam through us.
    link = external_url("corrections.queue")
    body = (
        f"Bonjour,\n\nUne personne a suggéré une correction à la fiche « {listing.name} ».\n"
        f"Consultez-la dans la file des suggestions :\n{link}\n\n---\n"
        f"Hello,\n\nSomeone suggested a correction to the listing “{listing.name}”.\n"
        f"Read it in the suggestions queue:\n{link}\n"
    )
    for user in editors_of(listing):
        try:
            send_mail(user.email, "Filet : correction suggérée / correction suggested", body)
        except MailError:
            logger.warning("correction notice for %s not sent to %s", suggestion.id, user.id)
