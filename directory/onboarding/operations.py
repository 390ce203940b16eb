"""Writes for account requests: receive one, approve it, reject it; publish a listing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from directory.accounts import operations as accounts
from directory.accounts.models import AccountRequest, User
from directory.audit import operations as audit
from directory.core import throttle
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import Location, Organisation
from directory.reference.models import Municipality
from directory.text import fold, slugify

logger = logging.getLogger(__name__)


class RequestError(ValueError):
    """A request that cannot be approved as it stands (the e-mail belongs to another role)."""


@dataclass(frozen=True)
class NewOrganisation:
    """What a requester tells about an organisation not listed yet."""

    name: str
    type: str
    region_code: str
    municipality: str | None
    description: str | None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "organisme"
    slug, suffix = base, 2
    while db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _municipality(name: str | None, region_code: str) -> Municipality | None:
    if not name:
        return None
    stmt = select(Municipality).where(
        Municipality.name_key == fold(name), Municipality.region_code == region_code
    )
    return db.session.scalars(stmt.order_by(Municipality.population.desc())).first()


def _create_unpublished(new: NewOrganisation) -> Organisation:
    """The proposed listing, hidden from the public until an admin publishes it."""
    municipality = _municipality(new.municipality, new.region_code)
    note = None if municipality or not new.municipality else f"Municipalité : {new.municipality}"
    organisation = Organisation(
        slug=_unique_slug(new.name),
        name=new.name,
        type=new.type,
        description=new.description,
        source_note=note,
        published=False,
    )
    organisation.locations = [Location(region_code=new.region_code, municipality=municipality)]
    db.session.add(organisation)
    return organisation


def create_request(  # noqa: PLR0913 - keyword-only fields of one request
    *,
    name: str,
    email: str,
    message: str,
    organisation: Organisation | None = None,
    new: NewOrganisation | None = None,
    key: str = "",
) -> AccountRequest:
    """Record a request for an existing organisation, or for a new (unpublished) one."""
    if new is not None:
        organisation = _create_unpublished(new)
    request = AccountRequest(
        name=name, email=email, message=message, organisation=organisation, sender_key=key
    )
    db.session.add(request)
    db.session.flush()
    logger.info("account request %s (new organisation: %s)", request.id, new is not None)
    return request


# Account requests one client may send per hour.
REQUESTS = throttle.Rule("account-requests:client", 3, timedelta(hours=1))


def too_many_requests(key: str) -> bool:
    """Count a request from this sender; True when it is more than the hourly limit."""
    return throttle.hit_exceeds(REQUESTS, key)


def publish(organisation: Organisation, user: User) -> None:
    """Make a proposed listing public, with an audit entry."""
    if organisation.published:
        return
    organisation.published = True
    db.session.flush()
    audit.record(
        user,
        organisation.id,
        entity="organisation",
        entity_id=organisation.id,
        action="publish",
        changes={"published": [False, True]},
    )
    logger.info("organisation %s published by %s", organisation.id, user.id)


def _editor_for(request: AccountRequest) -> User:
    organisations = [request.organisation] if request.organisation else []
    user = accounts.user_by_email(request.email)
    if user is None:
        return accounts.create_user(
            request.email, "editor", name=request.name, organisations=organisations
        )
    if user.role != "editor":
        raise RequestError(request.email)
    user.organisations.extend(org for org in organisations if org not in user.organisations)
    return user


def _decide(request: AccountRequest, user: User, status: str) -> None:
    request.status = status
    request.decided_at = utcnow()
    request.decided_by_id = user.id
    audit.record(
        user,
        request.organisation_id,
        entity="account_request",
        entity_id=request.id,
        action="approve" if status == "approved" else "reject",
        changes={"status": ["pending", status]},
    )


def approve(request: AccountRequest, admin: User) -> User:
    """Bind an editor account (new or existing) to the organisation and publish a new one."""
    editor = _editor_for(request)
    if request.organisation is not None:
        publish(request.organisation, admin)
    _decide(request, admin, "approved")
    db.session.flush()
    logger.info("account request %s approved by %s", request.id, admin.id)
    return editor


def reject(request: AccountRequest, admin: User) -> None:
    """Refuse; a listing the request proposed (still unpublished) is archived."""
    proposed = request.organisation
    if proposed is not None and not proposed.published and proposed.archived_at is None:
        proposed.archived_at = utcnow()
    _decide(request, admin, "rejected")
    db.session.flush()
    logger.info("account request %s rejected by %s", request.id, admin.id)
