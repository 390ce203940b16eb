"""`flask` commands for operators. `flask db seed` joins Flask-Migrate's `db` group."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask_migrate.cli import db as db_group

from directory import seeding
from directory.extensions import db


@click.command("seed")
def seed_command() -> None:
    """Load reference data and the seed directory (idempotent, never overwrites a listing)."""
    seed_dir = current_app.config["SEED_DIR"]
    reference = seeding.load_reference(seed_dir, progress=click.echo)
    organisations = seeding.load_organisations(seed_dir)
    db.session.commit()
    click.echo(
        f"Reference data: {reference.regions} regions, {reference.sectors} sectors, "
        f"{reference.populations} populations, {reference.municipalities} municipalities, "
        f"{reference.postal_areas} postal areas."
    )
    click.echo(
        f"Organisations: {organisations.created} created, {organisations.kept} already present."
    )


def init_app(app: Flask) -> None:  # noqa: ARG001 - same hook as the other subsystems
    if "seed" not in db_group.commands:
        db_group.add_command(seed_command)
