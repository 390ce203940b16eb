"""PostgreSQL databases of the suite's server (DATABASE_URL): one per xdist worker, and
throw-away ones for the live instances. SQLite needs none of this: its files live in each
worker's own temporary folders."""

from __future__ import annotations

import os
import re

import psycopg
from sqlalchemy.engine import URL, make_url


def suite_url() -> URL | None:
    """The suite's PostgreSQL database, or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return make_url(url) if url else None


def _admin(url: URL) -> str:
    """The server's maintenance database, where databases are created and dropped."""
    return url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )


def _checked(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"not a test database name: {name!r}")
    return name


def create_database(url: URL, name: str) -> str:
    """A new, empty database `name` on the server of `url` (replacing a leftover one); its URL."""
    with psycopg.connect(_admin(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{_checked(name)}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: URL, name: str) -> None:
    with psycopg.connect(_admin(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{_checked(name)}" WITH (FORCE)')
