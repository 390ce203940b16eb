"""The questionnaire link sent to each attendee of a held meeting: French, then English."""

from __future__ import annotations

from flask import url_for

from directory.core.mail import send_mail
from directory.evaluations.operations import IssuedLink


def send_questionnaire(issued: IssuedLink) -> None:
    """E-mail one attendee their single-use link (call after the links are committed)."""
    link = url_for("evaluations.answer_questionnaire", token=issued.token, _external=True)
    held = issued.link.meeting_date.isoformat()
    closes = issued.link.expires_at.date().isoformat()
    body = (
        f"Bonjour,\n\nMerci d'avoir participé à la rencontre de concertation du {held}.\n"
        "Votre avis aide la coordination à améliorer les rencontres. Le questionnaire prend "
        "cinq minutes et reste anonyme : il garde votre rôle et votre secteur, jamais votre nom.\n"
        f"Ce lien ne sert qu'une fois, jusqu'au {closes} :\n{link}\n\n---\n"
        f"Hello,\n\nThank you for taking part in the case meeting of {held}.\n"
        "Your opinion helps the coordination improve the meetings. The questionnaire takes five "
        "minutes and stays anonymous: it keeps your role and sector, never your name.\n"
        f"This link works once, until {closes}:\n{link}\n"
    )
    send_mail(
        issued.attendee.email,
        "Filet : évaluation de la rencontre / meeting evaluation",
        body,
    )
