"""Browsing the directory: home → region → sector → organisation."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from werkzeug.exceptions import NotFound

from directory.accounts.auth import current_user
from directory.accounts.permissions import can_edit, can_see_experts
from directory.core.params import page_number
from directory.expertise import queries as expertise_queries
from directory.extensions import db
from directory.organisations import labels, queries
from directory.organisations.models import Organisation
from directory.reference.models import Region, Sector

bp = Blueprint("organisations", __name__)


@bp.record_once
def _register_labels(state: BlueprintSetupState) -> None:
    # Globals rather than a context processor: imported macros see globals only.
    state.app.jinja_env.globals.update(labels.template_globals())
    state.app.jinja_env.filters.update(labels.template_filters())


def _region_or_404(code: str) -> Region:
    region = db.session.get(Region, code)
    if region is None:
        raise NotFound
    return region


def _sector_or_404(code: str) -> Sector:
    sector = db.session.get(Sector, code.upper())
    if sector is None:
        raise NotFound
    return sector


def _page_of(stmt: Select[tuple[Organisation]]) -> Pagination:
    page = page_number(request.args)
    return queries.paginate(stmt, page=page, per_page=current_app.config["PER_PAGE"])


@bp.get("/")
def home() -> str:
    return render_template(
        "organisations/home.html",
        regions=queries.regions(),
        region_counts=queries.region_counts(),
        sectors=queries.sectors(),
        sector_counts=queries.sector_counts(),
    )


@bp.get("/regions/<code>")
def region(code: str) -> str:
    region = _region_or_404(code)
    return render_template(
        "organisations/region.html",
        region=region,
        sectors=queries.sectors(),
        sector_counts=queries.sector_counts(region.code),
        pagination=_page_of(queries.filter_organisations(region=region.code)),
    )


@bp.get("/regions/<code>/secteurs/<sector_code>")
def region_sector(code: str, sector_code: str) -> str:
    region, sector = _region_or_404(code), _sector_or_404(sector_code)
    stmt = queries.filter_organisations(region=region.code, sector=sector.code)
    return render_template(
        "organisations/region_sector.html",
        region=region,
        sector=sector,
        pagination=_page_of(stmt),
    )


@bp.get("/secteurs/<sector_code>")
def sector(sector_code: str) -> str:
    sector = _sector_or_404(sector_code)
    return render_template(
        "organisations/sector.html",
        sector=sector,
        regions_by_code={region.code: region for region in queries.regions()},
        pagination=_page_of(queries.filter_organisations(sector=sector.code)),
    )


@bp.get("/organismes/<slug>")
def organisation(slug: str) -> str:
    found = queries.organisation_by_slug(slug)
    # Unpublished or archived listings exist only for those who may edit them (a preview).
    if found is None or not (found.is_public or can_edit(current_user(), found)):
        raise NotFound
    experts_visible = can_see_experts(current_user())
    return render_template(
        "organisations/detail.html",
        organisation=found,
        regions_by_code={region.code: region for region in queries.regions()},
        editable=can_edit(current_user(), found),
        offer=expertise_queries.offer_for(found) if experts_visible else None,
        experts=expertise_queries.experts_for(found) if experts_visible else None,
    )
