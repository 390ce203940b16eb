"""`/api/v1`: organisations, filtered and paginated."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.wrappers import Response
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from directory.accounts.auth import current_user, login_required, require_user, roles_required
from directory.accounts.permissions import can_edit
from directory.api import openapi, schemas
from directory.audit import editing
from directory.core import json_body
from directory.core.errors import ApiError
from directory.core.i18n import current_language
from directory.extensions import db
from directory.meetings import proposal
from directory.meetings.forms import CaseForm
from directory.meetings.proposal import propose
from directory.organisations import queries
from directory.organisations.forms import OrganisationForm
from directory.organisations.models import Organisation
from directory.search import params, service
from directory.search.backend import IndexUnavailableError
from directory.text import fold

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/organizations")
def list_organizations() -> Response:
    try:
        codes = params.filters(request.args, names=("region", "sector"))
        page = params.positive_int(request.args, "page", 1)
        per_page = params.positive_int(
            request.args,
            "per_page",
            current_app.config["PER_PAGE"],
            current_app.config["API_MAX_PER_PAGE"],
        )
    except params.ParameterError as error:
        raise ApiError(error.message, parameter=error.parameter) from error
    stmt = queries.filter_organisations(**codes, text=request.args.get("q"))
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    body: dict[str, Any] = {
        "total": result.total,
        "page": page,
        "per_page": per_page,
        "items": [schemas.organisation(item) for item in result.items],
    }
    return jsonify(body)


@bp.get("/organizations/<identifier>")
def get_organization(identifier: str) -> Response:
    found = queries.organisation_by_id_or_slug(identifier)
    if found is None or not (found.is_public or can_edit(current_user(), found)):
        raise ApiError(_("Organisme introuvable."), status=404)
    return jsonify(schemas.organisation(found))


SUGGESTION_LIMIT = 8


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document())


@bp.get("/search")
def search() -> Response:
    try:
        parsed = params.parse(
            request.args,
            max_per_page=current_app.config["API_MAX_PER_PAGE"],
            default_per_page=current_app.config["PER_PAGE"],
        )
    except params.ParameterError as error:
        raise ApiError(error.message, parameter=error.parameter) from error
    try:
        result = service.search(parsed.request)
    except IndexUnavailableError as error:
        raise ApiError(_("L'index de recherche n'est pas encore construit."), status=503) from error
    page, per_page = parsed.request.page, parsed.request.per_page
    return jsonify(schemas.search_result(result, page=page, per_page=per_page))


@bp.get("/suggest")
def suggest() -> Response:
    text = fold(request.args.get("q", ""))[:100]
    found = queries.suggest_names(text, limit=SUGGESTION_LIMIT) if text else []
    regions = {region.code: region for region in queries.regions()}
    language = current_language()
    return jsonify({"suggestions": [schemas.suggestion(org, regions, language) for org in found]})


@bp.patch("/organizations/<identifier>")
@login_required
def update_organization(identifier: str) -> Response | tuple[Response, int]:
    """Change an organisation's own fields: `version` plus any of the form's fields."""
    user = require_user()
    found = queries.organisation_by_id_or_slug(identifier)
    # An unpublished or archived listing stays unknown to those who cannot edit it.
    if found is None or not (found.is_public or can_edit(user, found)):
        raise ApiError(_("Organisme introuvable."), status=404)
    if not can_edit(user, found):
        raise ApiError(_("Vous ne pouvez pas modifier cet organisme."), status=403)
    form = _organisation_form(found, json_body.read_object())
    try:
        editing.update(user, found, form.values(), version=form.version.data)
    except editing.ConflictError:
        db.session.rollback()
        current = queries.organisation_by_id_or_slug(identifier)
        error = {"status": 409, "message": _("Cette fiche a été modifiée entre-temps.")}
        state = {**editing.values(current), "version": current.version} if current else None
        return jsonify({"error": error, "current": state}), 409
    return jsonify({**schemas.organisation(found), "version": found.version})


def _organisation_form(found: Organisation, body: dict[str, Any]) -> OrganisationForm:
    """The submitted fields over the current ones, validated as the HTML form does."""
    allowed = {*OrganisationForm.fields, "version"}
    for key, value in body.items():
        if key not in allowed:
            raise ApiError(_("Champ inconnu."), parameter=key)
        if isinstance(value, bool) or not isinstance(value, str | int | None):
            raise ApiError(_("Valeur invalide."), parameter=key)
    if not isinstance(body.get("version"), int):
        raise ApiError(_("La version de la fiche est obligatoire."), parameter="version")
    merged = {**editing.values(found), **body}
    formdata = MultiDict(
        {key: "" if value is None else str(value) for key, value in merged.items()}
    )
    form = OrganisationForm(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        field, messages = next(iter(form.errors.items()))
        raise ApiError(str(messages[0]), parameter=field)
    return form


MATCH_LISTS = (
    "cooccurrences",
    "followed",
    "other_needs",
    "on_file_organization_ids",
    "exclude_organization_ids",
)
MATCH_DEFAULTS: dict[str, object] = {
    "municipality": None,
    "other_needs": [],
    "on_file_organization_ids": [],
    "exclude_organization_ids": [],
    "meeting_type": "concertation",
    "mode": "in_person",
    "language": "fr",
    "max_experts": 5,
    "previous_meeting_id": None,
    "follow_up_changes_confirmed": False,
    "consents_attested": False,
    "imminent_risk": False,
}
MATCH_FLAGS = ("follow_up_changes_confirmed", "consents_attested", "imminent_risk")
# Kept from the previous meeting when a follow-up leaves them out (see CaseForm).
FOLLOW_UP_DEFAULTS = (
    "region",
    "cooccurrences",
    "followed",
    "on_file_organization_ids",
    "meeting_type",
)


@bp.post("/match")
@roles_required("facilitator", "admin")
def match() -> Response:
    """Propose external experts for a case described by codes (see the README's contract)."""
    form = case_form(json_body.read_object())
    result = propose(form.case_request()).result
    response = jsonify(proposal.as_json(result))
    response.headers["X-Match-Search"] = proposal.search_header(result)
    return response


def case_form(body: dict[str, Any]) -> CaseForm:
    """The JSON case, type-checked, then validated by the HTML form's own rules."""
    values = {**MATCH_DEFAULTS, **body}
    if body.get("previous_meeting_id"):
        for key in FOLLOW_UP_DEFAULTS:
            if key not in body:
                values[key] = [] if key in MATCH_LISTS else ""
    formdata: MultiDict[str, str] = MultiDict()
    for key, value in values.items():
        _check_match_type(key, value)
        if key in MATCH_LISTS:
            formdata.setlist(key, [str(item) for item in value])
        elif key in MATCH_FLAGS:
            if value:
                formdata.add(key, "y")
        elif value is not None:
            formdata.add(key, str(value))
    form = CaseForm(require_user(), formdata=formdata, meta={"csrf": False})
    if not form.validate():
        field, messages = next(iter(form.errors.items()))
        raise ApiError(str(messages[0]), parameter=field)
    return form


def _check_match_type(key: str, value: object) -> None:
    if key in MATCH_LISTS:
        valid = isinstance(value, list) and all(isinstance(item, str) for item in value)
    elif key in {"region", "meeting_type", "mode", "language"}:
        valid = isinstance(value, str)
    elif key in {"municipality", "previous_meeting_id"}:
        valid = value is None or isinstance(value, str)
    elif key == "max_experts":
        valid = isinstance(value, int) and not isinstance(value, bool)
    elif key in MATCH_FLAGS:
        valid = isinstance(value, bool)
    else:
        raise ApiError(_("Champ inconnu."), parameter=key)
    if not valid:
        raise ApiError(_("Valeur invalide."), parameter=key)
