"""The search page and the printable short list."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from werkzeug.exceptions import NotFound

from directory.organisations import queries
from directory.organisations.models import ORGANISATION_TYPES, SERVICE_MODES
from directory.search import params, service
from directory.search.index import IndexUnavailableError

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
        "modes": SERVICE_MODES,
        "types": ORGANISATION_TYPES,
        "radius_choices": RADIUS_CHOICES,
    }


@bp.get("/recherche")
def results() -> tuple[str, int] | str:
    try:
        parsed = params.parse(
            request.args,
            max_per_page=current_app.config["PER_PAGE"],
            default_per_page=current_app.config["PER_PAGE"],
        )
    except params.ParameterError as error:
        page = render_template("search/results.html", error=error, result=None, **_choices())
        return page, 400
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
    return render_template("search/shortlist.html")


@bp.app_template_global()
def search_url(**changes: object) -> str:
    """The current search with some parameters changed (None removes one); back to page 1."""
    args = {key: value for key, value in request.args.items() if value}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for("search.results", **args)


@bp.app_template_filter("sector_of")
def sector_of(code: str, sectors_by_code: dict[str, object]) -> object:
    return sectors_by_code.get(code)
