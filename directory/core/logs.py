"""Log lines that a visitor cannot forge: control characters from requests are escaped."""

from __future__ import annotations

import logging
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(value: object) -> str:
    """`value` as text on one line: CR, LF, NUL and other control characters escaped."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), str(value))


class EscapeControlCharacters(logging.Filter):
    """Escape control characters in a record's arguments (the message templates are ours).

    A path such as `/x%0A2026-01-01 INFO forged` would otherwise write a second, forged line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                arg if isinstance(arg, int | float) else printable(arg) for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {key: printable(arg) for key, arg in record.args.items()}
        return True


def init_app() -> None:
    """Install the filter on the root logger's handlers (once)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, EscapeControlCharacters) for f in handler.filters):
            handler.addFilter(EscapeControlCharacters())
