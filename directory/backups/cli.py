"""`flask backup create` and `flask backup restore`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from directory.backups import operations
from directory.extensions import db
from directory.search import sync

backup_group = AppGroup("backup", help="Backups of the whole database.")


@backup_group.command("create")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write it (default: instance/backups/filet-<UTC time>.sqlite3 or .dump).",
)
def create_command(output: Path | None) -> None:
    """Write a consistent backup while the application keeps serving (for cron)."""
    target = output or operations.default_path(Path(current_app.instance_path) / "backups")
    try:
        written = operations.create(target)
    except operations.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written: {written} ({written.stat().st_size} bytes).")


@backup_group.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: the whole database is replaced.")
def restore_command(path: Path, *, yes: bool) -> None:
    """Replace the WHOLE database with a backup, then rebuild the search index.

    Stop the application first; run `flask db upgrade` after restoring an older backup.
    """
    if not yes:
        raise click.UsageError(
            "restoring replaces every record of the database: add --yes to confirm"
        )
    try:
        operations.restore(path)
    except operations.BackupError as error:
        raise click.ClickException(str(error)) from error
    count = sync.rebuild(db.session())
    click.echo(f"Backup restored from {path}; search index rebuilt ({count} documents).")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_group)
