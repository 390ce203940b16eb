"""The e-mails of a meeting: invitation, update, cancellation and reminder, each with the
iCalendar file of the event, in the recipient's language (French unless the organisation
serves in English only). Sent after the change is committed; a failure is logged and
reported to the facilitator, never raised."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from babel.dates import format_datetime
from flask_babel import force_locale
from flask_babel import gettext as _

from directory.core.mail import Attachment, MailError, send_mail
from directory.core.urls import external_url
from directory.evaluations.notifications import send_questionnaire
from directory.evaluations.operations import IssuedLink
from directory.extensions import db
from directory.meetings import calendar, operations
from directory.meetings.models import Invitation, Meeting
from directory.meetings.operations import Outgoing, recipient
from directory.meetings.schedule import QUEBEC

logger = logging.getLogger(__name__)

METHODS = {"request": "REQUEST", "update": "REQUEST", "reminder": "REQUEST", "cancel": "CANCEL"}


def language_of(invitation: Invitation) -> str:
    """French, unless every service of the organisation is offered in English and not French."""
    codes = {
        code for service in invitation.organisation.services for code in service.language_codes
    }
    return "en" if "en" in codes and "fr" not in codes else "fr"


def when(meeting: Meeting, language: str) -> str:
    """« 4 mars 2027 à 09:30 HNE »: the start in Québec time, in `language`."""
    locale = "fr_CA" if language == "fr" else "en_CA"
    assert meeting.starts_at is not None  # noqa: S101 - only a scheduled meeting is sent
    return format_datetime(meeting.starts_at, "long", tzinfo=QUEBEC, locale=locale)


def _how(meeting: Meeting) -> str:
    place = calendar.where(meeting) or ""
    if meeting.schedule_mode == "video":
        return _("Par visioconférence : %(place)s", place=place)
    if meeting.schedule_mode == "phone":
        return _("Par téléphone (conférence) : %(place)s", place=place)
    return _("En personne : %(place)s", place=place)


def _subject(kind: str, meeting: Meeting, language: str) -> str:
    moment = when(meeting, language)
    subjects = {
        "request": _("Filet : invitation à une rencontre le %(when)s", when=moment),
        "update": _("Filet : rencontre modifiée, maintenant le %(when)s", when=moment),
        "cancel": _("Filet : rencontre du %(when)s annulée", when=moment),
        "reminder": _("Filet : rappel, rencontre le %(when)s", when=moment),
    }
    return subjects[kind]


def _body(item: Outgoing, language: str) -> str:
    meeting = item.invitation.meeting
    lines = [_("Bonjour,"), ""]
    intro = {
        "request": _("Vous êtes invité·e à titre d'expert·e à la rencontre suivante :"),
        "update": _("La rencontre à laquelle vous êtes invité·e a changé :"),
        "cancel": _("La rencontre suivante est annulée. Merci de la retirer de votre agenda :"),
        "reminder": _("Rappel : la rencontre suivante a lieu dans deux jours."),
    }[item.kind]
    lines += [intro, "", calendar.summary(meeting, language)]
    lines.append(
        _(
            "Quand : %(when)s (heure du Québec), %(minutes)s minutes",
            when=when(meeting, language),
            minutes=meeting.duration_minutes,
        )
    )
    if item.kind != "cancel":
        lines.append(_how(meeting))
        lines += [
            "",
            _(
                "Engagement de confidentialité : ce qui est dit pendant la rencontre reste "
                "confidentiel; aucune information permettant d'identifier la famille ne sort de "
                "la rencontre."
            ),
        ]
    if item.token:
        link = external_url("invitation_replies.reply", token=item.token)
        closes = format_datetime(
            item.invitation.expires_at,
            "long",
            tzinfo=QUEBEC,
            locale="fr_CA" if language == "fr" else "en_CA",
        )
        lines += [
            "",
            _(
                "Répondez (accepter ou décliner) avec ce lien, valable une seule fois "
                "jusqu'au %(date)s :",
                date=closes,
            ),
            link,
        ]
    lines += ["", _("Le fichier joint ajoute la rencontre à votre agenda."), "", "— Filet"]
    return "\n".join(lines) + "\n"


def message_for(item: Outgoing) -> tuple[str, str, str, Attachment]:
    """(to, subject, body, .ics attachment) of one outgoing message."""
    invitation = item.invitation
    address = recipient(invitation)
    assert address is not None  # noqa: S101 - operations never queue a member without e-mail
    language = language_of(invitation)
    method = METHODS[item.kind]
    with force_locale(language):
        subject = _subject(item.kind, invitation.meeting, language)
        body = _body(item, language)
    ics = calendar.build(
        invitation.meeting, [(address, invitation)], method=method, language=language
    )
    attachment = Attachment("invitation.ics", "text/calendar", ics, (("method", method),))
    return address, subject, body, attachment


def send(outgoing: Iterable[Outgoing]) -> list[Outgoing]:
    """Send each message; those that could not be sent."""
    failed = []
    for item in outgoing:
        to, subject, body, attachment = message_for(item)
        try:
            send_mail(to, subject, body, [attachment])
        except MailError:
            logger.warning(
                "meeting %s: %s to invitation %s not sent",
                item.invitation.meeting_id,
                item.kind,
                item.invitation.id,
            )
            failed.append(item)
    return failed


def commit_and_send(outgoing: list[Outgoing]) -> list[Outgoing]:
    """Commit the change, then send its messages (a link is only sent once its hash is
    stored). An invitation that could not be sent goes back to « to send », a reminder to
    « to remind » (next run); the failed messages are returned (the caller's request commits
    those marks)."""
    db.session.commit()
    failed = send(outgoing)
    operations.mark_unsent([item.invitation for item in failed if item.kind == "request"])
    for item in failed:
        if item.kind == "reminder":
            item.invitation.reminded_at = None
    return failed


def commit_and_send_questionnaires(issued: list[IssuedLink]) -> int:
    """Commit the held meeting, then e-mail each attendee their questionnaire link (see the
    README's « Evaluation and reports »); the number that could not be sent."""
    db.session.commit()
    failed = 0
    for link in issued:
        try:
            send_questionnaire(link)
        except MailError:
            logger.warning("questionnaire link of meeting %s not sent", link.link.meeting_id)
            failed += 1
    return failed
