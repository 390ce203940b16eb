"""Reads for confidentiality releases."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.confidentiality.models import ConfidentialityRelease
from directory.extensions import db
from directory.organisations.models import Location, Organisation


def pending_for(location: Location) -> ConfidentialityRelease | None:
    stmt = select(ConfidentialityRelease).where(
        ConfidentialityRelease.location_id == location.id,
        ConfidentialityRelease.status == "pending",
    )
    return db.session.scalars(stmt).first()


def pending_location_ids(organisation: Organisation) -> set[uuid.UUID]:
    """The organisation's sites whose release awaits approval."""
    stmt = select(ConfidentialityRelease.location_id).where(
        ConfidentialityRelease.organisation_id == organisation.id,
        ConfidentialityRelease.status == "pending",
    )
    return set(db.session.scalars(stmt))


def pending_releases() -> list[ConfidentialityRelease]:
    """Every release awaiting approval, oldest first."""
    stmt = (
        select(ConfidentialityRelease)
        .where(ConfidentialityRelease.status == "pending")
        .options(
            selectinload(ConfidentialityRelease.location).selectinload(Location.municipality),
            selectinload(ConfidentialityRelease.organisation),
            selectinload(ConfidentialityRelease.requested_by),
        )
        .order_by(ConfidentialityRelease.requested_at)
    )
    return list(db.session.scalars(stmt))


def recent_decisions(limit: int = 20) -> list[ConfidentialityRelease]:
    stmt = (
        select(ConfidentialityRelease)
        .where(ConfidentialityRelease.status != "pending")
        .order_by(ConfidentialityRelease.decided_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
