"""Builders for evaluation tests: a planned meeting (codes only) and its questionnaire links."""

from __future__ import annotations

from datetime import date
from typing import Any

from directory.evaluations import operations
from directory.extensions import db
from directory.meetings.models import Meeting
from tests.factories import create_user

HELD_ON = date(2026, 3, 12)


def create_meeting(**fields: Any) -> Meeting:
    """A meeting planned by a fictional facilitator (region 02, MT and PSM by default)."""
    creator = fields.pop("created_by", None) or create_user(
        f"animatrice-{db.session.query(Meeting).count()}@fictif.example", role="facilitator"
    )
    meeting = Meeting(
        created_by_id=creator.id,
        region_code=fields.pop("region_code", "02"),
        cooccurrences=fields.pop("cooccurrences", ["PSM", "MT"]),
        followed=fields.pop("followed", ["victim"]),
        meeting_type=fields.pop("meeting_type", "concertation"),
        mode=fields.pop("mode", "in_person"),
        language="fr",
        max_experts=fields.pop("max_experts", 3),
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def issue_link(
    meeting: Meeting, role: str = "on_file", sector: str = "VCF", email: str = "x@fictif.example"
) -> operations.IssuedLink:
    """One questionnaire link for an attendee of `meeting`, as the lifecycle will issue it."""
    attendee = operations.Attendee(email=email, role=role, sector=sector)
    [issued] = operations.issue_questionnaires(meeting, [attendee], held_on=HELD_ON, valid_days=30)
    return issued
