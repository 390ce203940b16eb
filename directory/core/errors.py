"""Error pages in HTML, and JSON errors under /api/."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from directory.core.logs import printable

logger = logging.getLogger(__name__)
TOO_LARGE = 413


class ApiError(Exception):
    """A client error naming the offending parameter when there is one: JSON under /api/,
    the error page elsewhere."""

    def __init__(self, message: str, *, status: int = 400, parameter: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.parameter = parameter


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _json_error(status: int, message: str, parameter: str | None = None) -> tuple[Response, int]:
    error: dict[str, object] = {"status": status, "message": message}
    if parameter:
        error["parameter"] = parameter
    return jsonify({"error": error}), status


def _messages() -> dict[int, str]:
    return {
        400: _("La requête est invalide."),
        404: _("Cette page n'existe pas ou n'existe plus."),
        405: _("Cette action n'est pas permise ici."),
        413: _(
            "Le corps de la requête est trop volumineux (au plus %(size)s Ko).",
            size=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024,
        ),
        500: _("Une erreur inattendue est survenue. Réessayez dans un moment."),
    }


def _unknown_host() -> tuple[Response, int]:
    # The request's Host is not in TRUSTED_HOSTS: no page of ours can be built for it (links
    # need a trusted host), so a short plain answer in both languages.
    body = "400 — Adresse du site inconnue. / Unknown site address.\n"
    return Response(body, status=400, mimetype="text/plain"), 400


def _handle_http(error: HTTPException) -> tuple[Response | str, int]:
    if isinstance(error, SecurityError):
        return _unknown_host()
    status = error.code or 500
    message = _messages().get(status, error.description or "")
    if _wants_json():
        return _json_error(status, message, "body" if status == TOO_LARGE else None)
    return render_template("errors/error.html", status=status, message=message), status


def _handle_api_error(error: ApiError) -> tuple[Response | str, int]:
    if _wants_json():
        return _json_error(error.status, error.message, error.parameter)
    page = render_template("errors/error.html", status=error.status, message=error.message)
    return page, error.status


def _handle_unexpected(error: Exception) -> tuple[Response | str, int]:
    if isinstance(error, DBAPIError):
        # The driver's message may quote the failing row (PostgreSQL's DETAIL line), and a
        # confidential address must never reach a log: the error's kind and code only.
        code = getattr(error.orig, "sqlstate", None) or ""
        kind = f"{type(error).__name__} ({type(error.orig).__name__} {code})".replace(" )", ")")
        logger.error("database error on %s: %s", printable(request.path), kind)
    else:
        logger.exception("unhandled error on %s", printable(request.path), exc_info=error)
    return _handle_http(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(ApiError, _handle_api_error)
    app.register_error_handler(Exception, _handle_unexpected)
