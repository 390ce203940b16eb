"""Versioned, audited edits of listing records: the one mechanism every domain uses.

A record type takes part by mixing in `Editable` and declaring what it is:

- `audit_entity`: its name in the audit trail (`record_type` finds the type back by it);
- `editable_fields`: the fields people edit, in the order they are applied (a site's region
  before its municipality, which is looked up in that region); the edit forms use the same
  tuple;
- `owner_id`: the organisation whose listing it is part of;
- `edit_value` / `set_edit_value`: only where a field is not a plain column or a list of
  reference rows (`Editable` reads and writes those); `prepare_new` where a new record
  needs something set first (a site's position).

Domains that must have a say in an edit register a hold (`add_hold`) instead of being
called from here: the confidentiality domain turns the unticking of a site's "confidential
address" into a request for a second person. Functions flush and never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Protocol, TypeVar

from sqlalchemy.orm import class_mapper
from sqlalchemy.orm.exc import StaleDataError

from directory.audit import operations as audit
from directory.audit.models import AuditEntry
from directory.audit.operations import Actor
from directory.db import utcnow
from directory.extensions import db

RowT = TypeVar("RowT")


class Record(Protocol):
    """A record edited through this module (see `Editable`)."""

    audit_entity: ClassVar[str]
    editable_fields: ClassVar[tuple[str, ...]]

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def version(self) -> int: ...

    @property
    def owner_id(self) -> uuid.UUID: ...

    def edit_value(self, field: str) -> Any: ...  # noqa: ANN401 - any column's value

    def set_edit_value(self, field: str, value: Any) -> None: ...  # noqa: ANN401

    def prepare_new(self) -> None: ...


def child_rows(
    rows: Iterable[RowT], codes: Iterable[str], model: type[RowT], column: str
) -> list[RowT]:
    """Child rows of `model` for `codes` (held in `column`), keeping the rows whose code stays:
    a new row with the same key as an existing one would clash on flush."""
    kept = {getattr(row, column): row for row in rows}
    return [kept.get(code) or model(**{column: code}) for code in codes]


class Editable:
    """Mixin of the record types edited through this module (declarations: module docstring)."""

    audit_entity: ClassVar[str]
    editable_fields: ClassVar[tuple[str, ...]]

    def edit_value(self, field: str) -> Any:  # noqa: ANN401 - any column's value
        """`field` as the forms and the audit trail see it (lists as sorted codes)."""
        value = getattr(self, field)
        if isinstance(value, list):
            return sorted(element.code for element in value)
        return value

    def set_edit_value(self, field: str, value: Any) -> None:  # noqa: ANN401 - any value
        """Write `field`; a list of reference rows is given as their codes."""
        relationship = class_mapper(type(self)).relationships.get(field)
        if relationship is not None and relationship.uselist:
            model = relationship.mapper.class_
            setattr(self, field, [db.session.get(model, code) for code in value])
        else:
            setattr(self, field, value)

    def prepare_new(self) -> None:
        """Set what a new record needs before its fields are written (a hook)."""


Hold = Callable[[Actor, Record, Mapping[str, Any]], Mapping[str, Any]]
_HOLDS: dict[str, list[Hold]] = {}


def add_hold(entity: str, hold: Hold) -> None:
    """Let `hold` see (and withhold parts of) the data of every update of `entity` (once)."""
    holds = _HOLDS.setdefault(entity, [])
    if hold not in holds:
        holds.append(hold)


class ConflictError(Exception):
    """The record changed since the form was loaded; `current` holds its values now."""

    def __init__(self, current: dict[str, Any] | None = None) -> None:
        super().__init__("stale version")
        self.current = current


def _record_types(base: type = Editable) -> Iterator[type]:
    for subclass in base.__subclasses__():
        yield subclass
        yield from _record_types(subclass)


def record_type(entity: str) -> type[Record]:
    """The record type named `entity` in the audit trail (KeyError if there is none)."""
    for model in _record_types():
        if getattr(model, "audit_entity", None) == entity:
            found: type[Record] = model
            return found
    raise KeyError(entity)


def organisation_id_of(item: Record) -> uuid.UUID:
    """The organisation whose listing `item` is part of (the organisation itself for one)."""
    return item.owner_id


def values(item: Record) -> dict[str, Any]:
    """The editable fields of `item`, JSON-friendly (collections as sorted lists of codes)."""
    return {field: item.edit_value(field) for field in item.editable_fields}


def _apply(user: Actor, item: Record, data: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Write `data` (less what a hold withholds) into `item`; the changes as
    `{field: [before, after]}`."""
    before = values(item)
    for hold in _HOLDS.get(item.audit_entity, ()):
        data = hold(user, item, data)
    for field in item.editable_fields:
        if field in data:
            item.set_edit_value(field, data[field])
    changes = audit.diff(before, values(item))
    if changes and hasattr(item, "updated_at"):
        # Collections live in other tables: touching the row makes its version move too.
        setattr(item, "updated_at", utcnow())  # noqa: B010 - not every record type has it
    return changes


def flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        # Someone else's write landed between our read and our write.
        raise ConflictError from error


def record(user: Actor | None, item: Record, action: str, changes: dict[str, Any]) -> AuditEntry:
    """Audit `action` on `item` (of its organisation) with the fields' [before, after]."""
    return audit.record(
        user,
        organisation_id_of(item),
        entity=item.audit_entity,
        entity_id=item.id,
        action=action,
        changes=changes,
    )


def update(user: Actor, item: Record, data: Mapping[str, Any], *, version: int | None) -> Record:
    """Apply validated `data` to `item` if `version` is still its version, and audit it.

    Raises ConflictError (with the current values) when the record changed meanwhile.
    """
    if version != item.version:
        raise ConflictError(values(item))
    changes = _apply(user, item, data)
    if changes:
        flush()
        record(user, item, "update", changes)
    return item


def create(
    user: Actor, model: type[Record], organisation_id: uuid.UUID, data: Mapping[str, Any]
) -> Record:
    """A new record of `model` (a service, site, contact, phone, expertise offer or expert)
    in the listing of the organisation `organisation_id`."""
    item = model(organisation_id=organisation_id)  # type: ignore[call-arg]
    item.prepare_new()
    db.session.add(item)
    for field in item.editable_fields:
        if field in data:
            item.set_edit_value(field, data[field])
    changes = {field: [None, value] for field, value in values(item).items() if value}
    flush()
    record(user, item, "create", changes)
    return item


def archive(user: Actor, item: Record) -> None:
    """Soft-delete `item`: out of public pages, API and search, restorable by an admin."""
    archived_at = utcnow()
    setattr(item, "archived_at", archived_at)  # noqa: B010 - every archivable record has it
    flush()
    record(user, item, "archive", {"archived_at": [None, archived_at.isoformat()]})


def restore(user: Actor, item: Record) -> None:
    """Bring an archived record back (admins only: the view checks)."""
    before = audit.iso(getattr(item, "archived_at", None))
    setattr(item, "archived_at", None)  # noqa: B010 - every archivable record has it
    flush()
    record(user, item, "restore", {"archived_at": [before, None]})


def revert(user: Actor, entry: AuditEntry) -> AuditEntry:
    """Put an update's "before" values back, audited as `revert`.

    Raises ConflictError when any of those fields changed since, or the entry was reverted.
    """
    item = db.session.get(record_type(entry.entity), uuid.UUID(entry.entity_id))
    if item is None or entry.action != "update" or entry.reverted_by_id is not None:
        raise ConflictError
    current = values(item)
    if any(current.get(field) != after for field, (_before, after) in entry.changes.items()):
        raise ConflictError(current)
    changes = _apply(
        user, item, {field: before for field, (before, _after) in entry.changes.items()}
    )
    flush()
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
