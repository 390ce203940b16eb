"""Changes to listings that only organisations have: the confirmation of accuracy. Edits,
archiving, restoring and reverting go through `directory.audit.editing`. Functions flush and
never commit."""

from __future__ import annotations

from directory.audit import operations as audit
from directory.audit.editing import flush
from directory.audit.operations import Actor
from directory.db import utcnow
from directory.organisations.models import Organisation


def confirm(user: Actor, name: str, organisation: Organisation) -> None:
    """`user` (called `name`) confirms the listing is accurate ("Confirmer l'exactitude")."""
    before = {
        "verification_status": organisation.verification_status,
        "last_verified_at": audit.iso(organisation.last_verified_at),
        "last_verified_by": organisation.last_verified_by,
    }
    organisation.verification_status = "verified"
    organisation.last_verified_at = utcnow()
    organisation.last_verified_by = name
    after = {
        "verification_status": "verified",
        "last_verified_at": audit.iso(organisation.last_verified_at),
        "last_verified_by": organisation.last_verified_by,
    }
    flush()  # ConflictError when someone else changed the listing meanwhile
    audit.record(
        user,
        organisation.id,
        entity="organisation",
        entity_id=organisation.id,
        action="verify",
        changes=audit.diff(before, after),
    )
