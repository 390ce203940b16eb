"""How the interface writes numbers, distances, dates and stored values: one place, through Babel.

French by default: decimal comma (« 354,7 km »), long dates (« 30 novembre 2026 »), 24-hour
times without seconds (« 14:05 »), in Québec's time zone (`BABEL_DEFAULT_TIMEZONE`). Every
template formats through these filters, never with `round`, `str` or a slice of an ISO string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_date, format_decimal, format_time
from flask_babel import gettext as _

EMPTY = "—"


def number(value: float | Decimal | None, digits: int = 0) -> str:
    """A number in the interface's locale: `number(1234.5, 1)` → « 1 234,5 »."""
    if value is None:
        return EMPTY
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def km(value: float | None) -> str:
    """A distance: « 12,3 km ». Unknown stays unknown (never 0)."""
    if value is None:
        return _("distance inconnue")
    return _("%(km)s km", km=number(value, 1))


def _as_datetime(value: date | datetime | str) -> date | datetime:
    """A date or a moment; ISO text as stored in the audit trail. Flask-Babel shows moments in
    Québec's time zone (naive ones are UTC, as the database keeps them); a date stays as is."""
    if isinstance(value, str):
        return (
            date.fromisoformat(value)
            if len(value) == len("2026-11-30")
            else datetime.fromisoformat(value)
        )
    return value


def long_date(value: date | datetime | str | None) -> str:
    """« 30 novembre 2026 » (in Québec's time zone for a moment in time)."""
    if value is None or value == "":
        return EMPTY
    return format_date(_as_datetime(value), "long")


def short_time(value: datetime | str | None) -> str:
    """« 14:05 »: 24-hour clock in French, no seconds."""
    if value is None or value == "":
        return EMPTY
    return format_time(_as_datetime(value), "short")


def date_time(value: datetime | str | None) -> str:
    """« 30 novembre 2026 à 14:05 »: a long date and a time without seconds."""
    if value is None or value == "":
        return EMPTY
    moment = _as_datetime(value)
    if not isinstance(moment, datetime):
        return long_date(moment)
    return _("%(date)s à %(time)s", date=long_date(moment), time=short_time(moment))


def _looks_like_moment(value: str) -> bool:
    """ISO dates as the audit trail stores them ("2026-11-30" or "2026-11-30T14:05:33+00:00")."""
    if len(value) < len("2026-11-30") or value[4:5] != "-" or value[7:8] != "-":
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def display_value(value: object, labels: Mapping[str, object] | None = None) -> str:
    """A stored value as a person reads it: codes through `labels`, lists joined, booleans as
    Oui/Non, ISO dates as long dates, nothing as « — ». Unknown codes are shown as they are."""
    labels = labels or {}
    if value is None or value in ("", []):
        return EMPTY
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, str):
        return _display_text(value, labels)
    if isinstance(value, float | int | Decimal):
        return number(value, 0 if float(value).is_integer() else 1)
    if isinstance(value, Iterable):
        return ", ".join(display_value(item, labels) for item in value)
    return str(value)


def _display_text(value: str, labels: Mapping[str, object]) -> str:
    if value in labels:
        return str(labels[value])
    if _looks_like_moment(value):
        return date_time(value) if "T" in value else long_date(value)
    return value


def choice_labels(choices: Iterable[object] | None) -> dict[str, str]:
    """`{value: label}` of a WTForms field's choices (SelectChoice or (value, label) pairs)."""
    found: dict[str, str] = {}
    for choice in choices or ():
        if isinstance(choice, tuple | list):
            value, label = choice[0], choice[1]
        else:
            value, label = getattr(choice, "value", choice), getattr(choice, "label", choice)
        found[str(value)] = str(label)
    return found


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        number=number,
        km=km,
        long_date=long_date,
        short_time=short_time,
        date_time=date_time,
        display_value=display_value,
        choice_labels=choice_labels,
    )
