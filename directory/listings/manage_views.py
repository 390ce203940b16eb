"""`/gestion`: editors and admins keep listings true. Deny by default: every view checks
`can_edit` on the organisation in the URL, and every id in the URL must belong to it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from sqlalchemy.orm.attributes import instance_state
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from directory.accounts import queries as account_queries
from directory.accounts.auth import login_required, require_user
from directory.accounts.permissions import can_edit
from directory.audit import editing
from directory.audit import labels as audit_labels
from directory.audit import queries as audit_queries
from directory.audit.models import AuditEntry
from directory.confidentiality import queries as confidentiality_queries
from directory.core import formatting
from directory.core.params import page_number
from directory.expertise import forms as expertise_forms
from directory.expertise import queries as expertise_queries
from directory.expertise.models import Expert, ExpertiseOffer
from directory.extensions import db
from directory.organisations import forms, operations, queries
from directory.organisations.models import Contact, Location, Organisation, Phone, Service

bp = Blueprint("manage", __name__, url_prefix="/gestion")

Page = str | tuple[str, int] | Response


@dataclass(frozen=True)
class Part:
    """A kind of record an organisation owns, as it appears in URLs (`services`, `lieux`…)."""

    model: type[editing.Record]
    form: type[forms.VersionedForm]
    new_title: LazyString
    edit_title: LazyString


PARTS = {
    "services": Part(Service, forms.ServiceForm,
                     _l("Nouveau service"), _l("Modifier le service")),
    "lieux": Part(Location, forms.LocationForm,
                  _l("Nouveau lieu"), _l("Modifier le lieu")),
    "contacts": Part(Contact, forms.ContactForm,
                     _l("Nouvelle personne-ressource"), _l("Modifier la personne-ressource")),
    "telephones": Part(Phone, forms.PhoneForm,
                       _l("Nouveau numéro de téléphone"), _l("Modifier le numéro")),
    "experts": Part(Expert, expertise_forms.ExpertForm,
                    _l("Nouvel expert"), _l("Modifier l'expert")),
}  # fmt: skip
FORMS: dict[str, type[forms.VersionedForm]] = {
    Organisation.audit_entity: forms.OrganisationForm,
    ExpertiseOffer.audit_entity: expertise_forms.ExpertiseOfferForm,
    **{spec.model.audit_entity: spec.form for spec in PARTS.values()},
}
PART = "<any(services, lieux, contacts, telephones, experts):part>"


def _organisation(slug: str) -> Organisation:
    """The organisation named in the URL: 404 when unknown, 403 when not the caller's."""
    found = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if found is None:
        raise NotFound
    if not can_edit(require_user(), found):
        raise Forbidden
    return found


def _admin_only() -> None:
    if require_user().role != "admin":
        raise Forbidden


def _item(
    organisation: Organisation, part: str, item_id: uuid.UUID, *, archived: bool = False
) -> editing.Record:
    """A record of `organisation` (404 when it belongs to another one or is (not) archived)."""
    item = db.session.get(PARTS[part].model, item_id)
    if item is None or editing.organisation_id_of(item) != organisation.id:
        raise NotFound
    if (getattr(item, "archived_at", None) is not None) != archived:
        raise NotFound
    return item


def _to_overview(organisation: Organisation, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for(".overview", slug=organisation.slug))


def _render_form(organisation: Organisation, form: Any, title: str, **context: Any) -> Page:  # noqa: ANN401 - any edit form
    page = render_template(
        "manage/form.html", organisation=organisation, form=form, title=title, **context
    )
    return page, (400 if form.errors else 200)


def _edit(organisation: Organisation, item: editing.Record, form_class: Any, title: str) -> Page:  # noqa: ANN401 - a form class
    """The edit form of `item`: save it, or show the conflict when it changed meanwhile."""
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(data={**editing.values(item), "version": item.version})
    if not form.validate_on_submit():
        return _render_form(organisation, form, title)
    try:
        editing.update(require_user(), item, form.values(), version=form.version.data)
    except editing.ConflictError:
        return _conflict(organisation, item, form, title)
    if (
        isinstance(item, Location)
        and item.confidential
        and form.values().get("confidential") is False
    ):
        flash(
            _(
                "Rendre ce lieu public demande l'approbation d'une administratrice ou d'un "
                "administrateur (une autre personne) : d'ici là, son adresse reste confidentielle."
            ),
            "info",
        )
    return _to_overview(organisation, _("Modifications enregistrées."))


def _conflict(organisation: Organisation, item: editing.Record, form: Any, title: str) -> Page:  # noqa: ANN401 - any edit form
    """409: their values (the database's now) beside yours, in a form holding the new version."""
    # Read without loading: after a failed flush the session must roll back before any SQL.
    model, key = type(item), instance_state(item).identity
    organisation_key = inspect(organisation).identity
    db.session.rollback()  # nothing of this request was written
    current_item = db.session.get(model, key)
    current_organisation = db.session.get(Organisation, organisation_key)
    if current_item is None or current_organisation is None:
        raise NotFound
    form.version.data = current_item.version
    form.version.raw_data = [str(current_item.version)]
    page = render_template(
        "manage/form.html",
        organisation=current_organisation,
        form=form,
        title=title,
        current=editing.values(current_item),
    )
    return page, 409


@bp.get("/")
@login_required
def index() -> str:
    user = require_user()
    if user.role not in {"admin", "editor"}:
        raise Forbidden
    text = request.args.get("q", "")[:100]
    pagination = account_queries.managed_organisations(
        user,
        text=text,
        page=page_number(request.args),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template("manage/index.html", pagination=pagination, q=text)


@bp.get("/organismes/<slug>")
@login_required
def overview(slug: str) -> str:
    organisation = _organisation(slug)
    return render_template(
        "manage/overview.html",
        organisation=organisation,
        offer=expertise_queries.offer_for(organisation),
        experts=expertise_queries.experts_for(organisation),
        pending_releases=confidentiality_queries.pending_location_ids(organisation),
    )


@bp.route("/organismes/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit_organisation(slug: str) -> Page:
    organisation = _organisation(slug)
    return _edit(organisation, organisation, forms.OrganisationForm, _("Modifier l'organisme"))


@bp.route(f"/organismes/<slug>/{PART}/nouveau", methods=["GET", "POST"])
@login_required
def new_item(slug: str, part: str) -> Page:
    organisation, spec = _organisation(slug), PARTS[part]
    form = spec.form()
    if not form.validate_on_submit():
        return _render_form(organisation, form, str(spec.new_title))
    editing.create(require_user(), spec.model, organisation.id, form.values())
    return _to_overview(organisation, _("Ajout enregistré."))


@bp.route(f"/organismes/<slug>/{PART}/<uuid:item_id>", methods=["GET", "POST"])
@login_required
def edit_item(slug: str, part: str, item_id: uuid.UUID) -> Page:
    organisation = _organisation(slug)
    item = _item(organisation, part, item_id)
    return _edit(organisation, item, PARTS[part].form, str(PARTS[part].edit_title))


@bp.post(f"/organismes/<slug>/{PART}/<uuid:item_id>/archiver")
@login_required
def archive_item(slug: str, part: str, item_id: uuid.UUID) -> Response:
    organisation = _organisation(slug)
    editing.archive(require_user(), _item(organisation, part, item_id))
    return _to_overview(organisation, _("Élément archivé."))


@bp.post(f"/organismes/<slug>/{PART}/<uuid:item_id>/restaurer")
@login_required
def restore_item(slug: str, part: str, item_id: uuid.UUID) -> Response:
    organisation = _organisation(slug)
    _admin_only()
    editing.restore(require_user(), _item(organisation, part, item_id, archived=True))
    return _to_overview(organisation, _("Élément rétabli."))


@bp.route("/organismes/<slug>/expertise", methods=["GET", "POST"])
@login_required
def edit_expertise(slug: str) -> Page:
    organisation = _organisation(slug)
    title = _("Offre d'expertise")
    offer = expertise_queries.offer_for(organisation)
    if offer is not None:
        return _edit(organisation, offer, expertise_forms.ExpertiseOfferForm, title)
    form = expertise_forms.ExpertiseOfferForm()
    if not form.validate_on_submit():
        return _render_form(organisation, form, title)
    editing.create(require_user(), ExpertiseOffer, organisation.id, form.values())
    return _to_overview(organisation, _("Modifications enregistrées."))


@bp.post("/organismes/<slug>/confirmer")
@login_required
def confirm(slug: str) -> Response:
    organisation = _organisation(slug)
    user = require_user()
    operations.confirm(user, user.display_name, organisation)
    return _to_overview(organisation, _("Merci : la fiche est confirmée exacte."))


@bp.post("/organismes/<slug>/archiver")
@login_required
def archive_organisation(slug: str) -> Response:
    organisation = _organisation(slug)
    _admin_only()
    editing.archive(require_user(), organisation)
    return _to_overview(organisation, _("Fiche archivée : elle n'est plus publique."))


@bp.post("/organismes/<slug>/restaurer")
@login_required
def restore_organisation(slug: str) -> Response:
    organisation = _organisation(slug)
    _admin_only()
    if organisation.archived_at is None:
        raise NotFound
    editing.restore(require_user(), organisation)
    return _to_overview(organisation, _("Fiche rétablie."))


@bp.get("/organismes/<slug>/archives")
@login_required
def archives(slug: str) -> str:
    organisation = _organisation(slug)
    return render_template(
        "manage/archives.html",
        organisation=organisation,
        archived=queries.archived_parts(organisation),
        experts=expertise_queries.experts_for(organisation, archived=True),
    )


@bp.get("/organismes/<slug>/historique")
@login_required
def history(slug: str) -> str:
    organisation = _organisation(slug)
    pagination = audit_queries.history(
        organisation.id,
        page=page_number(request.args),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template(
        "manage/history.html",
        organisation=organisation,
        pagination=pagination,
        field_labels=_field_labels(),
        value_labels=_value_labels(),
        action_labels=audit_labels.ACTION_LABELS,
        entity_labels=audit_labels.ENTITY_LABELS,
    )


def _field_labels() -> dict[str, str]:
    """`entity.field` → the label its edit form shows (a field's first argument)."""
    found = {
        f"{entity}.{name}": str(getattr(form, name).args[0])
        for entity, form in FORMS.items()
        for name in form.fields
    }
    return {**{key: str(label) for key, label in audit_labels.FIELD_LABELS.items()}, **found}


def _value_labels() -> dict[str, dict[str, str]]:
    """`entity.field` (or a bare field) → {stored code: label}, from the edit forms' choices:
    the history shows « Organisme communautaire », not "community"."""
    found = {
        f"{entity}.{name}": formatting.choice_labels(field.choices)
        for entity, form_class in FORMS.items()
        for name, field in _unbound_fields(form_class)
        if getattr(field, "choices", None)
    }
    fixed = {
        name: {code: str(label) for code, label in labels.items()}
        for name, labels in audit_labels.VALUE_LABELS.items()
    }
    return {**fixed, **found}


def _unbound_fields(form_class: type[forms.VersionedForm]) -> list[tuple[str, Any]]:
    form = form_class(formdata=None, meta={"csrf": False})
    return [(name, form[name]) for name in form_class.fields]


@bp.post("/organismes/<slug>/historique/<int:entry_id>/retablir")
@login_required
def revert(slug: str, entry_id: int) -> Page:
    organisation = _organisation(slug)
    _admin_only()
    entry = db.session.get(AuditEntry, entry_id)
    if entry is None or entry.organisation_id != organisation.id:
        raise NotFound
    try:
        editing.revert(require_user(), entry)
    except editing.ConflictError:
        message = _(
            "Impossible de rétablir : ces champs ont changé depuis, ou la modification "
            "a déjà été annulée."
        )
        return render_template("errors/error.html", status=409, message=message), 409
    flash(_("Modification annulée : les valeurs précédentes sont rétablies."), "success")
    return redirect(url_for(".history", slug=organisation.slug))
