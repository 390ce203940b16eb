"""E-mails about a confidential site being made public (never its address)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from directory.accounts.models import User
from directory.accounts.queries import editors_of
from directory.confidentiality.models import ConfidentialityRelease
from directory.core.mail import MailError, send_mail
from directory.core.urls import external_url
from directory.extensions import db

logger = logging.getLogger(__name__)


def _admins() -> list[User]:
    stmt = select(User).where(User.role == "admin", User.active).order_by(User.email)
    return list(db.session.scalars(stmt))


def _site(release: ConfidentialityRelease) -> str:
    location = release.location
    place = location.municipality.name if location.municipality else location.region_code
    return f"{location.name} ({place})" if location.name else place


def _send_all(recipients: list[User], subject: str, body: str, release_id: object) -> None:
    for user in {user.email: user for user in recipients}.values():
        try:
            send_mail(user.email, subject, body)
        except MailError:
            logger.warning("release notice %s not sent to %s", release_id, user.id)


def notify_request(release: ConfidentialityRelease) -> None:
    """Alert the organisation's editors and every administrator (best effort)."""
    name, site, who = release.organisation.name, _site(release), release.requested_by.display_name
    link = external_url("confidentiality.list_releases")
    body = (
        f"Bonjour,\n\n{who} a demandé de rendre publique l'adresse confidentielle d'un lieu de "
        f"« {name} » : {site}.\nTant qu'une administratrice ou un administrateur (une autre "
        f"personne) ne l'a pas approuvé, le lieu reste confidentiel.\n"
        f"Examiner la demande (administrateurs) : {link}\n"
        "Si personne de votre organisme n'a fait cette demande, prévenez la coordination "
        "régionale.\n\n---\n"
        f"Hello,\n\n{who} asked to make public the confidential address of a site of "
        f"“{name}”: {site}.\nUntil another person, an administrator, approves, the site stays "
        f"confidential.\nReview the request (administrators): {link}\n"
        "If nobody in your organisation asked for this, tell the regional coordination.\n"
    )
    recipients = [*editors_of(release.organisation), *_admins()]
    subject = "Filet : lieu confidentiel à rendre public ? / make a confidential site public?"
    _send_all(recipients, subject, body, release.id)


def notify_decision(release: ConfidentialityRelease) -> None:
    """Tell the organisation's editors and the person who asked what was decided."""
    name, site = release.organisation.name, _site(release)
    if release.status == "approved":
        french = "a été approuvée : l'adresse du lieu est maintenant publique"
        english = "was approved: the site's address is now public"
    else:
        french = "a été refusée : le lieu reste confidentiel"
        english = "was refused: the site stays confidential"
    body = (
        f"Bonjour,\n\nLa demande de rendre public le lieu {site} de « {name} » {french}.\n\n"
        f"---\nHello,\n\nThe request to make public the site {site} of “{name}” {english}.\n"
    )
    recipients = [*editors_of(release.organisation), release.requested_by]
    subject = "Filet : décision sur un lieu confidentiel / confidential site decision"
    _send_all(recipients, subject, body, release.id)
