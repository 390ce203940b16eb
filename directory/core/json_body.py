"""Read a JSON request body safely: every API endpoint that takes JSON goes through here.

Limits (each refusal is a 400 in the API's error format, naming the field when one is to
blame, else `body`):

- the body is a JSON object (an array, a string, a number or invalid JSON is refused, `body`);
- nesting stays shallow: `MAX_DEPTH` levels, the object itself included (the parser's own
  recursion limit is never reached by a crafted body of a million brackets: `body`);
- numbers are finite: `NaN`, `Infinity` and overflowing literals such as `1e999` are refused
  (the top-level field that holds one is named);
- a key appears once per object (the repeated key is named).

The size itself is bounded before: the `MAX_CONTENT_LENGTH` setting (1 MB, `config`) makes a
larger body a 413 in the same error format.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import request
from flask_babel import gettext as _

from directory.core.errors import ApiError

MAX_DEPTH = 4  # object → list → value, with a level to spare
BODY = "body"


class _NonFinite:
    """Stands for a NaN or infinite number until the top-level field holding it is known."""


_NON_FINITE = _NonFinite()


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _constant(_text: str) -> _NonFinite:
    return _NON_FINITE


def _float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NON_FINITE


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKeyError(key)
        found[key] = value
    return found


def read_object() -> dict[str, Any]:
    """The request's JSON body as a dict, or an `ApiError` saying what is wrong with it."""
    if not request.is_json:
        raise ApiError(
            _("Le corps de la requête doit être un objet JSON (Content-Type: application/json)."),
            parameter=BODY,
        )
    raw = request.get_data(cache=True)  # beyond MAX_CONTENT_LENGTH: a 413, before parsing
    try:
        body = json.loads(
            raw,
            parse_constant=_constant,
            parse_float=_float,
            object_pairs_hook=_unique_keys,
        )
    except RecursionError as error:
        raise ApiError(_too_deep(), parameter=BODY) from error
    except _RepeatedKeyError as error:
        raise ApiError(
            _("Champ en double : %(key)s.", key=error.key), parameter=error.key
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(
            _("Le corps de la requête n'est pas du JSON valide."), parameter=BODY
        ) from error
    if not isinstance(body, dict):
        raise ApiError(_("Le corps de la requête doit être un objet JSON."), parameter=BODY)
    for key, value in body.items():
        _check_value(key, value)
    return body


def _check_value(key: str, value: object) -> None:
    """Depth and finiteness of one top-level field, without recursion."""
    stack: list[tuple[object, int]] = [(value, 2)]
    while stack:
        item, depth = stack.pop()
        if item is _NON_FINITE:
            raise ApiError(_("Les nombres doivent être finis (ni NaN ni infini)."), parameter=key)
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise ApiError(_too_deep(), parameter=key)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def _too_deep() -> str:
    return _("Le corps de la requête est trop imbriqué (au plus %(num)s niveaux).", num=MAX_DEPTH)
