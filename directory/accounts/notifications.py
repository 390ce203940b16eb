"""E-mails to account holders: French first, then English (their language is not known)."""

from __future__ import annotations

import threading

from flask import current_app

from directory.accounts.models import User
from directory.core.mail import send_mail, send_mail_in_background
from directory.core.urls import external_url


def _link(token: str) -> str:
    return external_url("accounts.set_password", token=token)


def send_invitation(user: User, token: str) -> None:
    hours = current_app.config["INVITATION_VALID_HOURS"]
    body = (
        f"Bonjour,\n\nUn compte Filet a été créé pour vous ({user.email}).\n"
        f"Choisissez votre mot de passe avec ce lien, valable {hours} heures et une seule fois :\n"
        f"{_link(token)}\n\nSi vous n'attendiez pas ce courriel, ignorez-le.\n\n---\n"
        f"Hello,\n\nA Filet account was created for you ({user.email}).\n"
        f"Choose your password with this link, valid once for {hours} hours:\n{_link(token)}\n"
    )
    send_mail(user.email, "Filet : votre invitation / your invitation", body)


def send_reset(user: User, token: str) -> threading.Thread:
    """Start sending the reset link (see `send_mail_in_background`)."""
    hours = current_app.config["RESET_VALID_HOURS"]
    body = (
        f"Bonjour,\n\nPour choisir un nouveau mot de passe Filet, suivez ce lien "
        f"(valable {hours} heures, une seule fois) :\n{_link(token)}\n\n"
        "Si vous n'avez rien demandé, ignorez ce courriel : votre mot de passe ne change pas.\n"
        f"\n---\nTo choose a new Filet password, follow this link (valid once for {hours} hours):\n"
        f"{_link(token)}\nIf you did not ask for it, ignore this e-mail.\n"
    )
    return send_mail_in_background(user.email, "Filet : nouveau mot de passe / new password", body)
