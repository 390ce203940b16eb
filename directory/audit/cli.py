"""`flask audit export`: the audit trail as JSON Lines or CSV."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from directory.audit import export, queries

audit_group = AppGroup("audit", help="The audit trail.")
FORMATS = {"jsonl": export.write_jsonl, "csv": export.write_csv}


@audit_group.command("export")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]),
    default=None,
    help="Only entries from this date (UTC), e.g. 2026-01-31.",
)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="jsonl")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write (default: standard output).",
)
def export_command(since: datetime | None, fmt: str, output: str | None) -> None:
    """Export the audit trail, oldest first (street addresses of sites are masked)."""
    start = since.replace(tzinfo=UTC) if since else None
    entries = queries.entries_since(start)
    if output is None:
        FORMATS[fmt](entries, sys.stdout)
        return
    with open(output, "w", encoding="utf-8", newline="") as out:  # noqa: PTH123 - a CLI path
        count = FORMATS[fmt](entries, out)
    click.echo(f"{count} audit entries written to {output}.", err=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(audit_group)
