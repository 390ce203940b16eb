"""Read queries about accounts."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select

from directory.accounts.models import ApiToken, User, editor_organisations
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.text import fold


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


def managed_organisations(user: User, *, text: str, page: int, per_page: int) -> Pagination:
    """Listings `user` may edit (archived and unpublished ones included), by name."""
    stmt = select(Organisation)
    if user.role != "admin":
        own = [organisation.id for organisation in user.organisations]
        stmt = stmt.where(or_(Organisation.id.in_(own), Organisation.parent_id.in_(own)))
    for word in fold(text).split():
        stmt = stmt.where(Organisation.name_key.contains(word, autoescape=True))
    stmt = stmt.order_by(Organisation.name_key, Organisation.id)
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=per_page)
