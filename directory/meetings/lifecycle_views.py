"""/concertations/<id>/…: carry a planned meeting through — schedule, invitations, answers
by phone, replacements, cancellation, the record of the held meeting, the follow-up, the .ics
file and the printable agenda. Facilitators and admins; another facilitator's meeting is a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from directory.accounts.auth import require_user, roles_required
from directory.extensions import db
from directory.meetings import calendar, held, labels, notifications, operations, queries, record
from directory.meetings import replacement as replacements
from directory.meetings.forms import MODE_LABELS, TYPE_LABELS
from directory.meetings.models import GAP_CAUSES, REPLY_REASONS, Meeting
from directory.meetings.schedule import FOLLOW_UP_DELAY, local
from directory.meetings.schedule_form import ScheduleForm
from directory.organisations import queries as organisation_queries

bp = Blueprint("meeting_lifecycle", __name__, url_prefix="/concertations")
bp.context_processor(labels.context)
ROLES = ("facilitator", "admin")


@bp.context_processor
def _case_labels() -> dict[str, object]:
    return {
        "meeting_type_label": lambda code: str(TYPE_LABELS.get(code, code)),
        "meeting_mode_label": lambda code: str(MODE_LABELS.get(code, code)),
    }


def _meeting(meeting_id: uuid.UUID) -> Meeting:
    found = queries.visible_meeting(require_user(), meeting_id)
    if found is None:
        abort(404)
    return found


def _back(meeting: Meeting) -> ResponseReturnValue:
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))


def _posted_version() -> int | None:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return None


def _conflict(meeting: Meeting) -> ResponseReturnValue:
    db.session.rollback()
    flash(_("Cette rencontre a été modifiée entre-temps : voici son état actuel."), "error")
    current = queries.visible_meeting(require_user(), meeting.id)
    return render_meeting(current or meeting), 409


def _write(
    meeting: Meeting, write: Callable[[], list[operations.Outgoing]], done: str
) -> ResponseReturnValue:
    """Run `write` (a stale version: back to the page), commit, send, say what happened."""
    try:
        outgoing = write()
    except operations.ConflictError:
        return _conflict(meeting)
    failed = notifications.commit_and_send(outgoing)
    flash(done, "success")
    if failed:
        flash(
            ngettext(
                "%(num)s courriel n'a pas pu partir : réessayez « Envoyer les invitations ».",
                "%(num)s courriels n'ont pas pu partir : réessayez « Envoyer les invitations ».",
                len(failed),
            ),
            "error",
        )
    return _back(meeting)


@bp.post("/<uuid:meeting_id>/horaire")
@roles_required(*ROLES)
def set_schedule(meeting_id: uuid.UUID) -> ResponseReturnValue:
    meeting = _meeting(meeting_id)
    if meeting.closed:
        abort(409)
    form = ScheduleForm()
    planned = form.schedule()
    if planned is None:
        return render_meeting(meeting, schedule_form=form), 400
    return _write(
        meeting,
        lambda: operations.reschedule(
            require_user(), meeting, planned, version=form.version_number()
        ),
        _("Horaire enregistré."),
    )


@bp.post("/<uuid:meeting_id>/invitations")
@roles_required(*ROLES)
def send_invitations(meeting_id: uuid.UUID) -> ResponseReturnValue:
    meeting = _meeting(meeting_id)
    if meeting.closed:
        abort(409)
    if not meeting.scheduled:
        flash(_("Fixez d'abord la date, la durée et le mode de la rencontre."), "error")
        return _back(meeting)
    return _write(
        meeting,
        lambda: operations.send_invitations(require_user(), meeting, version=_posted_version()),
        _("Invitations envoyées."),
    )


@bp.post("/<uuid:meeting_id>/invitations/<uuid:invitation_id>/reponse")
@roles_required(*ROLES)
def record_reply(meeting_id: uuid.UUID, invitation_id: uuid.UUID) -> ResponseReturnValue:
    """An answer given by phone, recorded by the facilitator."""
    meeting = _meeting(meeting_id)
    invitation = next((item for item in meeting.seats if item.id == invitation_id), None)
    answer, reason = request.form.get("answer"), request.form.get("reason") or None
    if invitation is None or meeting.closed:
        abort(404 if invitation is None else 409)
    if answer not in ("accepted", "declined") or (reason and reason not in REPLY_REASONS):
        abort(400)

    def write() -> list[operations.Outgoing]:
        operations.record_reply(
            require_user(),
            meeting,
            invitation,
            accept=answer == "accepted",
            reason=reason if answer == "declined" else None,
            version=_posted_version(),
        )
        return []

    return _write(meeting, write, _("Réponse enregistrée."))


@bp.post("/<uuid:meeting_id>/remplacer")
@roles_required(*ROLES)
def replace_invitation(meeting_id: uuid.UUID) -> ResponseReturnValue:
    meeting = _meeting(meeting_id)
    if meeting.closed:
        abort(409)
    try:
        found = replacements.resolve(meeting, request.form.get("invitation_id"))
    except replacements.ReplaceError as error:
        flash(error.message, "error")
        return render_meeting(meeting), 400
    return _write(
        meeting,
        lambda: operations.replace_seat(
            require_user(), meeting, found.declined, found.member, version=_posted_version()
        ),
        _("Remplaçant invité."),
    )


@bp.post("/<uuid:meeting_id>/annuler")
@roles_required(*ROLES)
def cancel_meeting(meeting_id: uuid.UUID) -> ResponseReturnValue:
    meeting = _meeting(meeting_id)
    if meeting.closed:
        abort(409)
    return _write(
        meeting,
        lambda: operations.cancel(require_user(), meeting, version=_posted_version()),
        _("Rencontre annulée; les invités en sont avisés."),
    )


@bp.post("/<uuid:meeting_id>/suivi")
@roles_required(*ROLES)
def plan_follow_up(meeting_id: uuid.UUID) -> ResponseReturnValue:
    """The follow-up: same members and way of meeting, at the date chosen (6 weeks later by
    default)."""
    meeting = _meeting(meeting_id)
    if not meeting.can_have_follow_up:
        abort(409)
    form = ScheduleForm()
    planned = form.follow_up_of(meeting)
    if planned is None:
        return render_meeting(meeting, follow_up_form=form), 400
    try:
        follow_up = held.plan_follow_up(require_user(), meeting, planned)
    except operations.ConflictError:
        return _conflict(meeting)
    flash(_("Rencontre de suivi planifiée : envoyez-en les invitations."), "success")
    return redirect(url_for("meetings.meeting", meeting_id=follow_up.id))


@bp.get("/<uuid:meeting_id>/invitation.ics")
@roles_required(*ROLES)
def download_calendar(meeting_id: uuid.UUID) -> ResponseReturnValue:
    meeting = _meeting(meeting_id)
    if meeting.starts_at is None:
        abort(404)
    attendees = [
        (address, item) for item in meeting.seats if (address := operations.recipient(item))
    ]
    method = "CANCEL" if meeting.status == "cancelled" else "PUBLISH"
    body = calendar.build(meeting, attendees, method=method)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="rencontre-{meeting.id}.ics"'
    return response


@bp.get("/<uuid:meeting_id>/ordre-du-jour")
@roles_required(*ROLES)
def agenda(meeting_id: uuid.UUID) -> ResponseReturnValue:
    """The printable agenda: when, how, who, the previous action paths to review."""
    meeting = _meeting(meeting_id)
    return render_template("meetings/agenda.html", meeting=meeting)


@bp.route("/<uuid:meeting_id>/compte-rendu", methods=["GET", "POST"])
@roles_required(*ROLES)
def record_meeting(meeting_id: uuid.UUID) -> ResponseReturnValue:
    """Record the held meeting: attendance, action paths, gaps, previous action statuses."""
    meeting = _meeting(meeting_id)
    if not record.recordable(meeting):
        flash(
            _("Seule une rencontre planifiée dont la date est passée s'enregistre comme tenue."),
            "error",
        )
        return _back(meeting)
    if request.method == "GET":
        return render_record(meeting, record.form_values(meeting, None), error=None)
    values = record.form_values(meeting, request.form)
    try:
        hold_record = record.validate(meeting, values)
        issued = held.record_hold(require_user(), meeting, hold_record, version=_posted_version())
    except record.RecordError as error:
        return render_record(meeting, values, error=error), 400
    except operations.ConflictError:
        return _conflict(meeting)
    failed = notifications.commit_and_send_questionnaires(issued)
    flash(
        ngettext(
            "Rencontre enregistrée; %(num)s questionnaire d'évaluation envoyé.",
            "Rencontre enregistrée; %(num)s questionnaires d'évaluation envoyés.",
            len(issued) - failed,
        ),
        "success",
    )
    return _back(meeting)


def render_record(
    meeting: Meeting, values: dict[str, object], error: record.RecordError | None
) -> str:
    return render_template(
        "meetings/record.html",
        meeting=meeting,
        values=values,
        error=error,
        sectors=organisation_queries.sectors(),
        organisations=record.meeting_organisations(meeting),
        rows=record.FORM_ROWS,
        gap_causes=GAP_CAUSES,
    )


def render_meeting(
    meeting: Meeting,
    *,
    schedule_form: ScheduleForm | None = None,
    follow_up_form: ScheduleForm | None = None,
) -> str:
    """The meeting page (also after a form on it failed, with its errors)."""
    if follow_up_form is None:
        follow_up_form = ScheduleForm(formdata=None)
        base = local(meeting.starts_at)
        if base is not None:
            follow_up_form.day.data = (base + FOLLOW_UP_DELAY).date()
            follow_up_form.time.data = base.strftime("%H:%M")
    return render_template(
        "meetings/meeting.html",
        meeting=meeting,
        sectors={sector.code: sector for sector in organisation_queries.sectors()},
        schedule_form=schedule_form or ScheduleForm(formdata=None).fill(meeting),
        follow_up_form=follow_up_form,
        proposals=replacements.proposals(meeting),
        recordable=record.recordable(meeting),
        follow_up_due=meeting.round == "first" and meeting.status == "held",
        reasons=labels.REPLY_REASONS,
        one_day=timedelta(days=1),
    )
