"""Admins manage accounts: list, invite, disable and enable, resend an invitation."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from directory.accounts import notifications, operations
from directory.accounts.auth import current_user, roles_required
from directory.accounts.forms import InviteForm
from directory.accounts.models import ROLES, User
from directory.core.mail import MailError
from directory.extensions import db
from directory.organisations.models import Organisation

bp = Blueprint("account_admin", __name__, url_prefix="/admin/comptes")


def _user_or_404(user_id: uuid.UUID) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound
    return user


def _organisation_choices() -> list[SelectChoice]:
    rows = db.session.scalars(
        select(Organisation)
        .where(Organisation.archived_at.is_(None))
        .order_by(Organisation.name_key)
    )
    return [SelectChoice(organisation.slug, organisation.name) for organisation in rows]


@bp.get("/")
@roles_required("admin")
def list_users() -> str:
    users = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("accounts/admin_users.html", users=users)


@bp.route("/inviter", methods=["GET", "POST"])
@roles_required("admin")
def invite() -> Response | str | tuple[str, int]:
    form = InviteForm()
    form.organisations.choices = _organisation_choices()
    if form.validate_on_submit():
        if operations.user_by_email(form.email.data or "") is not None:
            form.email.errors.append(_("Un compte existe déjà pour cette adresse."))
            return render_template("accounts/invite.html", form=form), 400
        slugs = form.organisations.data if form.role.data == "editor" else []
        bound = db.session.scalars(select(Organisation).where(Organisation.slug.in_(slugs or [])))
        user = operations.create_user(
            form.email.data or "",
            form.role.data or "",
            name=form.name.data or "",
            organisations=bound,
        )
        return _send_invitation(user)
    status = 400 if form.errors else 200
    return render_template("accounts/invite.html", form=form), status


def _send_invitation(user: User) -> Response:
    try:
        link = operations.issue_link(user, "invite", actor=current_user())
        notifications.send_invitation(user, link)
    except MailError:
        db.session.rollback()
        flash(
            _("Le courriel d'invitation n'a pas pu être envoyé ; rien n'a été enregistré."),
            "error",
        )
        return redirect(url_for("account_admin.list_users"))
    flash(_("Invitation envoyée à %(email)s.", email=user.email), "success")
    return redirect(url_for("account_admin.list_users"))


@bp.post("/<uuid:user_id>/invitation")
@roles_required("admin")
def resend_invitation(user_id: uuid.UUID) -> Response:
    return _send_invitation(_user_or_404(user_id))


@bp.post("/<uuid:user_id>/desactiver")
@roles_required("admin")
def disable(user_id: uuid.UUID) -> Response:
    user = _user_or_404(user_id)
    if user == current_user():
        flash(_("Vous ne pouvez pas désactiver votre propre compte."), "error")
    else:
        operations.set_active(user, active=False, actor=current_user())
        flash(_("Compte désactivé : %(email)s.", email=user.email), "success")
    return redirect(url_for("account_admin.list_users"))


@bp.post("/<uuid:user_id>/reactiver")
@roles_required("admin")
def enable(user_id: uuid.UUID) -> Response:
    user = _user_or_404(user_id)
    operations.set_active(user, active=True, actor=current_user())
    flash(_("Compte réactivé : %(email)s.", email=user.email), "success")
    return redirect(url_for("account_admin.list_users"))


@bp.post("/<uuid:user_id>/role")
@roles_required("admin")
def change_role(user_id: uuid.UUID) -> Response:
    user = _user_or_404(user_id)
    role = request.form.get("role", "")
    if user == current_user():
        flash(_("Vous ne pouvez pas changer votre propre rôle."), "error")
    elif role not in ROLES:
        flash(_("Rôle inconnu."), "error")
    else:
        try:
            operations.change_role(user, role, actor=current_user())
        except operations.AccountError:
            flash(_("Un éditeur doit être rattaché à au moins un organisme."), "error")
        else:
            flash(_("Rôle modifié : %(email)s.", email=user.email), "success")
    return redirect(url_for("account_admin.list_users"))
