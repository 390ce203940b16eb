"""How the application writes JSON."""

from __future__ import annotations

from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # French text stays readable
    sort_keys = False  # keep meaningful orders (coverage)
