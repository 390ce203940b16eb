"""Anonymous senders of public forms, told apart without keeping their address."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request


def sender_key(remote_address: str | None = None) -> str:
    """A keyed hash of the sender's IP address: enough to rate limit, useless to identify."""
    address = remote_address or request.remote_addr or "unknown"
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
