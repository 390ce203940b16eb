"""A planned meeting, the organisations on its file and the experts invited to it.

Nothing here identifies a family: a case is described by codes only (region, municipality,
sectors, who is followed). A consultation is anonymous by definition, and a concertation
needs no more than that to plan the table, so there is no free-text field at all.
"""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.accounts.models import User
from directory.db import created_at, one_of, uuid_pk
from directory.expertise.models import Expert
from directory.extensions import db
from directory.organisations.models import Organisation
from directory.reference.models import Municipality, Region

MEETING_TYPES = ("concertation", "consultation")
MEETING_MODES = ("in_person", "remote", "hybrid")
MEETING_STATUSES = ("planned",)
INVITATION_STATUSES = ("planned",)


class Meeting(db.Model):
    """A case meeting planned by a facilitator: the case's codes, never who the family is."""

    __tablename__ = "meetings"
    __table_args__ = (
        one_of("meeting_type", MEETING_TYPES),
        one_of("mode", MEETING_MODES),
        one_of("status", MEETING_STATUSES),
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
    created_at: Mapped[created_at]

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


class MeetingOnFile(db.Model):
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


class Invitation(db.Model):
    """An external expert (or an organisation naming nobody yet) invited to a meeting."""

    __tablename__ = "invitations"
    __table_args__ = (one_of("status", INVITATION_STATUSES),)

    id: Mapped[uuid_pk]
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    expert_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("experts.id"))
    position: Mapped[int] = mapped_column(default=0)
    covers: Mapped[list[str]] = mapped_column(JSON, default=list)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    created_at: Mapped[created_at]

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    organisation: Mapped[Organisation] = relationship()
    expert: Mapped[Expert | None] = relationship()

    @property
    def candidate_id(self) -> str:
        """The matching engine's id for who was invited (see meetings.inputs)."""
        return str(self.expert_id) if self.expert_id else f"org:{self.organisation_id}"
