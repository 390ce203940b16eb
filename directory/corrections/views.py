"""Visitors suggest corrections to a listing; its editors and the admins work the queue."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from directory.accounts.auth import current_user, require_user, roles_required
from directory.accounts.permissions import can_edit
from directory.core.throttle import client_key
from directory.corrections import notifications, operations, queries
from directory.corrections.forms import CorrectionForm
from directory.corrections.models import CorrectionSuggestion
from directory.extensions import db
from directory.organisations import queries as organisation_queries
from directory.organisations.models import Organisation

bp = Blueprint("corrections", __name__)

TOO_MANY_REQUESTS = 429


@bp.record_once
def _register_form(state: BlueprintSetupState) -> None:
    # A global, so the organisation page offers the form without its view knowing about it.
    state.app.jinja_env.globals["new_correction_form"] = CorrectionForm


def _public_or_404(slug: str) -> Organisation:
    found = organisation_queries.organisation_by_slug(slug)
    if found is None or not found.is_public:
        raise NotFound
    return found


def _page_with_form(
    organisation: Organisation, form: CorrectionForm, status: int
) -> tuple[str, int]:
    regions = {region.code: region for region in organisation_queries.regions()}
    page = render_template(
        "organisations/detail.html",
        organisation=organisation,
        regions_by_code=regions,
        correction_form=form,
    )
    return page, status


@bp.post("/organismes/<slug>/correction")
def suggest(slug: str) -> Response | tuple[str, int]:
    organisation = _public_or_404(slug)
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _page_with_form(organisation, form, 400)
    thanks = _("Merci ! Votre suggestion a été transmise à l'organisme.")
    if form.website.data:  # a robot filled the honeypot: thank it, keep nothing
        flash(thanks, "success")
        return redirect(url_for("organisations.organisation", slug=slug))
    key = client_key()
    if operations.too_many(key):
        form.form_errors.append(
            _("Vous avez envoyé plusieurs suggestions en peu de temps. Réessayez dans une heure.")
        )
        return _page_with_form(organisation, form, TOO_MANY_REQUESTS)
    suggestion = operations.suggest(
        organisation, form.message.data or "", reply_email=form.reply_email.data, key=key
    )
    notifications.notify_editors(suggestion)
    flash(thanks, "success")
    return redirect(url_for("organisations.organisation", slug=slug))


@bp.get("/corrections/")
@roles_required("admin", "editor")
def queue() -> str:
    suggestions = queries.open_suggestions(require_user())
    return render_template("corrections/queue.html", suggestions=suggestions)


def _closable_or_403(suggestion_id: uuid.UUID) -> CorrectionSuggestion:
    suggestion = db.session.get(CorrectionSuggestion, suggestion_id)
    if suggestion is None:
        raise NotFound
    if not can_edit(current_user(), suggestion.organisation):
        raise Forbidden
    return suggestion


def _close(suggestion_id: uuid.UUID, status: str, message: str) -> Response:
    suggestion = _closable_or_403(suggestion_id)
    if suggestion.status == "open":
        operations.close(suggestion, require_user(), status=status)
        flash(message, "success")
    return redirect(url_for("corrections.queue"))


@bp.post("/corrections/<uuid:suggestion_id>/traitee")
@roles_required("admin", "editor")
def resolve(suggestion_id: uuid.UUID) -> Response:
    return _close(suggestion_id, "resolved", _("Suggestion marquée comme traitée."))


@bp.post("/corrections/<uuid:suggestion_id>/rejet")
@roles_required("admin", "editor")
def dismiss(suggestion_id: uuid.UUID) -> Response:
    return _close(suggestion_id, "dismissed", _("Suggestion rejetée."))
