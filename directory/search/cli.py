"""`flask search reindex`: rebuild the index from the database, with a progress bar."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory.extensions import db
from directory.search import service

search_group = AppGroup("search", help="Full-text search index.")


@search_group.command("reindex")
@click.option("--if-missing", is_flag=True, help="Only build the index when there is none yet.")
def reindex_command(*, if_missing: bool) -> None:
    """Rebuild the search index (readers keep the old one until the new one is complete)."""
    if if_missing and service.index_exists():
        click.echo("Search index present: nothing to do.")
        return
    total = service.document_count(db.session)
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        count = service.reindex(db.session, progress=bar.update)
    click.echo(f"Search index built: {count} documents.")
