"""`/api/v1/meetings`: plan a meeting with its schedule, send the invitations, replace a seat
that declined, cancel, plan the follow-up (facilitators and admins; another facilitator's
meeting is a 404)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, url_for
from flask.wrappers import Response
from flask_babel import gettext as _

from directory.accounts.auth import require_user, roles_required
from directory.api.views import case_form
from directory.core import json_body
from directory.core.errors import ApiError
from directory.meetings import (
    as_json,
    held,
    notifications,
    operations,
    queries,
    record,
    replacement,
    schedule,
)
from directory.meetings.models import REPLY_REASONS, Meeting
from directory.meetings.proposal import UnknownCandidateError, propose

bp = Blueprint("meetings_api", __name__, url_prefix="/api/v1/meetings")
ROLES = ("facilitator", "admin")
PLAN_FIELDS = frozenset(
    {
        "case",
        "panel",
        "starts_at",
        "duration_minutes",
        "mode",
        "location",
        "video_url",
        "bridge_number",
        "consents_attested",
        "consents_signed_on",
    }
)
CASE_MODES = {"in_person": "in_person", "video": "remote", "phone": "remote"}


def _meeting(meeting_id: uuid.UUID) -> Meeting:
    found = queries.visible_meeting(require_user(), meeting_id)
    if found is None:
        raise ApiError(_("Rencontre introuvable."), status=404)
    return found


def _answer(meeting: Meeting, status: int = 200) -> tuple[Response, int]:
    body = as_json.meeting(meeting, replacement.proposals(meeting))
    response = jsonify(body)
    if status == 201:  # noqa: PLR2004 - created
        response.headers["Location"] = url_for("meetings_api.get_meeting", meeting_id=meeting.id)
    return response, status


def _only(body: dict[str, Any], allowed: set[str] | frozenset[str]) -> dict[str, Any]:
    for key in body:
        if key not in allowed:
            raise ApiError(_("Champ inconnu."), parameter=key)
    return body


def _version(body: dict[str, Any]) -> int | None:
    value = body.get("version")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ApiError(_("Valeur invalide."), parameter="version")
    return value


def _schedule(body: dict[str, Any], starts_at: object) -> schedule.Schedule:
    try:
        moment = schedule.parse_starts_at(starts_at)
        return schedule.validate(body, starts_at=moment)
    except schedule.ScheduleError as error:
        raise ApiError(error.message, parameter=error.field) from error


def _panel_ids(panel: object) -> list[str]:
    """The candidate ids of the confirmed panel (the engine's ids: expert id or org:<id>)."""
    if not isinstance(panel, list) or not panel:
        raise ApiError(_("Le panel doit être une liste non vide de membres."), parameter="panel")
    ids = []
    for member in panel:
        if not isinstance(member, dict) or set(member) - {"organization_id", "expert_id"}:
            raise ApiError(_("Membre du panel invalide."), parameter="panel")
        organization_id, expert_id = member.get("organization_id"), member.get("expert_id")
        try:
            uuid.UUID(str(organization_id))
            if expert_id is not None:
                uuid.UUID(str(expert_id))
        except ValueError as error:
            raise ApiError(_("Identifiant invalide dans le panel."), parameter="panel") from error
        ids.append(str(expert_id) if expert_id else f"org:{organization_id}")
    if len(set(ids)) != len(ids):
        raise ApiError(_("Un membre figure deux fois dans le panel."), parameter="panel")
    return ids


def _case_body(body: dict[str, Any]) -> dict[str, Any]:
    case = body.get("case")
    if not isinstance(case, dict):
        raise ApiError(_("Le cas doit être un objet (corps de /api/v1/match)."), parameter="case")
    case = dict(case)
    if not isinstance(body.get("consents_attested", False), bool):
        raise ApiError(_("Valeur invalide."), parameter="consents_attested")
    if body.get("consents_attested") and "consents_attested" not in case:
        case["consents_attested"] = True
    mode = body.get("mode")
    if "mode" not in case and isinstance(mode, str) and mode in CASE_MODES:
        case["mode"] = CASE_MODES[mode]
    return case


@bp.post("")
@roles_required(*ROLES)
def create_meeting() -> tuple[Response, int]:
    """Plan a meeting: the case, the confirmed panel and the schedule."""
    body = _only(json_body.read_object(), PLAN_FIELDS)
    case = _case_body(body)
    try:
        form = case_form(case)
    except ApiError as error:
        # A field of the case is named inside it (« case.region »); the consents are attested
        # at the top level of this body.
        if error.parameter != "consents_attested":
            error.parameter = f"case.{error.parameter}"
        raise
    ids = _panel_ids(body.get("panel"))
    planned = _schedule(body, body.get("starts_at"))
    try:
        signed_on = schedule.consents_date(body.get("consents_signed_on"))
    except schedule.ScheduleError as error:
        raise ApiError(error.message, parameter=error.field) from error
    try:
        found = propose(form.case_request(pinned=frozenset(ids)))
    except UnknownCandidateError as error:
        raise ApiError(
            _("Un membre du panel n'est pas (ou plus) admissible pour ce cas."), parameter="panel"
        ) from error
    if found.result.referral:
        raise ApiError(
            _("Risque imminent : orientez vers la cellule d'intervention rapide."), parameter="case"
        )
    members = [member for member in found.result.panel if member.candidate.id in set(ids)]
    if len(members) != len(ids):
        raise ApiError(_("Ce panel dépasse ce que la rencontre permet."), parameter="panel")
    members.sort(key=lambda member: ids.index(member.candidate.id))
    meeting = operations.plan(
        require_user(),
        form.case_request(),
        found.result,
        schedule=planned,
        consents_signed_on=signed_on,
        members=members,
    )
    return _answer(meeting, 201)


@bp.get("/<uuid:meeting_id>")
@roles_required(*ROLES)
def get_meeting(meeting_id: uuid.UUID) -> tuple[Response, int]:
    return _answer(_meeting(meeting_id))


def _open(meeting: Meeting) -> None:
    if meeting.closed:
        raise ApiError(_("Cette rencontre est close (tenue ou annulée)."), status=409)


def _conflict() -> ApiError:
    return ApiError(_("Cette rencontre a été modifiée entre-temps : rechargez-la."), status=409)


def _write(
    meeting: Meeting, write: Callable[[], list[operations.Outgoing]]
) -> tuple[Response, int]:
    """Run `write` (409 on a stale version), commit, send its messages, answer the meeting."""
    try:
        outgoing = write()
    except operations.ConflictError as error:
        raise _conflict() from error
    notifications.commit_and_send(outgoing)
    return _answer(meeting)


@bp.patch("/<uuid:meeting_id>")
@roles_required(*ROLES)
def update_meeting(meeting_id: uuid.UUID) -> tuple[Response, int]:
    """Change the date, length, mode or place (`version` required); the invitees get an
    updated invitation (SEQUENCE + 1)."""
    meeting = _meeting(meeting_id)
    body = _only(
        json_body.read_object(),
        {
            "version",
            "starts_at",
            "duration_minutes",
            "mode",
            "location",
            "video_url",
            "bridge_number",
        },
    )
    if body.get("version") is None:
        raise ApiError(_("La version de la rencontre est obligatoire."), parameter="version")
    _open(meeting)
    current = {
        "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "duration_minutes": meeting.duration_minutes,
        "mode": meeting.schedule_mode,
        "location": meeting.location,
        "video_url": meeting.video_url,
        "bridge_number": meeting.bridge_number,
    }
    merged = {**current, **body}
    planned = _schedule(merged, merged.get("starts_at"))
    version = _version(body)
    return _write(
        meeting, lambda: operations.reschedule(require_user(), meeting, planned, version=version)
    )


@bp.post("/<uuid:meeting_id>/invitations")
@roles_required(*ROLES)
def send_invitations(meeting_id: uuid.UUID) -> tuple[Response, int]:
    """Send the invitations not sent yet (members without e-mail: « à joindre par téléphone »)."""
    meeting = _meeting(meeting_id)
    body = _only(json_body.read_object(), {"version"})
    _open(meeting)
    if not meeting.scheduled:
        raise ApiError(
            _("Fixez d'abord la date, la durée et le mode de la rencontre."), parameter="starts_at"
        )
    version = _version(body)
    return _write(
        meeting, lambda: operations.send_invitations(require_user(), meeting, version=version)
    )


@bp.post("/<uuid:meeting_id>/replace")
@roles_required(*ROLES)
def replace_invitation(meeting_id: uuid.UUID) -> tuple[Response, int]:
    """Give a declined seat to the engine's replacement and invite it."""
    meeting = _meeting(meeting_id)
    body = _only(json_body.read_object(), {"invitation_id", "version"})
    _open(meeting)
    try:
        found = replacement.resolve(meeting, body.get("invitation_id"))
    except replacement.ReplaceError as error:
        raise ApiError(error.message, parameter="invitation_id") from error
    version = _version(body)
    return _write(
        meeting,
        lambda: operations.replace_seat(
            require_user(), meeting, found.declined, found.member, version=version
        ),
    )


@bp.post("/<uuid:meeting_id>/cancel")
@roles_required(*ROLES)
def cancel_meeting(meeting_id: uuid.UUID) -> tuple[Response, int]:
    meeting = _meeting(meeting_id)
    body = _only(json_body.read_object(), {"version"})
    _open(meeting)
    version = _version(body)
    return _write(meeting, lambda: operations.cancel(require_user(), meeting, version=version))


@bp.post("/<uuid:meeting_id>/follow-up")
@roles_required(*ROLES)
def plan_follow_up(meeting_id: uuid.UUID) -> tuple[Response, int]:
    """Plan the follow-up of a first meeting: same members and way of meeting, at `starts_at`
    (6 weeks after the first meeting by default)."""
    meeting = _meeting(meeting_id)
    body = _only(json_body.read_object(), {"starts_at", "version"})
    if not meeting.can_have_follow_up:
        raise ApiError(_("Seule une première rencontre non annulée a un suivi."), status=409)
    starts_at = body.get("starts_at")
    if starts_at is None and meeting.starts_at is not None:
        starts_at = (meeting.starts_at + schedule.FOLLOW_UP_DELAY).isoformat()
    values = {
        "duration_minutes": meeting.duration_minutes or schedule.DEFAULT_DURATION,
        "mode": meeting.schedule_mode,
        "location": meeting.location,
        "video_url": meeting.video_url,
        "bridge_number": meeting.bridge_number,
    }
    planned = _schedule(values, starts_at)
    try:
        follow_up = held.plan_follow_up(require_user(), meeting, planned, version=_version(body))
    except operations.ConflictError as error:
        raise _conflict() from error
    return _answer(follow_up, 201)


@bp.post("/<uuid:meeting_id>/invitations/<uuid:invitation_id>/reply")
@roles_required(*ROLES)
def record_reply(meeting_id: uuid.UUID, invitation_id: uuid.UUID) -> tuple[Response, int]:
    """Record an answer given by phone: `{"status": "accepted"|"declined", "reason"}`."""
    meeting = _meeting(meeting_id)
    body = _only(json_body.read_object(), {"status", "reason", "version"})
    _open(meeting)
    invitation = next((item for item in meeting.seats if item.id == invitation_id), None)
    if invitation is None:
        raise ApiError(_("Invitation inconnue."), status=404)
    status, reason = body.get("status"), body.get("reason")
    if status not in ("accepted", "declined"):
        raise ApiError(_("Réponse attendue : accepted ou declined."), parameter="status")
    if reason is not None and (status != "declined" or reason not in REPLY_REASONS):
        raise ApiError(_("Raison inconnue."), parameter="reason")
    version = _version(body)

    def write() -> list[operations.Outgoing]:
        operations.record_reply(
            require_user(),
            meeting,
            invitation,
            accept=status == "accepted",
            reason=reason,
            version=version,
        )
        return []

    return _write(meeting, write)


@bp.post("/<uuid:meeting_id>/record")
@roles_required(*ROLES)
def record_meeting(meeting_id: uuid.UUID) -> tuple[Response, int]:
    """Record the held meeting: attendance, action paths, gaps (and for a follow-up, the
    previous action paths' statuses); the attendees get their evaluation questionnaire."""
    meeting = _meeting(meeting_id)
    body = _only(
        json_body.read_object(), {"attendance", "actions", "gaps", "previous_actions", "version"}
    )
    if not record.recordable(meeting):
        raise ApiError(
            _("Seule une rencontre planifiée dont la date est passée s'enregistre comme tenue."),
            status=409,
        )
    try:
        hold_record = record.validate(meeting, body)
    except record.RecordError as error:
        raise ApiError(error.message, parameter=error.field) from error
    try:
        issued = held.record_hold(require_user(), meeting, hold_record, version=_version(body))
    except operations.ConflictError as error:
        raise _conflict() from error
    notifications.commit_and_send_questionnaires(issued)
    return _answer(meeting)
