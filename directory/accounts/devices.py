"""A browser that signed in to an account before is told apart from a stranger.

After a successful login the browser keeps a signed cookie naming the account (as a keyed
hash) and a random device id. Its login attempts are then counted on that device, not on
its network address: someone guessing passwords from the same household or office network
cannot lock the account's holder out of her own browser.
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from directory.accounts.models import normalise_email
from directory.core import throttle

COOKIE = "filet_appareil"
MAX_AGE_DAYS = 365
_SALT = "known-device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt=_SALT)


def _account(email: str) -> str:
    return throttle.keyed("device-account", normalise_email(email))


def known_device(email: str) -> str | None:
    """This browser's device id when it signed in to `email`'s account before, else None."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw, max_age=MAX_AGE_DAYS * 24 * 3600)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("account") != _account(email):
        return None
    device = data.get("device")
    return device if isinstance(device, str) else None


def remember(response: Response, email: str) -> None:
    """Mark this browser as a known device of `email`'s account (after a successful login)."""
    device = known_device(email) or secrets.token_hex(16)
    value = _serializer().dumps({"account": _account(email), "device": device})
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE_DAYS * 24 * 3600,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
