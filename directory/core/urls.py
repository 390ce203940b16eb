"""Absolute links for e-mails, built on the configured public address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from directory.config import DEVELOPMENT_URL


def public_url() -> str:
    """`PUBLIC_URL`; when it was left at its development default, Flask's own
    `PREFERRED_URL_SCHEME://SERVER_NAME` if those are set."""
    config = current_app.config
    url = str(config["PUBLIC_URL"])
    if url == DEVELOPMENT_URL and config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'https'}://{config['SERVER_NAME']}"
    return url


def external_url(endpoint: str, **values: Any) -> str:  # noqa: ANN401 - url_for's values
    """The absolute URL of `endpoint` on `PUBLIC_URL` (with its path prefix, if any).

    The request's Host header plays no part: behind a proxy, or with a forged Host, an
    e-mailed link must still lead to this site. Works outside requests (CLI commands).
    """
    base = urlsplit(public_url())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
