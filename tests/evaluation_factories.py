"""Builders for evaluation tests: a planned meeting (codes only) and its questionnaire links."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

from directory.config import REPOSITORY_ROOT
from directory.evaluations import operations
from directory.extensions import db
from directory.meetings.models import Meeting
from tests.factories import create_user
from tests.live import LiveInstance

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


# Run in a live instance's environment: a meeting in 02 (MT + PSM) planned by its first
# account, one link for a referring practitioner of a VCF organisation; prints the secret.
_ISSUE_LIVE_LINK = """
from datetime import date
from directory import create_app
from directory.accounts.models import User
from directory.evaluations.operations import Attendee, issue_questionnaires
from directory.extensions import db
from directory.meetings.models import Meeting
from sqlalchemy import select

app = create_app()
with app.app_context():
    creator = db.session.scalars(select(User).order_by(User.created_at)).first()
    meeting = Meeting(created_by_id=creator.id, region_code="02", cooccurrences=["PSM", "MT"],
                      followed=["victim"], meeting_type="concertation", mode="in_person",
                      language="fr", max_experts=3)
    db.session.add(meeting)
    db.session.flush()
    attendee = Attendee(email="referente@fictif.example", role="referrer", sector="VCF")
    [issued] = issue_questionnaires(meeting, [attendee], held_on=date(2026, 3, 12))
    db.session.commit()
    print(issued.token)
"""


def issue_live_link(live: LiveInstance) -> str:
    """A questionnaire link in a live instance (gunicorn), issued as the lifecycle will."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _ISSUE_LIVE_LINK],
        cwd=REPOSITORY_ROOT,
        env=live.env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip().splitlines()[-1]
