"""`flask listings remind`: e-mail the editors of listings that need confirming."""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from directory.accounts.queries import editors_of
from directory.core.mail import MailError
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
@click.option(
    "--base-url",
    envvar="DIRECTORY_BASE_URL",
    default=None,
    help="Public address for the links in the e-mails (default: PUBLIC_URL).",
)
def remind_command(*, dry_run: bool, base_url: str | None) -> None:
    """E-mail the editors of never-verified or stale listings, at most once per interval."""
    if base_url:
        current_app.config["PUBLIC_URL"] = base_url.rstrip("/")
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
