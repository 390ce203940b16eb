"""Read queries about accounts."""

from __future__ import annotations

from sqlalchemy import select

from directory.accounts.models import ApiToken, User, editor_organisations
from directory.extensions import db
from directory.organisations.models import Organisation


def editors_of(listing: Organisation) -> list[User]:
    """Active editors bound to the listing, or to its parent for a sub-program (see can_edit)."""
    owners = [listing.id] + ([listing.parent_id] if listing.parent_id else [])
    stmt = (
        select(User)
        .join(editor_organisations, editor_organisations.c.user_id == User.id)
        .where(
            editor_organisations.c.organisation_id.in_(owners),
            User.role == "editor",
            User.active,
        )
        .distinct()
        .order_by(User.email)
    )
    return list(db.session.scalars(stmt))


def api_tokens(user: User) -> list[ApiToken]:
    """The account's API tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    return list(db.session.scalars(stmt))
