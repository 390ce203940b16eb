"""Language switch, the quick-exit neutral page and the about page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from directory.core.i18n import LANGUAGE_COOKIE

bp = Blueprint("core", __name__)

ONE_YEAR = 365 * 24 * 3600


def safe_next(target: str | None, default: str | None = None) -> str:
    """A local path to go back to; anything pointing elsewhere falls back to `default`."""
    fallback = default or url_for("organisations.home")
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:  # browsers read `/\\host` as another site
        return fallback
    if not target.isprintable():
        return fallback  # CR/LF would split the Location header
    return target


@bp.get("/langue/<code>")
def set_language(code: str) -> Response:
    if code not in current_app.config["LANGUAGES"]:
        raise NotFound
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


@bp.get("/jardinage")
def neutral_page() -> str:
    """Where the quick-exit control lands: an ordinary page that says nothing of this site."""
    return render_template("core/neutral.html")


@bp.get("/a-propos")
def about() -> str:
    return render_template("core/about.html")
