"""Which suggestions a signed-in person may see."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from directory.accounts.models import User
from directory.corrections.models import CorrectionSuggestion
from directory.extensions import db
from directory.organisations.models import Organisation


def open_suggestions(user: User) -> list[CorrectionSuggestion]:
    """Open suggestions: all for an admin; for an editor, their organisations and sub-programs."""
    stmt = (
        select(CorrectionSuggestion)
        .join(Organisation, Organisation.id == CorrectionSuggestion.organisation_id)
        .where(CorrectionSuggestion.status == "open")
        .options(selectinload(CorrectionSuggestion.organisation))
        .order_by(CorrectionSuggestion.created_at.desc())
    )
    if not user.is_admin:
        own = [organisation.id for organisation in user.organisations]
        stmt = stmt.where(or_(Organisation.id.in_(own), Organisation.parent_id.in_(own)))
    return list(db.session.scalars(stmt))
