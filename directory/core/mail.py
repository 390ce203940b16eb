"""Outgoing e-mail through SMTP; printed to the console when no SMTP server is configured."""

from __future__ import annotations

import logging
import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

logger = logging.getLogger(__name__)


class MailError(Exception):
    """The SMTP server refused or could not be reached."""


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="filet.invalid")
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; raise `MailError` when the SMTP server fails."""
    message = build_message(to, subject, body)
    config = current_app.config
    if not config["MAIL_SERVER"]:
        sys.stdout.write(f"--- e-mail (no MAIL_SERVER configured) ---\n{message}\n---\n")
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_STARTTLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("mail to %s not sent: %s", to, type(error).__name__)
        raise MailError(str(error)) from error
    logger.info("mail sent: %s", subject)
