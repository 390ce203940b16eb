"""Writes for meetings: plan one from a confirmed proposal (flush, never commit)."""

from __future__ import annotations

import logging
import uuid

from directory.accounts.models import User
from directory.audit import operations as audit
from directory.extensions import db
from directory.matching.types import Result
from directory.meetings.inputs import CaseRequest
from directory.meetings.models import Invitation, Meeting, MeetingOnFile

logger = logging.getLogger(__name__)


def plan(user: User, request: CaseRequest, result: Result) -> Meeting:
    """Save the meeting, its organisations on the file and one invitation per panel member."""
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
    )
    meeting.on_file = [MeetingOnFile(organisation_id=org_id) for org_id in request.on_file_ids]
    meeting.invitations = [
        Invitation(
            organisation_id=uuid.UUID(member.candidate.organisation.id),
            expert_id=uuid.UUID(member.candidate.expert_id) if member.candidate.expert_id else None,
            position=position,
            covers=list(member.covers),
            remote=member.remote,
        )
        for position, member in enumerate(result.panel)
    ]
    db.session.add(meeting)
    db.session.flush()
    _audit(user, meeting)
    logger.info("meeting %s planned: %d invitations", meeting.id, len(meeting.invitations))
    return meeting


def _audit(user: User, meeting: Meeting) -> None:
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
