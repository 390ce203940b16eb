"""The search page and the printable short list."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from directory import geo
from directory.organisations import queries
from directory.organisations.labels import PHONE_TYPE_LABELS
from directory.organisations.models import ORGANISATION_TYPES, SERVICE_MODES
from directory.search import params, service
from directory.search.backend import IndexUnavailableError
from directory.search.messages import notice_message
from directory.search.results import Notice, SearchRequest

bp = Blueprint("search", __name__)

RADIUS_CHOICES = (10, 25, 50, 100, 250)


def _choices() -> dict[str, object]:
    regions, sectors = queries.regions(), queries.sectors()
    return {
        "regions": regions,
        "regions_by_code": {region.code: region for region in regions},
        "sectors": sectors,
        "sectors_by_code": {sector.code: sector for sector in sectors},
        "populations": queries.populations(),
        # Only what some service states: a filter never empties the directory for lack of data.
        "languages": service.stated_values("language"),
        "modes": [mode for mode in SERVICE_MODES if mode in service.stated_values("mode")],
        "types": ORGANISATION_TYPES,
        "radius_choices": RADIUS_CHOICES,
    }


# A bad place, radius or sort still shows the results of the words typed, without distances.
PLACE_PARAMETERS = ("near", "radius_km", "sort")


def _parse(args: MultiDict[str, str]) -> params.ParsedSearch:
    limit = current_app.config["PER_PAGE"]
    return params.parse(args, max_per_page=limit, default_per_page=limit)


def _without_place(error: params.ParameterError) -> tuple[params.ParsedSearch | None, list[str]]:
    """The search without its place when the place was the problem, and names close to it."""
    if error.parameter not in PLACE_PARAMETERS:
        return None, []
    args = MultiDict(request.args)
    for name in PLACE_PARAMETERS:
        args.pop(name, None)
    try:
        parsed = _parse(args)
    except params.ParameterError:
        return None, []
    near = request.args.get("near", "").strip()
    return parsed, (geo.close_place_names(near) if error.parameter == "near" else [])


def _error_page(error: params.ParameterError) -> tuple[str, int]:
    parsed, hints = _without_place(error)
    typed = SearchRequest(text=request.args.get("q", "").strip()[:200])
    result = None
    if parsed is not None:
        with suppress(IndexUnavailableError):
            result = service.search(parsed.request)
    page = render_template(
        "search/results.html",
        error=error,
        place_hints=hints,
        result=result,
        search=parsed.request if parsed else typed,
        pages=1,
        **_choices(),
    )
    return page, 400


@bp.get("/recherche")
def results() -> tuple[str, int] | str:
    try:
        parsed = _parse(request.args)
    except params.ParameterError as error:
        return _error_page(error)
    try:
        result = service.search(parsed.request)
    except IndexUnavailableError:
        page = render_template("search/results.html", unavailable=True, result=None, **_choices())
        return page, 503
    pages = max(1, -(-result.total // parsed.request.per_page))
    if parsed.request.page > pages:
        raise NotFound
    return render_template(
        "search/results.html",
        result=result,
        search=parsed.request,
        place=parsed.place,
        pages=pages,
        **_choices(),
    )


@bp.get("/liste")
def shortlist() -> str:
    """The caseworker's short list: kept in her browser only, rendered and printed there."""
    labels = {
        "remove": _("Retirer"),
        "removed": _("« %(name)s » ne fait plus partie de la liste."),
        "cleared": _("La liste a été vidée."),
        "email": _("Courriel"),
        "website": _("Site web"),
        "extension": _("poste"),
        "refer": _("Pour y diriger une personne :"),
        "offers": _("Ce qu'on y offre :"),
        "reach": _("Pour joindre :"),
        "no_contact": _("Coordonnées non fournies par l'organisme."),
        "verified": _("Vérifié le"),
        "unverified": _("Non vérifié par l'organisme"),
        "parent": _("Sous-programme de"),
        "phone_kinds": {code: str(label) for code, label in PHONE_TYPE_LABELS.items()},
    }
    # The handout's date: when the page was opened (shown in Québec's time zone).
    return render_template("search/shortlist.html", labels=labels, today=datetime.now(UTC))


@bp.app_template_global()
def search_url(**changes: object) -> str:
    """The current search with some parameters changed (None removes one); back to page 1."""
    args: dict[str, Any] = {key: value for key, value in request.args.items() if value}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for("search.results", **args)


@bp.app_template_filter("notice_message")
def notice_text(notice: Notice) -> str:
    return notice_message(notice)


@bp.app_template_filter("sector_of")
def sector_of(code: str, sectors_by_code: dict[str, object]) -> object:
    return sectors_by_code.get(code)
