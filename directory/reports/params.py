"""The evaluation report's filters from a query string, for the API and the page alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from directory.evaluations.codes import MEETING_TYPES, ROUNDS
from directory.evaluations.report import Filters
from directory.extensions import db
from directory.reference.models import Region

NAMES = ("region", "from", "to", "meeting_type", "round")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FilterError(ValueError):
    """Bad filters: every offending parameter with its message."""

    problems: dict[str, str]

    @property
    def parameter(self) -> str:
        return next(iter(self.problems))

    @property
    def message(self) -> str:
        return " ".join(self.problems.values())


def _date(args: MultiDict[str, str], name: str, problems: dict[str, str]) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        if _ISO_DATE.match(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    problems[name] = _(
        "« %(name)s » doit être une date AAAA-MM-JJ : %(value)s.", name=name, value=raw
    )
    return None


def _choice(
    args: MultiDict[str, str], name: str, allowed: tuple[str, ...], problems: dict[str, str]
) -> str | None:
    raw = args.get(name, "").strip()
    if raw and raw not in allowed:
        problems[name] = _(
            "Valeur inconnue pour « %(name)s » : %(value)s (attendu : %(allowed)s).",
            name=name,
            value=raw,
            allowed=", ".join(allowed),
        )
        return None
    return raw or None


def parse(args: MultiDict[str, str]) -> Filters:
    """The filters in `args` (empty values mean all); FilterError names every bad one."""
    problems: dict[str, str] = {}
    region = args.get("region", "").strip() or None
    if region is not None and db.session.get(Region, region) is None:
        problems["region"] = _("Région inconnue : %(value)s.", value=region)
    start, end = _date(args, "from", problems), _date(args, "to", problems)
    if start and end and start > end:
        problems["to"] = _("« to » doit suivre « from ».")
    filters = Filters(
        region=region,
        start=start,
        end=end,
        meeting_type=_choice(args, "meeting_type", MEETING_TYPES, problems),
        round=_choice(args, "round", ROUNDS, problems),
    )
    if problems:
        raise FilterError(problems)
    return filters


def query_string(args: MultiDict[str, str]) -> str:
    """The filters of `args` only (non-empty), to carry them to the CSV exports."""
    return urlencode([(name, args[name]) for name in NAMES if args.get(name, "").strip()])
