"""`flask listings remind`: e-mail the editors of listings that need confirming."""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import Flask
from flask.cli import AppGroup

from directory.accounts.queries import editors_of
from directory.core.mail import MailError
from directory.core.urls import base_url_option
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.verification import notifications, operations, queries

listings_group = AppGroup("listings", help="Keep listings true.")


@dataclass
class _Tally:
    listings: int = 0
    sent: int = 0
    failed: int = 0
    without_editor: int = 0


def _remind(listing: Organisation, tally: _Tally, *, dry_run: bool) -> bool:
    """E-mail each editor; True when every message went out."""
    editors = editors_of(listing)
    if not editors:
        tally.without_editor += 1
        click.echo(f"- {listing.slug}: no active editor, skipped")
        return False
    complete = True
    for user in editors:
        if dry_run:
            click.echo(f"- {listing.slug}: would e-mail {user.email}")
            continue
        try:
            notifications.send_reminder(user, listing)
        except MailError as error:
            tally.failed += 1
            complete = False
            click.echo(f"- {listing.slug}: FAILED to e-mail {user.email} ({error})", err=True)
        else:
            tally.sent += 1
            click.echo(f"- {listing.slug}: e-mailed {user.email}")
    return complete


@listings_group.command("remind")
@click.option("--dry-run", is_flag=True, help="List who would be e-mailed; send nothing.")
@base_url_option
def remind_command(*, dry_run: bool) -> None:
    """E-mail the editors of never-verified or stale listings, at most once per interval."""
    now, tally = utcnow(), _Tally()
    for listing in queries.reminders_due(now):
        tally.listings += 1
        if _remind(listing, tally, dry_run=dry_run) and not dry_run:
            operations.mark_reminded(listing, now)
    db.session.commit()  # nothing changed in a dry run
    prefix = "Dry run: " if dry_run else ""
    click.echo(
        f"{prefix}{tally.listings} listings due, {tally.sent} e-mails sent, "
        f"{tally.failed} failed, {tally.without_editor} listings without an editor."
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(listings_group)
