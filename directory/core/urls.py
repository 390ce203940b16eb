"""Absolute links for e-mails, built on the configured public address."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import click
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


def base_url_option(command: Callable[..., None]) -> Callable[..., None]:
    """A command's `--base-url` (or `DIRECTORY_BASE_URL`): the public address of the links it
    e-mails, over `PUBLIC_URL` for this run (cron jobs on a host without it configured)."""

    @click.option(
        "--base-url",
        envvar="DIRECTORY_BASE_URL",
        default=None,
        help="Public address for the links in the e-mails (default: PUBLIC_URL).",
    )
    @functools.wraps(command)
    def run(*args: Any, base_url: str | None, **kwargs: Any) -> None:  # noqa: ANN401 - the command's own
        if base_url:
            current_app.config["PUBLIC_URL"] = base_url.rstrip("/")
        command(*args, **kwargs)

    return run


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
