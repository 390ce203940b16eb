"""Random secrets handed to people; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> tuple[str, str]:
    """A fresh URL-safe secret and the hash to store for it."""
    raw = secrets.token_urlsafe(32)
    return raw, digest(raw)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
