"""`flask search reindex` and `flask search sync`: the index rebuilt, or kept in step."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from directory.extensions import db
from directory.search import outbox, service, sync

search_group = AppGroup("search", help="Full-text search index.")

# The sync runs from cron, not in a request: it may wait for a busy index much longer.
SYNC_LOCK_TIMEOUT_SECONDS = 60.0


@search_group.command("reindex")
@click.option("--if-missing", is_flag=True, help="Only build the index when there is none yet.")
def reindex_command(*, if_missing: bool) -> None:
    """Rebuild the search index (readers keep the old one until the new one is complete)."""
    if if_missing and service.index_exists():
        click.echo("Search index present: nothing to do.")
        return
    covered = outbox.last_id(db.session())
    total = service.document_count(db.session())
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        count = service.reindex(db.session(), progress=bar.update)
    outbox.clear_through(db.session(), covered)
    db.session.commit()
    click.echo(f"Search index built: {count} documents.")


@search_group.command("sync")
@click.option(
    "--no-check", is_flag=True, help="Only apply the outbox; skip comparing index and database."
)
def sync_command(*, no_check: bool) -> None:
    """Apply pending index updates and repair drift (for cron, e.g. every 5 minutes).

    A missing or unreadable index is rebuilt. Exits with an error when the index or the
    database stayed busy or broken: the pending updates are kept for the next run.
    """
    try:
        report = sync.synchronise(
            db.session(), check=not no_check, lock_timeout=SYNC_LOCK_TIMEOUT_SECONDS
        )
    except Exception as error:
        db.session.rollback()
        message = f"search sync failed ({type(error).__name__}); pending updates are kept"
        raise click.ClickException(message) from error
    db.session.commit()
    if report.rebuilt is not None:
        click.echo(f"Search index missing or unreadable: rebuilt with {report.rebuilt} documents.")
    click.echo(f"Outbox: {report.applied} pending updates applied.")
    if report.checked:
        click.echo(f"Drift: {len(report.repaired)} listings repaired.")
