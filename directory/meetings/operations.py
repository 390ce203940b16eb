"""Writes for meetings (flush, never commit): plan one from a confirmed proposal, schedule
it, send the invitations, record replies, replace a seat, cancel, plan the follow-up.

Messages are sent by the caller once the change is committed (see `notifications`): the
operations return what to send (`Outgoing`), with the secret of each new reply link (only its
hash is stored).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from directory.accounts.models import User
from directory.accounts.tokens import new_secret
from directory.audit import operations as audit
from directory.db import rowcount, utcnow
from directory.extensions import db
from directory.matching.types import Member, Result
from directory.meetings.inputs import CaseRequest
from directory.meetings.models import Invitation, Meeting, MeetingOnFile
from directory.meetings.schedule import Schedule

logger = logging.getLogger(__name__)


def plan(  # noqa: PLR0913 - the schedule and panel are keyword-only options
    user: User,
    request: CaseRequest,
    result: Result,
    *,
    schedule: Schedule | None = None,
    consents_signed_on: date | None = None,
    members: Iterable[Member] | None = None,
) -> Meeting:
    """Save the meeting, its organisations on the file and one invitation per panel member
    (`members`, by default the whole panel), with its schedule when one is given."""
    meeting = Meeting(
        created_by_id=user.id,
        region_code=request.region,
        municipality_id=request.municipality.id if request.municipality else None,
        cooccurrences=sorted(request.cooccurrences),
        followed=sorted(str(member) for member in request.followed),
        other_needs=sorted(request.other_needs),
        meeting_type=str(request.meeting_type),
        mode=str(request.mode),
        language=request.language,
        max_experts=request.max_experts,
        previous_meeting_id=request.previous_meeting.id if request.previous_meeting else None,
        round="follow_up" if request.previous_meeting else "first",
        consents_attested=request.consents_attested,
    )
    if schedule is not None:
        apply_schedule(meeting, schedule, consents_signed_on=consents_signed_on)
    meeting.on_file = [MeetingOnFile(organisation_id=org_id) for org_id in request.on_file_ids]
    meeting.invitations = [
        Invitation(
            organisation_id=uuid.UUID(member.candidate.organisation.id),
            expert_id=uuid.UUID(member.candidate.expert_id) if member.candidate.expert_id else None,
            position=position,
            covers=list(member.covers),
            remote=member.remote,
        )
        for position, member in enumerate(result.panel if members is None else members)
    ]
    db.session.add(meeting)
    db.session.flush()
    _audit_plan(user, meeting)
    logger.info("meeting %s planned: %d invitations", meeting.id, len(meeting.invitations))
    return meeting


class ConflictError(Exception):
    """The meeting changed since the version the facilitator saw: nothing is written."""


class ReplyClosedError(Exception):
    """The reply link was used meanwhile (another tab, a double click): nothing is stored."""


@dataclass(frozen=True)
class Outgoing:
    """A message to send once the change is committed: the invitation, the secret of its new
    reply link (None when the message needs none) and its kind (request, update, cancel,
    reminder)."""

    invitation: Invitation
    token: str | None
    kind: str


def check_version(meeting: Meeting, version: int | None) -> None:
    """ConflictError unless `version` (when given) is the meeting's current version."""
    if version is not None and version != meeting.version:
        raise ConflictError


def touch(meeting: Meeting) -> None:
    """Mark the meeting changed: its version moves with its invitations, actions and gaps."""
    # Invitations, actions and gaps live in other tables: touching the row moves its version.
    meeting.updated_at = utcnow()


def flush() -> None:
    """Flush; ConflictError when another request changed the meeting meanwhile."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError from error


def apply_schedule(
    meeting: Meeting, schedule: Schedule, *, consents_signed_on: date | None = None
) -> bool:
    """Set the meeting's date, length, mode and place; True when invitees must be told (the
    invitations were sent and something they see changed: SEQUENCE + 1)."""
    notify = meeting.status == "invited" and schedule.differs_from(meeting)
    meeting.starts_at = schedule.starts_at
    meeting.duration_minutes = schedule.duration_minutes
    meeting.schedule_mode = schedule.mode
    meeting.location = schedule.location
    meeting.video_url = schedule.video_url
    meeting.bridge_number = schedule.bridge_number
    if consents_signed_on is not None:
        meeting.consents_signed_on = consents_signed_on
    if notify:
        meeting.sequence += 1
    touch(meeting)
    return notify


def reschedule(
    user: User, meeting: Meeting, schedule: Schedule, *, version: int | None
) -> list[Outgoing]:
    """Change the schedule of a planned or invited meeting; the updates to send (if any)."""
    check_version(meeting, version)
    before = {"starts_at": audit.iso(meeting.starts_at), "mode": meeting.schedule_mode}
    notify = apply_schedule(meeting, schedule)
    flush()
    after = {"starts_at": audit.iso(meeting.starts_at), "mode": meeting.schedule_mode}
    audit_event(user, meeting, "update", audit.diff(before, after))
    return _issue(meeting, kind="update") if notify else []


def recipient(invitation: Invitation) -> str | None:
    """Where an invitation goes: the expert's e-mail, else the organisation's."""
    expert_email = invitation.expert.email if invitation.expert else None
    return expert_email or invitation.organisation.email or None


def _new_link(invitation: Invitation, meeting: Meeting) -> str:
    raw, hashed = new_secret()
    invitation.token_hash = hashed
    # The reply is useful until the meeting starts, and never more than REPLY_VALID_DAYS.
    cap = utcnow() + timedelta(days=current_app.config["INVITATION_REPLY_VALID_DAYS"])
    starts_at = meeting.starts_at or cap
    invitation.expires_at = min(starts_at, cap)
    return raw


def _issue(meeting: Meeting, *, kind: str) -> list[Outgoing]:
    """A fresh reply link and the current SEQUENCE for every seat to write to."""
    outgoing = []
    now = utcnow()
    for invitation in meeting.seats:
        if invitation.status in ("declined", "manual"):
            continue
        if kind == "update" and invitation.sent_at is None:
            continue
        if kind == "request" and invitation.sent_at is not None:
            continue
        if recipient(invitation) is None:
            invitation.status = "manual"
            continue
        token = _new_link(invitation, meeting) if invitation.status == "pending" else None
        invitation.sequence = meeting.sequence
        invitation.sent_at = now
        outgoing.append(Outgoing(invitation, token, kind))
    flush()
    return outgoing


class NotScheduledError(Exception):
    """Invitations need a date, a length and a mode first."""


def send_invitations(user: User, meeting: Meeting, *, version: int | None = None) -> list[Outgoing]:
    """Invite every seat not invited yet (a member without e-mail is marked « à joindre par
    téléphone », status `manual`); the meeting becomes `invited`."""
    check_version(meeting, version)
    if not meeting.scheduled:
        raise NotScheduledError
    meeting.status = "invited"
    touch(meeting)
    outgoing = _issue(meeting, kind="request")
    audit_event(user, meeting, "update", {"status": ["planned", "invited"]})
    logger.info("meeting %s: %d invitations to send", meeting.id, len(outgoing))
    return outgoing


def cancel(user: User, meeting: Meeting, *, version: int | None = None) -> list[Outgoing]:
    """Cancel the meeting; everyone who was sent an invitation gets a METHOD:CANCEL."""
    check_version(meeting, version)
    before = meeting.status
    meeting.status = "cancelled"
    meeting.sequence += 1
    touch(meeting)
    outgoing = []
    for invitation in meeting.seats:
        invitation.token_hash = None  # the reply links close with the meeting
        if invitation.sent_at is not None and invitation.status in ("pending", "accepted"):
            invitation.sequence = meeting.sequence
            outgoing.append(Outgoing(invitation, None, "cancel"))
    flush()
    audit_event(user, meeting, "cancel", {"status": [before, "cancelled"]})
    return outgoing


def reply(invitation: Invitation, *, accept: bool, reason: str | None, acknowledged: bool) -> None:
    """Record the invitee's answer through the reply link and close the link (single use);
    ReplyClosedError when it was used meanwhile."""
    # One UPDATE that only succeeds while the link is open: two submissions racing each other
    # cannot both get through, whatever the database's isolation level.
    closed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.token_hash == invitation.token_hash)
        .where(Invitation.token_hash.is_not(None))
        .values(
            token_hash=None,
            status="accepted" if accept else "declined",
            reply_reason=None if accept else reason,
            confidentiality_acknowledged=acknowledged,
            replied_at=utcnow(),
        )
        .execution_options(synchronize_session="fetch")
    )
    if rowcount(closed) != 1:
        raise ReplyClosedError
    touch(invitation.meeting)
    flush()
    logger.info("invitation %s: %s", invitation.id, "accepted" if accept else "declined")


def record_reply(  # noqa: PLR0913 - the answer's keyword-only fields
    user: User,
    meeting: Meeting,
    invitation: Invitation,
    *,
    accept: bool,
    reason: str | None,
    version: int | None = None,
) -> None:
    """The facilitator records an answer given by phone (a member « à joindre par téléphone »,
    or one who called back): the reply link, if any, closes."""
    check_version(meeting, version)
    before = invitation.status
    invitation.status = "accepted" if accept else "declined"
    invitation.reply_reason = None if accept else reason
    invitation.replied_at = utcnow()
    invitation.token_hash = None
    touch(meeting)
    flush()
    audit_event(
        user, meeting, "update", {f"invitation:{invitation.id}": [before, invitation.status]}
    )


def replace_seat(
    user: User,
    meeting: Meeting,
    declined: Invitation,
    member: Member,
    *,
    version: int | None = None,
) -> list[Outgoing]:
    """Give a declined seat to the engine's replacement `member`; invite it at once when the
    invitations were already sent. The seat's history stays: declined → replaced by."""
    check_version(meeting, version)
    candidate = member.candidate
    replacement = Invitation(
        organisation_id=uuid.UUID(candidate.organisation.id),
        expert_id=uuid.UUID(candidate.expert_id) if candidate.expert_id else None,
        position=declined.position,
        covers=list(member.covers),
        remote=member.remote,
        replacement_for_id=declined.id,
    )
    declined.status = "replaced"
    meeting.invitations.append(replacement)
    touch(meeting)
    flush()
    outgoing = _issue(meeting, kind="request") if meeting.status == "invited" else []
    audit_event(
        user,
        meeting,
        "update",
        {f"seat:{declined.position}": [str(declined.organisation_id), candidate.organisation.id]},
    )
    return outgoing


def reminders(invitations: Iterable[Invitation]) -> list[Outgoing]:
    """The reminders of `invitations` (due, see `queries.due_reminders`), marked as sent: once
    only. A member who has not answered yet gets a fresh reply link with it."""
    now = utcnow()
    outgoing = []
    for invitation in invitations:
        invitation.reminded_at = now
        pending = invitation.status == "pending"
        token = _new_link(invitation, invitation.meeting) if pending else None
        outgoing.append(Outgoing(invitation, token, "reminder"))
    db.session.flush()
    return outgoing


def audit_event(user: User, meeting: Meeting, action: str, changes: dict[str, Any]) -> None:
    """An audit entry about `meeting` (codes and ids only, as in the meeting itself)."""
    audit.record(user, None, entity="meeting", entity_id=meeting.id, action=action, changes=changes)


def _audit_plan(user: User, meeting: Meeting) -> None:
    """The meeting is created, and its panel confirmed, in one step: two events. Codes only,
    as in the meeting itself: nothing about the family."""
    case = {
        "region_code": [None, meeting.region_code],
        "meeting_type": [None, meeting.meeting_type],
        "cooccurrences": [None, meeting.cooccurrences],
        "status": [None, meeting.status],
    }
    panel = [str(invitation.organisation_id) for invitation in meeting.invitations]
    for action, changes in (("create", case), ("confirm", {"invited": [None, panel]})):
        audit.record(
            user, None, entity="meeting", entity_id=meeting.id, action=action, changes=changes
        )


def mark_unsent(invitations: Iterable[Invitation]) -> None:
    """Messages that could not be sent: their seats go back to « to send »."""
    for invitation in invitations:
        invitation.sent_at = None
        invitation.sequence = None
    db.session.flush()
