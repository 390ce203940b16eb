"""/concertations: describe a case, review the proposed panel, plan the meeting."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from directory.accounts.auth import require_user, roles_required
from directory.core.params import page_number
from directory.db import utcnow
from directory.matching.types import Candidate
from directory.meetings import explain, labels, operations, queries
from directory.meetings.forms import MODE_LABELS, TYPE_LABELS, CaseForm
from directory.meetings.lifecycle_views import render_meeting
from directory.meetings.proposal import Proposal, UnknownCandidateError, propose
from directory.meetings.schedule_form import ScheduleForm
from directory.organisations import queries as organisation_queries

bp = Blueprint("meetings", __name__, url_prefix="/concertations")
ROLES = ("facilitator", "admin")
STATE_FIELDS = (
    "region",
    "municipality",
    "cooccurrences",
    "followed",
    "other_needs",
    "on_file_organization_ids",
    "exclude_organization_ids",
    "meeting_type",
    "mode",
    "language",
    "max_experts",
    "previous_meeting_id",
    "follow_up_changes_confirmed",
    "consents_attested",
    "imminent_risk",
)


BOOLEAN_FIELDS = ("follow_up_changes_confirmed", "consents_attested", "imminent_risk")
COVERAGE_LABELS = {
    "on_file": _l("sur dossier"),
    "covered": _l("couvert"),
    "covered_remote": _l("à distance"),
    "gap": _l("manque"),
}


bp.context_processor(labels.context)


@bp.context_processor
def _labels() -> dict[str, object]:
    return {
        "meeting_type_label": lambda code: str(TYPE_LABELS.get(code, code)),
        "meeting_mode_label": lambda code: str(MODE_LABELS.get(code, code)),
        "coverage_label": lambda code: str(COVERAGE_LABELS.get(str(code), code)),
    }


@bp.get("/")
@roles_required(*ROLES)
def list_meetings() -> ResponseReturnValue:
    page = page_number(request.args)
    meetings = queries.meetings_page(require_user(), page, current_app.config["PER_PAGE"])
    overview = queries.meetings_overview(require_user(), utcnow())
    return render_template("meetings/list.html", meetings=meetings, overview=overview)


@bp.get("/nouvelle")
@roles_required(*ROLES)
def new_meeting() -> ResponseReturnValue:
    return render_template("meetings/new.html", form=CaseForm(require_user()))


@bp.post("/proposition")
@roles_required(*ROLES)
def propose_panel() -> ResponseReturnValue:
    form, state = _posted_case()
    if not form.validate():
        return render_template("meetings/new.html", form=form), 400
    proposal = _proposal(form, *state)
    if proposal.result.referral:
        return render_template("meetings/referral.html", message=explain.referral())
    status = _status(proposal, request.form.get("action", ""))
    return _proposal_page(form, proposal, ScheduleForm(prefix="schedule", formdata=None), status)


def _status(proposal: Proposal, action: str) -> tuple[str, str, str] | None:
    """What a swap or an exclusion changed: (message, id of the element to focus, kind)."""
    kind, _sep, rest = action.partition("|")
    if kind == "swap":
        chosen_id, _sep, replaced_id = rest.partition("|")
        chosen, replaced = proposal.candidate(chosen_id), proposal.candidate(replaced_id)
        if chosen is None or replaced is None:
            return None
        names = {"chosen": _label(chosen), "replaced": _label(replaced)}
        if any(member.candidate.id == chosen_id for member in proposal.result.panel):
            message = _("%(chosen)s remplace %(replaced)s dans la proposition.", **names)
            return message, f"member-{chosen_id}", "success"
        message = _(
            "%(chosen)s ne peut pas remplacer %(replaced)s : les règles de la rencontre ne le "
            "permettent pas. Voir les manques et les règles.",
            **names,
        )
        return message, "summary-title", "warning"
    if kind == "exclude":
        organisation = proposal.inputs.organisations.get(rest)
        if organisation is None:
            return None
        message = _("%(name)s est exclu de cette proposition.", name=organisation.name)
        return message, "panel-title", "success"
    return None


def _label(candidate: Candidate) -> str:
    name = candidate.organisation.name
    return f"{name} – {candidate.expert_name}" if candidate.expert_name else name


@bp.post("/confirmer")
@roles_required(*ROLES)
def confirm_meeting() -> ResponseReturnValue:
    form, state = _posted_case()
    if not form.validate():
        return render_template("meetings/new.html", form=form), 400
    proposal = _proposal(form, *state)
    if proposal.result.referral:
        return render_template("meetings/referral.html", message=explain.referral())
    schedule_form = ScheduleForm(prefix="schedule")
    # The date may be set now (the plan form on this page) or later, on the meeting's page.
    planned = schedule_form.schedule() if schedule_form.given else None
    signed_on = schedule_form.signed_on()
    if schedule_form.errors:
        return _proposal_page(form, proposal, schedule_form), 400
    meeting = operations.plan(
        require_user(),
        form.case_request(),
        proposal.result,
        schedule=planned,
        consents_signed_on=signed_on,
    )
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))


def _proposal_page(
    form: CaseForm,
    proposal: Proposal,
    schedule_form: ScheduleForm,
    status: tuple[str, str, str] | None = None,
) -> str:
    return render_template(
        "meetings/proposal.html",
        status=status,
        proposal=proposal,
        state=_state(form, proposal),
        sectors={sector.code: sector for sector in organisation_queries.sectors()},
        explain=explain,
        schedule_form=schedule_form,
    )


@bp.get("/<uuid:meeting_id>")
@roles_required(*ROLES)
def meeting(meeting_id: uuid.UUID) -> ResponseReturnValue:
    found = queries.visible_meeting(require_user(), meeting_id)
    if found is None:
        abort(404)
    return render_meeting(found)


def _posted_case() -> tuple[CaseForm, tuple[set[str], set[str]]]:
    """The case form from the POST, with the requested swap or exclusion applied to it.

    `action` is "swap|<alternative id>|<member id>" or "exclude|<organisation id>".
    """
    data = MultiDict(request.form)
    pinned, excluded = set(data.poplist("pinned")), set(data.poplist("exclude_candidates"))
    kind, _sep, rest = data.pop("action", "").partition("|")
    if kind == "swap":
        chosen, _sep, replaced = rest.partition("|")
        pinned = (pinned - {replaced}) | {chosen}
        excluded = (excluded - {chosen}) | {replaced}
    elif kind == "exclude" and rest not in data.getlist("exclude_organization_ids"):
        data.add("exclude_organization_ids", rest)
    return CaseForm(require_user(), formdata=data), (pinned, excluded)


def _proposal(form: CaseForm, pinned: set[str], excluded: set[str]) -> Proposal:
    try:
        return propose(form.case_request(pinned=frozenset(pinned), excluded=frozenset(excluded)))
    except UnknownCandidateError:
        abort(400)


def _state(form: CaseForm, proposal: Proposal) -> list[tuple[str, str]]:
    """The case, pins and exclusions as hidden fields for the next POST (validated again)."""
    fields: list[tuple[str, str]] = []
    for name in STATE_FIELDS:
        field = form[name]
        if name == "municipality" and form.resolved_municipality is not None:
            fields.append((name, form.resolved_municipality.name))
        elif name in BOOLEAN_FIELDS:
            if field.data:
                fields.append((name, "y"))
        elif isinstance(field.data, list):
            fields += [(name, value) for value in dict.fromkeys(field.data)]
        elif field.data:
            fields.append((name, str(field.data)))
    fields += [("pinned", value) for value in sorted(proposal.case.pinned)]
    fields += [("exclude_candidates", value) for value in sorted(proposal.case.exclude_candidates)]
    return fields
