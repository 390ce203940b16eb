"""Changes to listings: create, update (with optimistic locking), archive, restore, revert,
confirm. Every change is audited; functions flush and never commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.orm.exc import StaleDataError

from directory import geo
from directory.accounts.models import User
from directory.audit import operations as audit
from directory.audit.models import AuditEntry
from directory.confidentiality import operations as confidentiality
from directory.db import utcnow
from directory.expertise.models import Expert, ExpertiseOffer
from directory.extensions import db
from directory.organisations.models import (
    Contact,
    Location,
    Organisation,
    Phone,
    Service,
    ServiceLanguage,
    ServiceMode,
)
from directory.reference.models import Population, Region, Sector

logger = logging.getLogger(__name__)

Record = Organisation | Service | Location | Contact | Phone | ExpertiseOffer | Expert
R = TypeVar("R", bound=Record)


def get_record(model: type[R], key: object) -> R | None:
    """`db.session.get`, typed for a model known only as one of the `Record` kinds."""
    return db.session.get(model, key)


ENTITIES: dict[str, type[Record]] = {
    "organisation": Organisation,
    "service": Service,
    "location": Location,
    "contact": Contact,
    "phone": Phone,
    "expertise_offer": ExpertiseOffer,
    "expert": Expert,
}
# Editable fields per entity, in the order they are applied (a site's region before its
# municipality, which is looked up in that region).
FIELDS: dict[str, tuple[str, ...]] = {
    "organisation": ("name", "alternate_name", "description", "type", "email", "website"),
    "service": (
        "name", "alternate_name", "description", "eligibility", "how_to_refer", "hours", "fees",
        "email", "url", "status", "sectors", "populations", "areas", "languages", "modes",
    ),
    "location": ("name", "region_code", "municipality", "address", "postal_code", "confidential"),
    "contact": ("name", "title", "email", "phone"),
    "phone": ("number", "extension", "type", "description", "hours"),
    "expertise_offer": (
        "sectors", "regions", "joins_remotely", "languages", "invitations_per_90_days", "notes",
    ),
    "expert": ("name", "title", "email", "phone", "sectors"),
}  # fmt: skip
REFERENCES: dict[str, type[Sector | Population | Region]] = {
    "sectors": Sector,
    "populations": Population,
    "areas": Region,
    "regions": Region,
}


class ConflictError(Exception):
    """The record changed since the form was loaded; `current` holds its values now."""

    def __init__(self, current: dict[str, Any] | None = None) -> None:
        super().__init__("stale version")
        self.current = current


def entity_of(item: Record) -> str:
    return next(name for name, model in ENTITIES.items() if isinstance(item, model))


def _read(item: Record, field: str) -> Any:  # noqa: ANN401 - any column's value
    if field == "municipality" and isinstance(item, Location):
        return item.municipality.name if item.municipality else None
    if isinstance(item, ExpertiseOffer) and field == "languages":
        return sorted(item.language_codes)
    if isinstance(item, Service) and field == "modes":
        return sorted(item.mode_codes)
    value = getattr(item, field)
    if isinstance(value, list):
        return sorted(element.code for element in value)
    return value


def values(item: Record) -> dict[str, Any]:
    """The editable fields of `item`, JSON-friendly (collections as sorted lists of codes)."""
    return {field: _read(item, field) for field in FIELDS[entity_of(item)]}


def _write(item: Record, field: str, value: Any) -> None:  # noqa: ANN401 - any column's value
    if isinstance(item, Location) and field == "municipality":
        places = geo.find_municipalities(value, region_code=item.region_code) if value else []
        item.municipality = places[0] if places else None
    elif isinstance(item, ExpertiseOffer) and field == "languages":
        item.languages = ",".join(value)
    elif isinstance(item, Service) and field == "languages":
        # Keep the rows whose code stays: a new row with the same key would clash on flush.
        kept = {row.code: row for row in item.languages}
        item.languages = [kept.get(code) or ServiceLanguage(code=code) for code in value]
    elif isinstance(item, Service) and field == "modes":
        kept_modes = {row.mode: row for row in item.modes}
        item.modes = [kept_modes.get(code) or ServiceMode(mode=code) for code in value]
    elif field in REFERENCES:
        model = REFERENCES[field]
        setattr(item, field, [db.session.get(model, code) for code in value])
    else:
        setattr(item, field, value)


def _makes_public(item: Record, data: Mapping[str, Any]) -> bool:
    """Would `data` make a confidential site public? That needs a second person."""
    return isinstance(item, Location) and item.confidential and data.get("confidential") is False


def _apply(user: User, item: Record, data: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Write `data` into `item`; the changes as `{field: [before, after]}`.

    Unticking a site's "confidential address" is not written: it becomes a request that an
    administrator other than `user` approves (directory.confidentiality); until then the
    site stays confidential.
    """
    before = values(item)
    if _makes_public(item, data):
        data = {field: value for field, value in data.items() if field != "confidential"}
        confidentiality.request_release(user, item)  # type: ignore[arg-type]
    for field in FIELDS[entity_of(item)]:
        if field in data:
            _write(item, field, data[field])
    changes = audit.diff(before, values(item))
    if changes and hasattr(item, "updated_at"):
        # Collections live in other tables: touching the row makes its version move too.
        item.updated_at = utcnow()
    return changes


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        # Someone else's write landed between our read and our write.
        raise ConflictError from error


def _organisation_id(item: Record) -> Any:  # noqa: ANN401 - a UUID
    return item.id if isinstance(item, Organisation) else item.organisation_id


def _audit(user: User, item: Record, action: str, changes: dict[str, Any]) -> None:
    """Record `action` on `item` (of its organisation) with the fields' [before, after]."""
    audit.record(
        user,
        _organisation_id(item),
        entity=entity_of(item),
        entity_id=item.id,
        action=action,
        changes=changes,
    )


def update(user: User, item: Record, data: Mapping[str, Any], *, version: int | None) -> Record:
    """Apply validated `data` to `item` if `version` is still its version, and audit it.

    Raises ConflictError (with the current values) when the record changed meanwhile.
    """
    if version != item.version:
        raise ConflictError(values(item))
    changes = _apply(user, item, data)
    if changes:
        _flush()
        _audit(user, item, "update", changes)
    return item


def create(user: User, organisation: Organisation, entity: str, data: Mapping[str, Any]) -> Record:
    """A new service, site, contact, phone, expertise offer or expert of `organisation`."""
    item = ENTITIES[entity](organisation_id=organisation.id)
    if isinstance(item, Location):
        item.position = len(organisation.locations)
    if isinstance(item, ExpertiseOffer):
        item.languages = ""
    db.session.add(item)
    for field in FIELDS[entity]:
        if field in data:
            _write(item, field, data[field])
    changes = {field: [None, value] for field, value in values(item).items() if value}
    _flush()
    audit.record(
        user, organisation.id, entity=entity, entity_id=item.id, action="create", changes=changes
    )
    return item


def archive(user: User, item: Record) -> None:
    """Soft-delete `item`: out of public pages, API and search, restorable by an admin."""
    item.archived_at = utcnow()  # type: ignore[union-attr]
    changes = {"archived_at": [None, item.archived_at.isoformat()]}  # type: ignore[union-attr]
    _flush()
    _audit(user, item, "archive", changes)


def restore(user: User, item: Record) -> None:
    """Bring an archived record back (admins only: the view checks)."""
    before = item.archived_at.isoformat() if item.archived_at else None  # type: ignore[union-attr]
    item.archived_at = None  # type: ignore[union-attr]
    _flush()
    _audit(user, item, "restore", {"archived_at": [before, None]})


def revert(user: User, entry: AuditEntry) -> AuditEntry:
    """Put an update's "before" values back, audited as `revert`.

    Raises ConflictError when any of those fields changed since, or the entry was reverted.
    """
    item = get_record(ENTITIES[entry.entity], uuid.UUID(entry.entity_id))
    if item is None or entry.action != "update" or entry.reverted_by_id is not None:
        raise ConflictError
    current = values(item)
    if any(current.get(field) != after for field, (_before, after) in entry.changes.items()):
        raise ConflictError(current)
    changes = _apply(
        user, item, {field: before for field, (before, _after) in entry.changes.items()}
    )
    _flush()
    undo = audit.record(
        user,
        entry.organisation_id,
        entity=entry.entity,
        entity_id=entry.entity_id,
        action="revert",
        changes=changes,
        reverts_id=entry.id,
    )
    db.session.expire(entry, ["reverted_by"])  # the update now has its revert
    return undo


def confirm(user: User, organisation: Organisation) -> None:
    """The organisation confirms its listing is accurate ("Confirmer l'exactitude")."""
    before = {
        "verification_status": organisation.verification_status,
        "last_verified_at": _iso(organisation.last_verified_at),
        "last_verified_by": organisation.last_verified_by,
    }
    organisation.verification_status = "verified"
    organisation.last_verified_at = utcnow()
    organisation.last_verified_by = user.name or user.email
    after = {
        "verification_status": "verified",
        "last_verified_at": _iso(organisation.last_verified_at),
        "last_verified_by": organisation.last_verified_by,
    }
    _flush()
    audit.record(
        user,
        organisation.id,
        entity="organisation",
        entity_id=organisation.id,
        action="verify",
        changes=audit.diff(before, after),
    )


def _iso(moment: Any) -> str | None:  # noqa: ANN401 - a datetime or None
    return moment.isoformat() if moment else None
