"""Control characters are refused at the door: a NUL byte in a path, a query string, a
form or a JSON body is a 400 naming where it was, never a database error (PostgreSQL
refuses NUL in text) or a forged line in a log or a header (CR, LF)."""

from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import gettext as _

from directory.core.errors import ApiError

# In paths and query strings nothing below a space; in form values, tabs and line breaks
# are text (a description's paragraphs).
_IN_URL = re.compile(r"[\x00-\x1f\x7f]")
_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same in a JSON text, where they can only appear escaped: \u0000 to \u001f (but \t,
# \n, \r) and \u007f, after an even number of backslashes (an odd one escapes the `\`).
_IN_JSON = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _refuse(parameter: str) -> ApiError:
    parameter = _IN_URL.sub("?", parameter) or "query"  # a nameless one is still named
    message = _("Caractère de contrôle interdit dans « %(name)s ».", name=parameter)
    return ApiError(message, parameter=parameter)


def _check_url() -> None:
    if _IN_URL.search(request.path):
        raise _refuse("path")
    for key, value in request.args.items(multi=True):
        if _IN_URL.search(key) or _IN_URL.search(value):
            raise _refuse(key)


def _check_body() -> None:
    if request.mimetype in FORM_TYPES:
        for key, value in request.form.items(multi=True):
            if _IN_URL.search(key) or _IN_TEXT.search(value):
                raise _refuse(key)
    elif request.is_json and _IN_JSON.search(request.get_data(cache=True)):
        raise _refuse("body")


def _check_request() -> None:
    _check_url()
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        _check_body()


def init_app(app: Flask) -> None:
    # First of the before-request hooks: nothing reads the request before it is checked.
    app.before_request_funcs.setdefault(None, []).insert(0, _check_request)
