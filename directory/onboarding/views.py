"""The public account-request form and the admins' queue of requests and proposed listings."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from directory.accounts import notifications
from directory.accounts import operations as accounts
from directory.accounts.auth import require_user, roles_required
from directory.accounts.models import AccountRequest, User
from directory.core.i18n import current_language
from directory.core.mail import MailError
from directory.core.throttle import client_key
from directory.extensions import db
from directory.onboarding import operations, queries
from directory.onboarding.forms import NEW, AccountRequestForm
from directory.organisations import queries as organisation_queries
from directory.organisations.models import Organisation

TOO_MANY_REQUESTS = 429

bp = Blueprint("onboarding", __name__)


def _form() -> AccountRequestForm:
    lang = current_language()
    form = AccountRequestForm()
    form.organisation.choices = [
        SelectChoice("", _("— Choisissez —")),
        SelectChoice(NEW, _("Mon organisme n'est pas encore dans le répertoire")),
        *(SelectChoice(org.slug, org.name) for org in organisation_queries.public_organisations()),
    ]
    form.new_region.choices = [SelectChoice("", _("— Choisissez —"))] + [
        SelectChoice(region.code, f"{region.code} – {region.label(lang)}")
        for region in organisation_queries.regions()
    ]
    return form


def _new_organisation(form: AccountRequestForm) -> operations.NewOrganisation:
    return operations.NewOrganisation(
        name=form.new_name.data or "",
        type=form.new_type.data or "community",
        region_code=form.new_region.data or "",
        municipality=form.new_municipality.data,
        description=form.new_description.data,
    )


@bp.route("/demande-de-compte", methods=["GET", "POST"])
def request_account() -> Response | tuple[str, int]:
    form = _form()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("onboarding/request.html", form=form, new_value=NEW), status
    thanks = _("Merci ! Votre demande est transmise à la coordination régionale, qui vous écrira.")
    if form.website.data:  # a robot filled the honeypot: thank it, keep nothing
        flash(thanks, "success")
        return redirect(url_for("organisations.home"))
    key = client_key()
    if operations.too_many_requests(key):
        form.form_errors.append(
            _("Vous avez envoyé plusieurs demandes en peu de temps. Réessayez dans une heure.")
        )
        page = render_template("onboarding/request.html", form=form, new_value=NEW)
        return page, TOO_MANY_REQUESTS
    operations.create_request(
        name=form.name.data or "",
        email=form.email.data or "",
        message=form.message.data or "",
        organisation=None if form.wants_new else queries.public_by_slug(form.organisation.data),
        new=_new_organisation(form) if form.wants_new else None,
        key=key,
    )
    flash(thanks, "success")
    return redirect(url_for("organisations.home"))


@bp.get("/admin/demandes/")
@roles_required("admin")
def list_requests() -> str:
    return render_template(
        "onboarding/admin_requests.html",
        requests=queries.pending_requests(),
        unpublished=queries.unpublished_organisations(),
    )


def _pending_or_404(request_id: uuid.UUID) -> AccountRequest:
    found = db.session.get(AccountRequest, request_id)
    if found is None or found.status != "pending":
        raise NotFound
    return found


def _invite(editor: User) -> bool:
    """Send the invitation to a new account; False (all undone) when the e-mail fails."""
    if editor.password_hash is not None:
        return True  # an existing editor: the new organisation is on their account page
    try:
        link = accounts.issue_link(editor, "invite", actor=require_user())
        notifications.send_invitation(editor, link)
    except MailError:
        db.session.rollback()
        return False
    return True


@bp.post("/admin/demandes/<uuid:request_id>/approuver")
@roles_required("admin")
def approve(request_id: uuid.UUID) -> Response:
    account_request = _pending_or_404(request_id)
    try:
        editor = operations.approve(account_request, require_user())
    except operations.RequestError:
        flash(_("Cette adresse appartient déjà à un compte qui n'est pas un éditeur."), "error")
        return redirect(url_for("onboarding.list_requests"))
    if not _invite(editor):
        flash(
            _("Le courriel d'invitation n'a pas pu être envoyé ; rien n'a été enregistré."), "error"
        )
    else:
        flash(_("Demande approuvée : %(email)s.", email=editor.email), "success")
    return redirect(url_for("onboarding.list_requests"))


@bp.post("/admin/demandes/<uuid:request_id>/rejeter")
@roles_required("admin")
def reject(request_id: uuid.UUID) -> Response:
    operations.reject(_pending_or_404(request_id), require_user())
    flash(_("Demande rejetée."), "success")
    return redirect(url_for("onboarding.list_requests"))


@bp.post("/admin/demandes/organismes/<uuid:organisation_id>/publier")
@roles_required("admin")
def publish(organisation_id: uuid.UUID) -> Response:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.archived_at is not None:
        raise NotFound
    operations.publish(organisation, require_user())
    flash(_("Fiche publiée : %(name)s.", name=organisation.name), "success")
    return redirect(url_for("onboarding.list_requests"))
