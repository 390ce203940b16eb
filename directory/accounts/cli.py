"""`flask user …` (accounts and API tokens) and `flask accounts prune` for operators."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from directory import settings
from directory.accounts import operations, queries
from directory.accounts.models import ROLES, User
from directory.accounts.passwords import MIN_LENGTH
from directory.extensions import db
from directory.organisations.models import Organisation

user_group = AppGroup("user", help="Manage accounts.")


def _password() -> str:
    password = settings.text("DIRECTORY_PASSWORD") or click.prompt(
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


def _account(email: str) -> User:
    user = operations.user_by_email(email)
    if user is None:
        raise click.UsageError(f"no account for {email}")
    return user


@user_group.command("token")
@click.argument("email")
@click.option(
    "--days",
    type=click.IntRange(min=1, max=3650),
    default=operations.API_TOKEN_DAYS,
    show_default=True,
    help="Days until the token expires.",
)
def token_command(email: str, days: int) -> None:
    """Print a new personal API token for the account (shown once; only its hash is kept)."""
    user = operations.user_by_email(email)
    if user is None or not user.active:
        raise click.UsageError(f"no active account for {email}")
    token = operations.issue_api_token(user, days=days)
    db.session.commit()
    click.echo(token)


@user_group.command("tokens")
@click.argument("email")
def tokens_command(email: str) -> None:
    """List the account's API tokens: id, created, expires, last used, status."""
    tokens = queries.api_tokens(_account(email))
    if not tokens:
        click.echo(f"No API token for {email}.")
        return
    click.echo(f"{'id':8}  {'created':16}  {'expires':16}  {'last used':16}  status")
    for token in tokens:
        click.echo(
            f"{token.prefix:8}  {_when(token.created_at)}  {_when(token.expires_at)}  "
            f"{_when(token.last_used_at)}  {token.status()}"
        )


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never".ljust(16)


@user_group.command("revoke-tokens")
@click.argument("email")
@click.option("--id", "prefix", default=None, help="Only the token whose id starts with this.")
def revoke_tokens_command(email: str, prefix: str | None) -> None:
    """Revoke the account's API tokens (all live ones, or one with --id)."""
    revoked = operations.revoke_api_tokens(_account(email), prefix=prefix)
    db.session.commit()
    if prefix and not revoked:
        raise click.UsageError(f"no live token of {email} starts with {prefix}")
    click.echo(f"{len(revoked)} API tokens revoked for {email}.")


accounts_group = AppGroup("accounts", help="Account housekeeping.")


@accounts_group.command("prune")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Keep login attempts this many days (default 30).",
)
def prune_command(days: int | None) -> None:
    """Delete old login attempts, ended sessions, used or expired one-time links and finished
    throttle windows (for cron, e.g. daily)."""
    counts = operations.prune(attempts_days=days)
    db.session.commit()
    click.echo("Pruned: " + ", ".join(f"{count} {name}" for name, count in counts.items()) + ".")


def init_app(app: Flask) -> None:
    app.cli.add_command(user_group)
    app.cli.add_command(accounts_group)
