"""Who may do what to which listing. Deny by default."""

from __future__ import annotations

from directory.accounts.models import User
from directory.organisations.models import Organisation


def can_edit(user: User | None, organisation: Organisation) -> bool:
    """Admins edit everything; an editor edits their organisations and their sub-programs."""
    if user is None or not user.active:
        return False
    if user.role == "admin":
        return True
    if user.role != "editor":
        return False
    own = {bound.id for bound in user.organisations}
    return organisation.id in own or (
        organisation.parent_id is not None and organisation.parent_id in own
    )


def can_see_experts(user: User | None) -> bool:
    """Expert contact details: facilitators and admins only (docs/domain.md#restricted-data)."""
    return user is not None and user.active and user.role in {"admin", "facilitator"}
