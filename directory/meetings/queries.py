"""Read queries for meetings: a facilitator's own meetings, public organisations, recent load."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from directory.accounts.models import User
from directory.db import utcnow
from directory.expertise.models import Expert, ExpertiseOffer
from directory.extensions import db
from directory.meetings.models import Invitation, Meeting
from directory.organisations.models import Location, Organisation, Service
from directory.organisations.queries import public_clause
from directory.reference.models import Municipality

LOAD_WINDOW = timedelta(days=90)


def _visible_meetings(user: User) -> Select[tuple[Meeting]]:
    """Meetings `user` may open: their own, or every one for an admin."""
    stmt = select(Meeting)
    if not user.is_admin:
        stmt = stmt.where(Meeting.created_by_id == user.id)
    return stmt


def meetings_page(user: User, page: int, per_page: int) -> Pagination:
    """The planned meetings `user` may open, newest first."""
    stmt = _visible_meetings(user).order_by(Meeting.created_at.desc(), Meeting.id)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def own_meetings(user: User) -> list[Meeting]:
    """Meetings `user` planned, newest first (the choices of a follow-up's previous meeting)."""
    stmt = select(Meeting).where(Meeting.created_by_id == user.id)
    return list(db.session.scalars(stmt.order_by(Meeting.created_at.desc())))


def visible_meeting(user: User, meeting_id: uuid.UUID) -> Meeting | None:
    """The meeting if `user` planned it or is an admin; None otherwise (a 404, not a 403)."""
    stmt = _visible_meetings(user).where(Meeting.id == meeting_id)
    return db.session.scalars(stmt).first()


def public_organisations() -> list[Organisation]:
    """Published, non-archived organisations with what the matching inputs need, by name."""
    stmt = (
        select(Organisation)
        .where(public_clause())
        .options(
            selectinload(Organisation.services).selectinload(Service.sectors),
            selectinload(Organisation.services).selectinload(Service.languages),
            selectinload(Organisation.services).selectinload(Service.areas),
            selectinload(Organisation.services).selectinload(Service.populations),
            selectinload(Organisation.locations).selectinload(Location.municipality),
        )
        .order_by(Organisation.name_key)
    )
    return list(db.session.scalars(stmt))


def offers_by_organisation() -> dict[uuid.UUID, ExpertiseOffer]:
    stmt = select(ExpertiseOffer).options(
        selectinload(ExpertiseOffer.sectors), selectinload(ExpertiseOffer.regions)
    )
    return {offer.organisation_id: offer for offer in db.session.scalars(stmt)}


def active_experts_by_organisation() -> dict[uuid.UUID, list[Expert]]:
    stmt = (
        select(Expert)
        .where(Expert.archived_at.is_(None))
        .options(selectinload(Expert.sectors))
        .order_by(Expert.name)
    )
    found: dict[uuid.UUID, list[Expert]] = {}
    for expert in db.session.scalars(stmt):
        found.setdefault(expert.organisation_id, []).append(expert)
    return found


def recent_invitation_counts() -> dict[uuid.UUID, int]:
    """Invitations per organisation over the last 90 days (the load criterion)."""
    stmt = (
        select(Invitation.organisation_id, func.count())
        .where(Invitation.created_at >= utcnow() - LOAD_WINDOW)
        .group_by(Invitation.organisation_id)
    )
    return dict(db.session.execute(stmt).tuples().all())


def region_municipalities(region_code: str) -> list[Municipality]:
    stmt = select(Municipality).where(Municipality.region_code == region_code)
    return list(db.session.scalars(stmt))


def recorded_gap_counts() -> dict[tuple[str, str], dict[str, int]]:
    """Gaps recorded by held meetings: per (region code, sector code), a count per cause
    (`reports.coverage.GAP_CAUSES`: no_resource, excluded, language, territory, expert_cap).

    Meetings do not record their gaps yet: a planned meeting keeps the invitations of its
    proposal, and which required sector stayed uncovered at the table, and why, is recorded
    when the meeting is held (the meeting-lifecycle issue). Until that table exists there is
    nothing recorded to count; this is the one place the gap map reads them from.
    """
    return {}
