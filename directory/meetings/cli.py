"""`flask meetings remind`: e-mail the invitees of meetings starting within two days, once.

Run it from cron (every hour is plenty); a reminder is never sent twice to an invitee.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from directory.core.urls import base_url_option
from directory.db import utcnow
from directory.extensions import db
from directory.meetings import notifications, operations, queries

meetings_group = AppGroup("meetings", help="Case meetings.")


@meetings_group.command("remind")
@click.option("--dry-run", is_flag=True, help="Count who would be reminded; send nothing.")
@base_url_option
def remind_command(*, dry_run: bool) -> None:
    """E-mail a reminder to every invitee of a meeting starting within two days (once)."""
    due = queries.due_reminders(utcnow())
    if dry_run:
        click.echo(f"Dry run: {len(due)} reminders due.")
        return
    outgoing = operations.reminders(due)
    failed = notifications.commit_and_send(outgoing)
    db.session.commit()  # the failed ones are tried again on the next run
    click.echo(f"{len(outgoing) - len(failed)} reminders sent, {len(failed)} failed.")


def init_app(app: Flask) -> None:
    app.cli.add_command(meetings_group)
