"""Questionnaires (imported from the project's paper forms or answered online), the imports
they came from, and the single-use links that let a meeting's attendees answer.

Anonymous by construction: a questionnaire keeps the meeting, the respondent's role and sector
of attachment, never the person. A link holds no person either (its e-mail is sent, never
stored), and nothing ties an answer to the link it came through: the link only becomes used,
and the answer keeps the day it was given, not the instant.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import created_at, one_of, utcnow, uuid_pk
from directory.evaluations.codes import (
    COOCCURRENCE_GROUPS,
    ITEMS,
    MEETING_TYPES,
    ROLES,
    ROUNDS,
    SCALES,
)
from directory.extensions import Model

if TYPE_CHECKING:
    # Types only: the meeting lifecycle issues the questionnaires (meetings imports this
    # domain); a questionnaire reaches its meeting through the relationships below, by name.
    from directory.meetings.models import Meeting


def _answer() -> Mapped[str | None]:
    return mapped_column(String(20))


class EvaluationImport(Model):
    """A CSV file of past questionnaires, imported once (what it stored, from which file)."""

    __tablename__ = "evaluation_imports"

    id: Mapped[uuid_pk]
    filename: Mapped[str]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int]
    stored: Mapped[int]
    created_at: Mapped[created_at]


class Questionnaire(Model):
    """One participant's answers about one meeting (a Filet meeting, or the source's id)."""

    __tablename__ = "questionnaires"
    __table_args__ = (
        one_of("meeting_type", MEETING_TYPES),
        one_of("round", ROUNDS),
        one_of("role", ROLES),
        one_of("cooccurrence", COOCCURRENCE_GROUPS),
        *(one_of(item, SCALES[item]) for item in ITEMS),
        CheckConstraint("meeting_id IS NOT NULL OR meeting_ref IS NOT NULL", name="meeting_known"),
    )

    id: Mapped[uuid_pk]
    # Online answers: the Filet meeting. Imported ones: the source's meeting id.
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    meeting_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    import_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("evaluation_imports.id"), index=True
    )
    # An imported row's content hash and rank: importing a file again stores nothing.
    source_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    meeting_type: Mapped[str] = mapped_column(String(20))
    round: Mapped[str] = mapped_column(String(20))
    cooccurrence: Mapped[str] = mapped_column(String(12))
    meeting_date: Mapped[date | None] = mapped_column(Date, index=True)
    role: Mapped[str] = mapped_column(String(20))
    referrer: Mapped[bool | None] = mapped_column(Boolean)
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"))
    security: Mapped[str | None] = _answer()
    practice: Mapped[str | None] = _answer()
    strategy: Mapped[str | None] = _answer()
    knowledge: Mapped[str | None] = _answer()
    understanding: Mapped[str | None] = _answer()
    partners: Mapped[str | None] = _answer()
    s1: Mapped[str | None] = _answer()
    s2: Mapped[str | None] = _answer()
    s3: Mapped[str | None] = _answer()
    s4: Mapped[str | None] = _answer()
    s5: Mapped[str | None] = _answer()
    s6: Mapped[str | None] = _answer()
    s7: Mapped[str | None] = _answer()
    divergence: Mapped[str | None] = _answer()
    # Open answers (online only), refused when they hold identifying data.
    helped: Mapped[str | None] = mapped_column(Text)
    difficult: Mapped[str | None] = mapped_column(Text)
    # The day only: an instant could be matched with the moment a link was used. Unknown for
    # a paper form whose meeting has no date.
    answered_on: Mapped[date | None] = mapped_column(Date, default=lambda: utcnow().date())

    meeting: Mapped[Meeting | None] = relationship("Meeting")


class QuestionnaireLink(Model):
    """A single-use link sent to one attendee of a held meeting; only its hash is stored."""

    __tablename__ = "questionnaire_links"
    __table_args__ = (one_of("role", ROLES),)

    id: Mapped[uuid_pk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    referrer: Mapped[bool] = mapped_column(Boolean, default=False)
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"))
    meeting_date: Mapped[date] = mapped_column(Date)
    expires_at: Mapped[datetime]
    used: Mapped[bool] = mapped_column(Boolean, default=False)

    meeting: Mapped[Meeting] = relationship("Meeting")

    def is_open(self, now: datetime | None = None) -> bool:
        return not self.used and self.expires_at > (now or utcnow())
