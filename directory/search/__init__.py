"""Full-text search of the directory behind a small interface (Whoosh backend).

Callers use `index_document`, `remove_document`, `reindex` and `search` from
`directory.search.service`; nothing outside this package touches Whoosh.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from directory.search import cli, sync
from directory.search.index import WhooshIndex


def init_app(app: Flask) -> None:
    root = Path(app.config.get("SEARCH_INDEX_DIR") or Path(app.instance_path) / "search")
    app.extensions["search"] = {"index": WhooshIndex(root)}
    app.cli.add_command(cli.search_group)
    sync.register()
