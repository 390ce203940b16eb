"""What a facilitator records once a meeting was held, checked the same way for the API and
the HTML form: who attended (per invitation), the action paths (short items, each with the
organisation responsible and a due date), the gaps found (sector + cause) and, for a follow-up,
the status of the previous meeting's action paths.

Free text is checked for identifying data before anything is stored (`core.identifying`):
phone numbers, e-mail addresses, dates of birth, health-insurance numbers, postal codes and
street addresses are refused with a message saying what was found.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from directory.core.identifying import explain, find_identifying
from directory.db import utcnow
from directory.meetings.models import ACTION_STATUSES, GAP_CAUSES, Meeting
from directory.meetings.schedule import QUEBEC
from directory.organisations import queries as organisation_queries
from directory.organisations.models import Organisation

MAX_ACTIONS = 20
MAX_GAPS = 20
MAX_ITEM = 300


class RecordError(ValueError):
    """A field of the record is invalid: `field` names it, `message` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Action:
    item: str
    organisation_id: uuid.UUID
    due_on: date | None


@dataclass(frozen=True)
class HoldRecord:
    attendance: dict[uuid.UUID, bool]
    actions: list[Action]
    gaps: list[tuple[str, str]]  # (sector code, cause)
    previous_actions: dict[uuid.UUID, str]  # action path id → status
    held_on: date


def recordable(meeting: Meeting) -> bool:
    """A meeting is recorded once its date has passed, unless cancelled or already recorded."""
    return (
        meeting.status in ("planned", "invited")
        and meeting.starts_at is not None
        and meeting.starts_at <= utcnow()
    )


def _uuid(value: object, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise RecordError(field, _("Identifiant invalide.")) from error


def _attendance(meeting: Meeting, value: object) -> dict[uuid.UUID, bool]:
    if not isinstance(value, Mapping):
        raise RecordError("attendance", _("Indiquez la présence de chaque membre invité."))
    seats = {item.id for item in meeting.seats if item.status != "declined"}
    found = {}
    for key, present in value.items():
        seat = _uuid(key, "attendance")
        if seat not in seats or not isinstance(present, bool):
            raise RecordError("attendance", _("Présence invalide pour un membre."))
        found[seat] = present
    missing = seats - set(found)
    if missing:
        raise RecordError("attendance", _("Indiquez la présence de chaque membre invité."))
    return found


def check_text(text: str, field: str) -> str:
    """`text` without surrounding spaces; RecordError when it holds identifying data."""
    cleaned = " ".join(text.split())
    findings = find_identifying(cleaned)
    if findings:
        raise RecordError(field, explain(findings))
    return cleaned


def _due_on(value: object, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError as error:
        raise RecordError(field, _("Date invalide (AAAA-MM-JJ).")) from error


def _actions(meeting: Meeting, value: object) -> list[Action]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_ACTIONS:
        raise RecordError("actions", _("Au plus %(num)s pistes d'action.", num=MAX_ACTIONS))
    allowed = {item.organisation_id for item in meeting.seats} | {
        row.organisation_id for row in meeting.on_file
    }
    found = []
    for entry in value:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("item"), str):
            raise RecordError("actions", _("Chaque piste d'action a un libellé."))
        item = check_text(entry["item"], "actions")
        if not item or len(item) > MAX_ITEM:
            raise RecordError(
                "actions", _("Une piste d'action tient en 1 à %(num)s caractères.", num=MAX_ITEM)
            )
        organisation_id = _uuid(entry.get("organization_id"), "actions")
        if organisation_id not in allowed:
            raise RecordError(
                "actions", _("L'organisme responsable doit être un organisme de la rencontre.")
            )
        found.append(Action(item, organisation_id, _due_on(entry.get("due_on"), "actions")))
    return found


def _gaps(value: object) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_GAPS:
        raise RecordError("gaps", _("Au plus %(num)s manques.", num=MAX_GAPS))
    sectors = {sector.code for sector in organisation_queries.sectors()}
    found = []
    for entry in value:
        if not isinstance(entry, Mapping):
            raise RecordError("gaps", _("Chaque manque a un secteur et une cause."))
        sector, cause = entry.get("sector"), entry.get("cause")
        if not isinstance(sector, str) or sector not in sectors:
            raise RecordError("gaps", _("Secteur inconnu : %(value)s.", value=sector))
        if cause not in GAP_CAUSES:
            raise RecordError("gaps", _("Cause inconnue : %(value)s.", value=cause))
        if (sector, cause) not in found:
            found.append((sector, cause))
    return found


def _previous_actions(meeting: Meeting, value: object) -> dict[uuid.UUID, str]:
    if value is None:
        return {}
    previous = meeting.previous_meeting
    known = {item.id for item in previous.actions} if previous else set()
    if not isinstance(value, Mapping):
        raise RecordError("previous_actions", _("Valeur invalide."))
    found = {}
    for key, status in value.items():
        action_id = _uuid(key, "previous_actions")
        if action_id not in known or status not in ACTION_STATUSES:
            raise RecordError("previous_actions", _("Statut de piste d'action invalide."))
        found[action_id] = status
    return found


def validate(meeting: Meeting, values: Mapping[str, Any]) -> HoldRecord:
    """The record in `values`; RecordError naming the first invalid field."""
    assert meeting.starts_at is not None  # noqa: S101 - checked by `recordable`
    return HoldRecord(
        attendance=_attendance(meeting, values.get("attendance")),
        actions=_actions(meeting, values.get("actions")),
        gaps=_gaps(values.get("gaps")),
        previous_actions=_previous_actions(meeting, values.get("previous_actions")),
        held_on=meeting.starts_at.astimezone(QUEBEC).date(),
    )


FORM_ROWS = 5  # empty rows for action paths and gaps on the HTML form


def meeting_organisations(meeting: Meeting) -> list[Organisation]:
    """The organisations of the meeting (members and those on the file), by name: who may be
    responsible for an action path."""
    found = {item.organisation_id: item.organisation for item in meeting.seats}
    found.update({row.organisation_id: row.organisation for row in meeting.on_file})
    return sorted(found.values(), key=lambda organisation: organisation.name_key)


def form_values(meeting: Meeting, form: Mapping[str, str] | None) -> dict[str, Any]:
    """The HTML form's fields as the API's body (`validate` checks both alike); with no form,
    the defaults: members who accepted marked present."""
    seats = [item for item in meeting.seats if item.status != "declined"]
    previous = meeting.previous_meeting.actions if meeting.previous_meeting else []
    if form is None:
        return {
            "attendance": {str(item.id): item.status == "accepted" for item in seats},
            "actions": [],
            "gaps": [],
            "previous_actions": {str(item.id): item.status for item in previous},
        }
    actions = [
        {
            "item": form.get(f"action-{row}-item", ""),
            "organization_id": form.get(f"action-{row}-organization", ""),
            "due_on": form.get(f"action-{row}-due", ""),
        }
        for row in range(MAX_ACTIONS)
    ]
    gaps = [
        {"sector": form.get(f"gap-{row}-sector", ""), "cause": form.get(f"gap-{row}-cause", "")}
        for row in range(MAX_GAPS)
    ]
    return {
        "attendance": {str(item.id): form.get(f"attendance-{item.id}") == "1" for item in seats},
        "actions": [
            entry for entry in actions if entry["item"].strip() or entry["organization_id"]
        ],
        "gaps": [entry for entry in gaps if entry["sector"] or entry["cause"]],
        "previous_actions": {
            str(item.id): form.get(f"previous-{item.id}", item.status) for item in previous
        },
    }
