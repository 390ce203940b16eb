"""Sign in and out, passwords, and the account page."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from directory.accounts import devices, notifications, operations, throttling
from directory.accounts.auth import SESSION_KEY, login_required, require_user
from directory.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetRequestForm,
    SetPasswordForm,
)
from directory.accounts.models import User
from directory.accounts.passwords import check_password
from directory.core import throttle
from directory.core.timing import finish_no_sooner_than
from directory.core.views import safe_next

bp = Blueprint("accounts", __name__)

TOO_MANY_ATTEMPTS = 429


def _sign_in(user: User) -> None:
    session.clear()  # a fresh session: nothing from before the login survives
    session[SESSION_KEY] = operations.start_session(user)
    session.permanent = False


@bp.route("/connexion", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form, blocked=None)
    email = form.email.data or ""
    keys = throttling.login_keys(email)
    if throttling.login_refused(keys):
        message = _("Trop de tentatives de connexion. Réessayez dans 15 minutes.")
        page = render_template("accounts/login.html", form=form, blocked=message)
        return page, TOO_MANY_ATTEMPTS
    user = operations.user_by_email(email)
    valid = check_password(user.password_hash if user else None, form.password.data or "")
    signed_in = user is not None and valid and user.active
    operations.record_login_attempt(email, throttle.client_key(), user, succeeded=signed_in)
    if user is None or not signed_in:
        form.password.errors.append(_("Adresse courriel ou mot de passe incorrect."))
        return render_template("accounts/login.html", form=form, blocked=None)
    throttling.login_succeeded(keys)
    _sign_in(user)
    response = redirect(safe_next(request.args.get("next"), url_for("accounts.account")))
    devices.remember(response, email)
    return response


@bp.post("/deconnexion")
def logout() -> Response:
    secret = session.get(SESSION_KEY)
    if secret:
        operations.end_session(secret)
    session.clear()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("organisations.home"))


@bp.route("/mot-de-passe/oubli", methods=["GET", "POST"])
def forgot_password() -> Response | str | tuple[str, int]:
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot.html", form=form, blocked=None)
    started = time.monotonic()
    email = form.email.data or ""
    if throttling.reset_refused(email):
        message = _("Trop de demandes de lien. Réessayez dans une heure.")
        page = render_template("accounts/forgot.html", form=form, blocked=message)
        return page, TOO_MANY_ATTEMPTS
    user = operations.user_by_email(email)
    sending = None
    if user is not None and user.active:
        sending = notifications.send_reset(user, operations.issue_link(user, "reset"))
    # The same answer, at the same moment, whether or not the account exists: the message
    # leaves on its own thread and the answer waits a fixed time, not for the mail server.
    finish_no_sooner_than(started, current_app.config["RESET_ANSWER_SECONDS"], waiting_for=sending)
    flash(
        _(
            "Si un compte existe pour cette adresse, un lien de réinitialisation "
            "vient d'y être envoyé."
        ),
        "info",
    )
    return redirect(url_for("accounts.login"))


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Response | str | tuple[str, int]:
    link = operations.valid_link(token)
    if link is None:
        return render_template("accounts/link_invalid.html"), 404
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
    user = require_user()
    if form.validate_on_submit():
        if check_password(user.password_hash, form.current.data or ""):
            operations.set_password(user, form.password.data or "")
            _sign_in(user)  # every other session is gone; this one starts anew
            flash(_("Mot de passe modifié. Vos autres sessions sont fermées."), "success")
            return redirect(url_for("accounts.account"))
        form.current.errors.append(_("Mot de passe actuel incorrect."))
    return render_template("accounts/account.html", form=form, user=user), 400
