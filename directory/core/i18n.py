"""Language selection: French by default, English on request (a cookie remembers it)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale

from directory.extensions import babel

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The visitor's chosen language, French unless they picked English (French outside a
    request: a command's messages)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in languages else languages[0]


def current_language() -> str:
    return str(get_locale() or "fr")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_language"] = current_language
    app.context_processor(lambda: {"lang": current_language()})
