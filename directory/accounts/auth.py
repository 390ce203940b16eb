"""Who is asking: the signed-in account (session cookie) or an API token's owner."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn, ParamSpec, TypeVar

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden

from directory.accounts import operations
from directory.accounts.models import User
from directory.core.errors import ApiError
from directory.extensions import csrf

P = ParamSpec("P")
R = TypeVar("R")

SESSION_KEY = "sid"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def current_user() -> User | None:
    return g.get("user")


def _refuse_anonymous() -> NoReturn:
    """Send an anonymous visitor to the login page (HTML) or answer 401 (API)."""
    if request.path.startswith("/api/"):
        raise ApiError("Authentification requise.", status=401)
    abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))


def require_user() -> User:
    """The signed-in user; an anonymous visitor is refused as `login_required` refuses one.

    Views behind `login_required` or `roles_required` call this to get a `User`, never `None`.
    """
    user = current_user()
    if user is None:
        _refuse_anonymous()
    return user


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _load_api_user() -> None:
    if "Authorization" not in request.headers:
        _load_session_user()
        if g.user is not None and request.method in UNSAFE_METHODS:
            csrf.protect()  # a cookie-authenticated API write needs the CSRF header
        return
    token = _bearer_token()
    user = operations.api_token_user(token) if token else None
    if user is None:
        raise ApiError("Jeton d'API invalide ou révoqué.", status=401, parameter="Authorization")
    g.user = user


def _load_session_user() -> None:
    raw = session.get(SESSION_KEY)
    if not raw:
        return
    found = operations.find_session(raw)
    if found is None:
        session.pop(SESSION_KEY, None)  # signed out elsewhere, expired or replayed
        return
    g.user = found.user
    g.session_secret = raw


def _load_user() -> None:
    g.user = None
    if request.endpoint == "static":
        return
    if request.path.startswith("/api/"):
        _load_api_user()
    else:
        _load_session_user()


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Anonymous visitors are sent to the login page (HTML) or get 401 (API)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        require_user()
        return view(*args, **kwargs)

    return wrapper


def roles_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Signed in with one of `roles`; anyone else gets 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def check(*args: P.args, **kwargs: P.kwargs) -> R:
            user = current_user()
            if user is not None and user.role not in roles:
                if request.path.startswith("/api/"):
                    raise ApiError("Accès refusé pour ce rôle.", status=403)
                raise Forbidden
            return view(*args, **kwargs)

        return login_required(check)

    return decorator


ROLE_LABELS = {
    "admin": _l("Coordination régionale (administrateur)"),
    "facilitator": _l("Animatrice ou animateur"),
    "editor": _l("Éditeur d'organisme"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def init_app(app: Flask) -> None:
    app.before_request(_load_user)
    app.jinja_env.globals.update(current_user=current_user, role_label=role_label)
