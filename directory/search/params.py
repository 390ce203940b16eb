"""Read and check search parameters from a query string, for the API and the HTML page alike."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from directory import geo
from directory.core.params import MAX_PAGE, whole_number
from directory.extensions import db
from directory.organisations.models import ORGANISATION_TYPES, SERVICE_MODES
from directory.reference.models import Population, Region, Sector
from directory.search.results import SearchRequest

MAX_RADIUS_KM = 1500.0
SORTS = ("relevance", "distance")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class ParameterError(ValueError):
    """A bad search parameter, with a message for the person who sent it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class ParsedSearch:
    request: SearchRequest
    place: geo.Place | None


def _unknown(name: str, value: str) -> ParameterError:
    return ParameterError(
        name, _("Valeur inconnue pour « %(name)s » : %(value)s", name=name, value=value)
    )


def positive_int(
    args: MultiDict[str, str], name: str, default: int, maximum: int | None = None
) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    value = whole_number(raw)
    if value is None or value < 1:
        raise ParameterError(name, _("« %(name)s » doit être un entier positif.", name=name))
    maximum = MAX_PAGE if maximum is None else maximum
    if value > maximum:
        raise ParameterError(
            name, _("« %(name)s » ne peut pas dépasser %(maximum)s.", name=name, maximum=maximum)
        )
    return value


def filters(args: MultiDict[str, str], names: tuple[str, ...] | None = None) -> dict[str, str]:
    """Checked filter values from `args` (all filters, or only `names`)."""
    checks = {
        "region": lambda v: db.session.get(Region, v) is not None,
        "sector": lambda v: db.session.get(Sector, v) is not None,
        "population": lambda v: db.session.get(Population, v) is not None,
        "language": lambda v: bool(_LANGUAGE.match(v)),
        "mode": lambda v: v in SERVICE_MODES,
        "type": lambda v: v in ORGANISATION_TYPES,
    }
    found = {}
    for name, is_valid in checks.items():
        value = args.get(name, "").strip()
        if value and (names is None or name in names):
            if not is_valid(value):
                raise _unknown(name, value)
            found[name] = value
    return found


def _radius(args: MultiDict[str, str], place: geo.Place | None) -> float | None:
    raw = args.get("radius_km", "").strip()
    if not raw:
        return None
    if place is None:
        raise ParameterError("radius_km", _("« radius_km » demande aussi « near »."))
    try:
        radius = float(raw)
    except ValueError:
        radius = -1.0
    if not 0 < radius <= MAX_RADIUS_KM:
        raise ParameterError(
            "radius_km",
            _(
                "« radius_km » doit être un nombre entre 0 et %(maximum)s.",
                maximum=int(MAX_RADIUS_KM),
            ),
        )
    return radius


def parse(args: MultiDict[str, str], *, max_per_page: int, default_per_page: int) -> ParsedSearch:
    """A SearchRequest from query-string arguments; ParameterError names the first bad one."""
    near = args.get("near", "").strip()
    place = geo.resolve_place(near) if near else None
    if near and place is None:
        raise ParameterError("near", _("Lieu introuvable : %(value)s", value=near))
    sort = args.get("sort", "").strip() or ("distance" if place else "relevance")
    if sort not in SORTS:
        raise _unknown("sort", sort)
    if sort == "distance" and place is None:
        raise ParameterError("sort", _("Le tri par distance demande « near »."))
    request = SearchRequest(
        text=args.get("q", "").strip()[:200],
        filters=filters(args),
        near=place.point if place else None,
        near_region=place.region_code if place else None,
        near_label=place.label if place else None,
        radius_km=_radius(args, place),
        sort=sort,
        page=positive_int(args, "page", 1),
        per_page=positive_int(args, "per_page", default_per_page, max_per_page),
    )
    return ParsedSearch(request=request, place=place)
