"""`flask user create` and `flask user token` for operators."""

from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from directory.accounts import operations
from directory.accounts.models import ROLES
from directory.accounts.passwords import MIN_LENGTH
from directory.extensions import db
from directory.organisations.models import Organisation

user_group = AppGroup("user", help="Manage accounts.")


def _password() -> str:
    password = os.environ.get("DIRECTORY_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < MIN_LENGTH:
        raise click.BadParameter(f"at least {MIN_LENGTH} characters", param_hint="password")
    return password


def _organisations(slugs: tuple[str, ...]) -> list[Organisation]:
    found = list(db.session.scalars(select(Organisation).where(Organisation.slug.in_(slugs))))
    missing = set(slugs) - {organisation.slug for organisation in found}
    if missing:
        raise click.BadParameter(", ".join(sorted(missing)), param_hint="--organization")
    return found


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--organization", "organisations", multiple=True, help="Slug (editors).")
@click.option("--name", default="")
def create_command(email: str, role: str, organisations: tuple[str, ...], name: str) -> None:
    """Create an account; the password comes from a prompt or DIRECTORY_PASSWORD."""
    if role == "editor" and not organisations:
        raise click.UsageError("an editor needs at least one --organization")
    bound = _organisations(organisations)
    if operations.user_by_email(email) is not None:
        raise click.UsageError(f"an account already exists for {email}")
    user = operations.create_user(email, role, name=name, password=_password(), organisations=bound)
    db.session.commit()
    click.echo(f"Created {role} {user.email}.")


@user_group.command("token")
@click.argument("email")
def token_command(email: str) -> None:
    """Print a new personal API token for the account (shown once; only its hash is kept)."""
    user = operations.user_by_email(email)
    if user is None or not user.active:
        raise click.UsageError(f"no active account for {email}")
    token = operations.issue_api_token(user)
    db.session.commit()
    click.echo(token)


def init_app(app: Flask) -> None:
    app.cli.add_command(user_group)
