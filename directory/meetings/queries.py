"""Read queries for meetings: a facilitator's own meetings, public organisations, recent load."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from directory.accounts.models import User
from directory.accounts.tokens import digest
from directory.db import utcnow
from directory.expertise.models import Expert, ExpertiseOffer
from directory.extensions import db
from directory.meetings.models import Invitation, Meeting, RecordedGap
from directory.organisations.models import Location

LOAD_WINDOW = timedelta(days=90)
REMINDER_AHEAD = timedelta(days=2)
MAX_TOKEN = 100


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


def offers_by_organisation() -> dict[uuid.UUID, ExpertiseOffer]:
    stmt = select(ExpertiseOffer).options(
        selectinload(ExpertiseOffer.sectors),
        selectinload(ExpertiseOffer.regions),
        selectinload(ExpertiseOffer.languages),
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
    """Accepted invitations per organisation over the last 90 days (the load criterion): a
    declined or unanswered invitation costs the organisation nothing."""
    stmt = (
        select(Invitation.organisation_id, func.count())
        .where(Invitation.created_at >= utcnow() - LOAD_WINDOW, Invitation.status == "accepted")
        .group_by(Invitation.organisation_id)
    )
    return dict(db.session.execute(stmt).tuples().all())


def recorded_gap_counts() -> dict[tuple[str, str], dict[str, int]]:
    """Gaps recorded by held meetings: per (region code, sector code), a count per cause
    (the matching engine's `GapCause` codes: none_in_region, territorial, population, language,
    unavailable, excluded, cap_reached). This is the one place the gap map reads them from."""
    stmt = (
        select(Meeting.region_code, RecordedGap.sector_code, RecordedGap.cause, func.count())
        .join(Meeting, RecordedGap.meeting_id == Meeting.id)
        .where(Meeting.status == "held")
        .group_by(Meeting.region_code, RecordedGap.sector_code, RecordedGap.cause)
    )
    found: dict[tuple[str, str], dict[str, int]] = {}
    for region, sector, cause, count in db.session.execute(stmt).tuples():
        found.setdefault((region, sector), {})[cause] = count
    return found


def confidential_addresses() -> list[tuple[str | None, str | None]]:
    """(street address, postal code) of every confidential site, to refuse them as a place."""
    stmt = select(Location.address, Location.postal_code).where(Location.confidential.is_(True))
    return list(db.session.execute(stmt).tuples())


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation whose reply link is `token` (only its hash is stored)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    stmt = select(Invitation).where(Invitation.token_hash == digest(token))
    return db.session.scalars(stmt).first()


def due_reminders(now: datetime) -> list[Invitation]:
    """Invitations to remind now: the meeting starts within two days, the invitee was sent an
    invitation, has not declined, and was not reminded yet."""
    stmt = (
        select(Invitation)
        .join(Meeting, Invitation.meeting_id == Meeting.id)
        .where(
            Meeting.status == "invited",
            Meeting.starts_at > now,
            Meeting.starts_at <= now + REMINDER_AHEAD,
            Invitation.status.in_(("pending", "accepted")),
            Invitation.sent_at.is_not(None),
            Invitation.reminded_at.is_(None),
        )
        .order_by(Meeting.starts_at, Invitation.position)
    )
    return list(db.session.scalars(stmt))


def meetings_overview(user: User, now: datetime) -> dict[str, list[Meeting]]:
    """`user`'s meetings (every one for an admin) sorted into what needs doing: upcoming,
    awaiting replies, to record (the date passed) and due for a follow-up (held first
    meetings with no follow-up planned yet), plus the unscheduled and closed ones."""
    stmt = _visible_meetings(user).options(
        selectinload(Meeting.invitations), selectinload(Meeting.created_by)
    )
    followed_up = set(
        db.session.scalars(
            select(Meeting.previous_meeting_id).where(Meeting.previous_meeting_id.is_not(None))
        )
    )
    groups: dict[str, list[Meeting]] = {key: [] for key in OVERVIEW_GROUPS}
    for meeting in db.session.scalars(stmt.order_by(Meeting.starts_at, Meeting.created_at)):
        groups[_overview_group(meeting, now, followed_up)].append(meeting)
    return groups


OVERVIEW_GROUPS = (
    "awaiting_replies",
    "upcoming",
    "to_record",
    "follow_up_due",
    "unscheduled",
    "closed",
)


def _overview_group(meeting: Meeting, now: datetime, followed_up: set[uuid.UUID | None]) -> str:
    if meeting.status == "cancelled":
        return "closed"
    if meeting.status == "held":
        due = meeting.round == "first" and meeting.id not in followed_up
        return "follow_up_due" if due else "closed"
    if meeting.starts_at is None:
        return "unscheduled"
    if meeting.starts_at <= now:
        return "to_record"
    waiting = any(item.status == "pending" for item in meeting.invitations)
    return "awaiting_replies" if meeting.status == "invited" and waiting else "upcoming"
