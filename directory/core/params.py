"""Whole numbers from query strings, bounded: a huge page number is a clear 400, not a
database overflow."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from directory.core.errors import ApiError

# Far beyond any real directory (a million listings at 10 a page), far below an overflow.
MAX_PAGE = 100_000
_WHOLE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() also takes "٣" and "1_0"


def whole_number(raw: str) -> int | None:
    """`raw` as a non-negative whole number of at most nine digits, else None."""
    return int(raw) if _WHOLE.fullmatch(raw) else None


def page_number(args: MultiDict[str, str], name: str = "page") -> int:
    """The page asked for in a query string (1 when absent); a 400 naming it otherwise."""
    raw = args.get(name, "").strip()
    if not raw:
        return 1
    value = whole_number(raw)
    if value is None or not 1 <= value <= MAX_PAGE:
        message = _(
            "« %(name)s » doit être un entier entre 1 et %(maximum)s.", name=name, maximum=MAX_PAGE
        )
        raise ApiError(message, parameter=name)
    return value
