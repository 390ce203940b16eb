"""Writes once a meeting took place (flush, never commit): record it as held — attendance,
action paths, gaps, the previous action paths' statuses, and the evaluation questionnaires to
send — and plan the follow-up of a first meeting."""

from __future__ import annotations

import logging

from directory.accounts.models import User
from directory.evaluations.operations import Attendee, IssuedLink, issue_questionnaires
from directory.extensions import db
from directory.meetings.models import ActionPath, Invitation, Meeting, MeetingOnFile, RecordedGap
from directory.meetings.operations import (
    apply_schedule,
    audit_event,
    check_version,
    flush,
    recipient,
    touch,
)
from directory.meetings.record import HoldRecord, recordable
from directory.meetings.schedule import Schedule

logger = logging.getLogger(__name__)


class FollowUpError(Exception):
    """A follow-up is only planned from a first meeting that was not cancelled, once."""


def plan_follow_up(
    user: User, meeting: Meeting, schedule: Schedule, *, version: int | None = None
) -> Meeting:
    """The follow-up of first meeting `meeting`: the same codes and members (those who did not
    decline), the same way of meeting, at `schedule`; its action paths are reviewed there."""
    check_version(meeting, version)
    if not meeting.can_have_follow_up:
        raise FollowUpError
    follow_up = Meeting(
        created_by_id=user.id,
        region_code=meeting.region_code,
        municipality_id=meeting.municipality_id,
        cooccurrences=list(meeting.cooccurrences),
        followed=list(meeting.followed),
        other_needs=list(meeting.other_needs),
        meeting_type=meeting.meeting_type,
        mode=meeting.mode,
        language=meeting.language,
        max_experts=meeting.max_experts,
        previous_meeting_id=meeting.id,
        round="follow_up",
        consents_attested=meeting.consents_attested,
        consents_signed_on=meeting.consents_signed_on,
    )
    apply_schedule(follow_up, schedule)
    follow_up.on_file = [
        MeetingOnFile(organisation_id=row.organisation_id) for row in meeting.on_file
    ]
    kept = [
        item for item in meeting.seats if item.status != "declined" and item.attended is not False
    ]
    follow_up.invitations = [
        Invitation(
            organisation_id=item.organisation_id,
            expert_id=item.expert_id,
            position=position,
            covers=list(item.covers),
            remote=item.remote,
        )
        for position, item in enumerate(kept)
    ]
    db.session.add(follow_up)
    touch(meeting)
    flush()
    audit_event(user, follow_up, "create", {"follow_up_of": [None, str(meeting.id)]})
    logger.info("meeting %s: follow-up %s planned", meeting.id, follow_up.id)
    return follow_up


class NotRecordableError(Exception):
    """Only a planned or invited meeting whose date has passed is recorded as held."""


def record_hold(
    user: User, meeting: Meeting, record: HoldRecord, *, version: int | None = None
) -> list[IssuedLink]:
    """Record the held meeting (attendance, action paths, gaps, the previous meeting's action
    statuses) and issue the evaluation questionnaire of each member who attended and has an
    e-mail on file; the links are to be sent once committed (`send_questionnaire`)."""
    check_version(meeting, version)
    if not recordable(meeting):
        raise NotRecordableError
    for invitation in meeting.invitations:
        invitation.attended = record.attendance.get(invitation.id)
        invitation.token_hash = None  # the meeting took place: no reply any more
    meeting.actions = [
        ActionPath(
            position=position,
            item=action.item,
            organisation_id=action.organisation_id,
            due_on=action.due_on,
        )
        for position, action in enumerate(record.actions)
    ]
    meeting.gaps = [
        RecordedGap(position=position, sector_code=sector, cause=cause)
        for position, (sector, cause) in enumerate(record.gaps)
    ]
    previous = meeting.previous_meeting
    for action in previous.actions if previous else []:
        action.status = record.previous_actions.get(action.id, action.status)
    before = meeting.status
    meeting.status = "held"
    meeting.held_on = record.held_on
    touch(meeting)
    flush()
    audit_event(user, meeting, "update", {"status": [before, "held"]})
    attendees = [
        Attendee(email=address, role="external_expert", sector=sector)
        for invitation in meeting.seats
        if invitation.attended
        and (address := recipient(invitation))
        and (sector := _sector_of(invitation))
    ]
    return issue_questionnaires(meeting, attendees, held_on=record.held_on)


def _sector_of(invitation: Invitation) -> str | None:
    """The member's sector of attachment: the first sector it covered at the meeting."""
    if invitation.covers:
        return invitation.covers[0]
    sectors = invitation.organisation.sectors
    return sectors[0].code if sectors else None
