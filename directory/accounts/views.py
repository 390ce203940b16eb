"""Sign in and out, passwords, and the account page."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from directory.accounts import notifications, operations
from directory.accounts.auth import SESSION_KEY, current_user, login_required
from directory.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetRequestForm,
    SetPasswordForm,
)
from directory.accounts.models import User
from directory.accounts.passwords import check_password
from directory.core.mail import MailError
from directory.core.views import safe_next

bp = Blueprint("accounts", __name__)

TOO_MANY_ATTEMPTS = 429


def _client_ip() -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.remote_addr or "unknown"


def _sign_in(user: User) -> None:
    session.clear()  # a fresh session: nothing from before the login survives
    session[SESSION_KEY] = operations.start_session(user)
    session.permanent = False


@bp.route("/connexion", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        email, ip = form.email.data or "", _client_ip()
        if operations.login_blocked(email, ip):
            message = _("Trop de tentatives de connexion. Réessayez dans 15 minutes.")
            return render_template("accounts/login.html", form=form, blocked=message), (
                TOO_MANY_ATTEMPTS
            )
        user = operations.user_by_email(email)
        valid = check_password(user.password_hash if user else None, form.password.data or "")
        operations.record_login_attempt(email, ip, succeeded=bool(valid and user and user.active))
        if user is not None and valid and user.active:
            _sign_in(user)
            return redirect(safe_next(request.args.get("next"), url_for("accounts.account")))
        form.password.errors.append(_("Adresse courriel ou mot de passe incorrect."))
    return render_template("accounts/login.html", form=form, blocked=None)


@bp.post("/deconnexion")
def logout() -> Response:
    secret = session.get(SESSION_KEY)
    if secret:
        operations.end_session(secret)
    session.clear()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("organisations.home"))


@bp.route("/mot-de-passe/oubli", methods=["GET", "POST"])
def forgot_password() -> Response | str:
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = operations.user_by_email(form.email.data or "")
        if user is not None and user.active:
            try:
                notifications.send_reset(user, operations.issue_link(user, "reset"))
            except MailError:
                flash(_("Le courriel n'a pas pu être envoyé. Réessayez plus tard."), "error")
                return redirect(url_for("accounts.forgot_password"))
        # The same answer whether or not the account exists: no account enumeration.
        flash(
            _(
                "Si un compte existe pour cette adresse, un lien de réinitialisation "
                "vient d'y être envoyé."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Response | str:
    link = operations.valid_link(token)
    if link is None:
        return render_template("accounts/link_invalid.html"), 404  # type: ignore[return-value]
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = operations.use_link(link, form.password.data or "")
        _sign_in(user)
        flash(_("Votre mot de passe est enregistré."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/set_password.html", form=form, link=link)


@bp.get("/compte")
@login_required
def account() -> str:
    return render_template("accounts/account.html", form=ChangePasswordForm(), user=g.user)


@bp.post("/compte/mot-de-passe")
@login_required
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    user = current_user()
    if user is None:
        raise NotFound
    if form.validate_on_submit():
        if check_password(user.password_hash, form.current.data or ""):
            operations.set_password(user, form.password.data or "")
            _sign_in(user)  # every other session is gone; this one starts anew
            flash(_("Mot de passe modifié. Vos autres sessions sont fermées."), "success")
            return redirect(url_for("accounts.account"))
        form.current.errors.append(_("Mot de passe actuel incorrect."))
    return render_template("accounts/account.html", form=form, user=user), 400
