"""A planned meeting, the organisations on its file and the experts invited to it.

Nothing here identifies a family: a case is described by codes only (region, municipality,
sectors, who is followed). A consultation is anonymous by definition, and a concertation
needs no more than that to plan the table, so there is no free-text field at all.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.accounts.models import User
from directory.db import created_at, one_of, updated_at, uuid_pk
from directory.expertise.models import Expert
from directory.extensions import Model
from directory.organisations.models import Organisation
from directory.reference.models import Municipality, Region, Sector

MEETING_TYPES = ("concertation", "consultation")
MEETING_MODES = ("in_person", "remote", "hybrid")
MEETING_STATUSES = ("planned", "invited", "held", "cancelled")
CLOSED_STATUSES = ("held", "cancelled")  # nothing about the meeting changes any more
MEETING_ROUNDS = ("first", "follow_up")
# How the members meet (the matching engine's `mode` — in person, remote, hybrid — is the case's).
SCHEDULE_MODES = ("in_person", "video", "phone")
INVITATION_STATUSES = ("pending", "accepted", "declined", "replaced", "manual")
REPLY_REASONS = ("not_available", "not_my_field", "conflict_of_interest")
ACTION_STATUSES = ("in_progress", "done", "dropped")
# The matching engine's gap causes (`matching.types.GapCause`), the ones a meeting records.
GAP_CAUSES = (
    "none_in_region",
    "territorial",
    "population",
    "language",
    "unavailable",
    "excluded",
    "cap_reached",
)


class Meeting(Model):
    """A case meeting planned by a facilitator: the case's codes, never who the family is."""

    __tablename__ = "meetings"
    __table_args__ = (
        one_of("meeting_type", MEETING_TYPES),
        one_of("mode", MEETING_MODES),
        one_of("status", MEETING_STATUSES),
        one_of("round", MEETING_ROUNDS),
        one_of("schedule_mode", SCHEDULE_MODES),
    )

    id: Mapped[uuid_pk]
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    cooccurrences: Mapped[list[str]] = mapped_column(JSON, default=list)
    followed: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    meeting_type: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(3))
    max_experts: Mapped[int]
    previous_meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meetings.id"))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    round: Mapped[str] = mapped_column(String(20), default="first")
    # The schedule: set when the facilitator plans the date (Québec time, stored in UTC).
    starts_at: Mapped[datetime | None]
    duration_minutes: Mapped[int | None]
    schedule_mode: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(300))
    video_url: Mapped[str | None] = mapped_column(String(500))
    bridge_number: Mapped[str | None] = mapped_column(String(40))
    consents_attested: Mapped[bool] = mapped_column(Boolean, default=False)
    consents_signed_on: Mapped[date | None]
    # The iCalendar SEQUENCE of the invitations sent: +1 on each change of date, place or mode.
    sequence: Mapped[int] = mapped_column(default=0)
    held_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration

    created_by: Mapped[User] = relationship()
    region: Mapped[Region] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    previous_meeting: Mapped[Meeting | None] = relationship(remote_side="Meeting.id")
    on_file: Mapped[list[MeetingOnFile]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Invitation.position"
    )
    actions: Mapped[list[ActionPath]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="ActionPath.position"
    )
    gaps: Mapped[list[RecordedGap]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="RecordedGap.position"
    )

    @property
    def follow_up_of(self) -> uuid.UUID | None:
        return self.previous_meeting_id

    @property
    def closed(self) -> bool:
        """Held or cancelled: no more replies, seats, schedule changes or invitations."""
        return self.status in CLOSED_STATUSES

    @property
    def can_have_follow_up(self) -> bool:
        """Only a first meeting that was not cancelled has a follow-up."""
        return self.round == "first" and self.status != "cancelled"

    @property
    def scheduled(self) -> bool:
        """Its date and its mode are set: the invitations can be sent."""
        return self.starts_at is not None and self.schedule_mode is not None

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None or self.duration_minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def seats(self) -> list[Invitation]:
        """The invitations still holding a seat (a replaced one gave it to its replacement)."""
        return [item for item in self.invitations if item.status != "replaced"]


class MeetingOnFile(Model):
    """An organisation already on the file (intervenant·e·s au dossier) at the meeting."""

    __tablename__ = "meeting_on_file"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True
    )

    meeting: Mapped[Meeting] = relationship(back_populates="on_file")
    organisation: Mapped[Organisation] = relationship()


class Invitation(Model):
    """An external expert (or an organisation naming nobody yet) invited to a meeting.

    The reply link's secret is sent once; only its hash is kept (`token_hash`), and a reply
    clears it (single use).
    """

    __tablename__ = "invitations"
    __table_args__ = (
        one_of("status", INVITATION_STATUSES),
        one_of("reply_reason", REPLY_REASONS),
    )

    id: Mapped[uuid_pk]
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    expert_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("experts.id"))
    position: Mapped[int] = mapped_column(default=0)
    covers: Mapped[list[str]] = mapped_column(JSON, default=list)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    replacement_for_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invitations.id"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    reply_reason: Mapped[str | None] = mapped_column(String(30))
    confidentiality_acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    # The iCalendar SEQUENCE last sent to this member (None: nothing sent yet).
    sequence: Mapped[int | None]
    sent_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    attended: Mapped[bool | None]
    created_at: Mapped[created_at]

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    organisation: Mapped[Organisation] = relationship()
    expert: Mapped[Expert | None] = relationship()
    replacement_for: Mapped[Invitation | None] = relationship(remote_side="Invitation.id")

    @property
    def candidate_id(self) -> str:
        """The matching engine's id for who was invited (see meetings.inputs)."""
        return str(self.expert_id) if self.expert_id else f"org:{self.organisation_id}"


class ActionPath(Model):
    """A « piste d'action » agreed at a held meeting: a short item, who carries it, by when."""

    __tablename__ = "action_paths"
    __table_args__ = (one_of("status", ACTION_STATUSES),)

    id: Mapped[uuid_pk]
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    item: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    created_at: Mapped[created_at]

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
    organisation: Mapped[Organisation] = relationship()


class RecordedGap(Model):
    """A required sector nobody covered at a held meeting, and why (feeds the gap map)."""

    __tablename__ = "recorded_gaps"
    __table_args__ = (one_of("cause", GAP_CAUSES),)

    id: Mapped[uuid_pk]
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"))
    cause: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[created_at]

    meeting: Mapped[Meeting] = relationship(back_populates="gaps")
    sector: Mapped[Sector] = relationship()
