"""Full-text search of the directory behind a small interface, on one of two backends.

Callers use `index_document`, `remove_document`, `reindex` and `search` from
`directory.search.service`; `SEARCH_BACKEND` chooses where the index lives: Whoosh files in
the instance folder (the default on SQLite: one host), or tables in PostgreSQL (the default
there: every host shares them).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from directory.search import cli, sync
from directory.search.pg_index import PostgresBackend
from directory.search.whoosh_backend import WhooshBackend


def init_app(app: Flask) -> None:
    name = app.config["SEARCH_BACKEND"]
    if name == "postgres":
        if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
            msg = "SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL"
            raise ValueError(msg)
        app.extensions["search"] = {"backend": PostgresBackend()}
    elif name == "whoosh":
        root = Path(app.config.get("SEARCH_INDEX_DIR") or Path(app.instance_path) / "search")
        backend = WhooshBackend(root)
        app.extensions["search"] = {"backend": backend, "index": backend.index}
    else:
        msg = f"SEARCH_BACKEND must be whoosh or postgres, not {name!r}"
        raise ValueError(msg)
    app.cli.add_command(cli.search_group)
    sync.register()
