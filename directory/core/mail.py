"""Outgoing e-mail through SMTP; printed to the console when no SMTP server is configured."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from flask import current_app

logger = logging.getLogger(__name__)


class MailError(Exception):
    """The SMTP server refused or could not be reached."""


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: `mimetype` as "type/subtype", optional `params` (e.g. an
    iCalendar file's `method`)."""

    filename: str
    mimetype: str
    content: bytes
    params: tuple[tuple[str, str], ...] = ()


def build_message(
    to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="filet.invalid")
    message.set_content(body)
    for attachment in attachments:
        maintype, _sep, subtype = attachment.mimetype.partition("/")
        if maintype == "text":  # readable as is, in the development mailer's output too
            message.add_attachment(
                attachment.content.decode("utf-8"),
                subtype=subtype,
                filename=attachment.filename,
                params=dict(attachment.params),
            )
            continue
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(attachment.params),
        )
    return message


def sender_address() -> str:
    """The bare address of MAIL_SENDER (« Filet <x@y> » → "x@y")."""
    return parseaddr(current_app.config["MAIL_SENDER"])[1]


def _mail_settings() -> dict[str, object]:
    return {key: value for key, value in current_app.config.items() if key.startswith("MAIL_")}


def _deliver(message: EmailMessage, config: dict[str, object]) -> None:
    if not config["MAIL_SERVER"]:
        sys.stdout.write(f"--- e-mail (no MAIL_SERVER configured) ---\n{message}\n---\n")
        return
    try:
        with smtplib.SMTP(
            str(config["MAIL_SERVER"]),
            int(str(config["MAIL_PORT"])),
            timeout=10,
        ) as smtp:
            if config["MAIL_USE_STARTTLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(str(config["MAIL_USERNAME"]), str(config["MAIL_PASSWORD"]))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("mail to %s not sent: %s", message["To"], type(error).__name__)
        raise MailError(str(error)) from error
    logger.info("mail sent: %s", message["Subject"])


def send_mail(to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
    """Send a plain-text message (with its attachments); raise `MailError` when the SMTP
    server fails."""
    _deliver(build_message(to, subject, body, attachments), _mail_settings())


def _deliver_quietly(message: EmailMessage, config: dict[str, object]) -> None:
    with contextlib.suppress(MailError):  # already logged; nobody is waiting for the answer
        _deliver(message, config)


def send_mail_in_background(to: str, subject: str, body: str) -> threading.Thread:
    """Start sending a message on a thread of its own; a failure is logged, never raised.

    For answers that must not take longer when a message goes out than when none does
    (a password reset must not tell whether the address has an account).
    """
    worker = threading.Thread(
        target=_deliver_quietly,
        args=(build_message(to, subject, body), _mail_settings()),
        name="mail",
        daemon=True,
    )
    worker.start()
    return worker
