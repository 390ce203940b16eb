"""Reads for account requests and proposed listings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.accounts.models import AccountRequest
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.organisations.queries import public_clause


def public_by_slug(slug: str) -> Organisation | None:
    stmt = select(Organisation).where(public_clause(), Organisation.slug == slug)
    return db.session.scalars(stmt).first()


def pending_requests() -> list[AccountRequest]:
    stmt = (
        select(AccountRequest)
        .where(AccountRequest.status == "pending")
        .options(selectinload(AccountRequest.organisation))
        .order_by(AccountRequest.created_at)
    )
    return list(db.session.scalars(stmt))


def unpublished_organisations() -> list[Organisation]:
    stmt = (
        select(Organisation)
        .where(Organisation.published.is_(False), Organisation.archived_at.is_(None))
        .order_by(Organisation.name_key)
    )
    return list(db.session.scalars(stmt))
