"""Reading an organisation's expertise offer and experts."""

from __future__ import annotations

from sqlalchemy import select

from directory.expertise.models import Expert, ExpertiseOffer
from directory.extensions import db
from directory.organisations.models import Organisation


def offer_for(organisation: Organisation) -> ExpertiseOffer | None:
    return db.session.scalars(
        select(ExpertiseOffer).where(ExpertiseOffer.organisation_id == organisation.id)
    ).first()


def experts_for(organisation: Organisation, *, archived: bool = False) -> list[Expert]:
    """Its live experts, or its archived ones."""
    state = Expert.archived_at.is_not(None) if archived else Expert.archived_at.is_(None)
    stmt = (
        select(Expert).where(Expert.organisation_id == organisation.id, state).order_by(Expert.name)
    )
    return list(db.session.scalars(stmt))
