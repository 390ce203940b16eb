"""Read queries for browsing the directory and for the API."""

from __future__ import annotations

import uuid

from flask_sqlalchemy.pagination import Pagination
from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, Select, and_, distinct, func, or_, select, union
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.selectable import Subquery

from directory.extensions import db
from directory.organisations.models import (
    Contact,
    Location,
    Organisation,
    Phone,
    Service,
    service_areas,
    service_sectors,
)
from directory.reference.models import Population, Region, Sector
from directory.text import fold


def public_clause() -> ColumnElement[bool]:
    """SQL for `Organisation.is_public`: published, not archived, under a public parent if any."""
    parent = aliased(Organisation)
    public_parents = select(parent.id).where(parent.published, parent.archived_at.is_(None))
    return and_(
        Organisation.published,
        Organisation.archived_at.is_(None),
        or_(Organisation.parent_id.is_(None), Organisation.parent_id.in_(public_parents)),
    )


def _public_ids() -> Select[tuple[uuid.UUID]]:
    return select(Organisation.id).where(public_clause())


def _organisation_regions() -> Subquery:
    """(organisation_id, region_code) pairs: regions of its sites and of its services' areas."""
    return union(
        select(
            Location.organisation_id.label("organisation_id"),
            Location.region_code.label("region_code"),
        ).where(Location.archived_at.is_(None), Location.organisation_id.in_(_public_ids())),
        select(Service.organisation_id, service_areas.c.region_code)
        .join(service_areas, service_areas.c.service_id == Service.id)
        .where(Service.archived_at.is_(None), Service.organisation_id.in_(_public_ids())),
    ).subquery("organisation_regions")


def _organisation_sectors() -> Subquery:
    """(organisation_id, sector_code) pairs from its services."""
    return (
        select(
            Service.organisation_id.label("organisation_id"),
            service_sectors.c.sector_code.label("sector_code"),
        )
        .join(service_sectors, service_sectors.c.service_id == Service.id)
        .where(Service.archived_at.is_(None), Service.organisation_id.in_(_public_ids()))
        .subquery("organisation_sectors")
    )


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))


def sectors() -> list[Sector]:
    return list(db.session.scalars(select(Sector).order_by(Sector.position)))


def populations() -> list[Population]:
    return list(db.session.scalars(select(Population).order_by(Population.position)))


def region_counts() -> dict[str, int]:
    """Number of listings (organisations and sub-programs) per region code."""
    pairs = _organisation_regions()
    stmt = select(pairs.c.region_code, func.count(distinct(pairs.c.organisation_id))).group_by(
        pairs.c.region_code
    )
    return dict(db.session.execute(stmt).tuples().all())


def sector_counts(region_code: str | None = None) -> dict[str, int]:
    """Number of listings per sector code, within one region when given."""
    by_sector = _organisation_sectors()
    stmt = select(by_sector.c.sector_code, func.count(distinct(by_sector.c.organisation_id)))
    if region_code is not None:
        stmt = stmt.where(by_sector.c.organisation_id.in_(_ids_in_region(region_code)))
    stmt = stmt.group_by(by_sector.c.sector_code)
    return dict(db.session.execute(stmt).tuples().all())


def listing_regions_and_sectors() -> list[tuple[uuid.UUID, str, str]]:
    """(listing id, region code, sector code) for every public listing: each region of its
    sites and service areas with each sector of its services, as the browse pages count."""
    pairs, by_sector = _organisation_regions(), _organisation_sectors()
    stmt = select(pairs.c.organisation_id, pairs.c.region_code, by_sector.c.sector_code).join(
        by_sector, by_sector.c.organisation_id == pairs.c.organisation_id
    )
    return list(db.session.execute(stmt.distinct()).tuples())


def public_parents() -> dict[uuid.UUID, uuid.UUID | None]:
    """Every public listing's parent (None for a top-level organisation)."""
    stmt = select(Organisation.id, Organisation.parent_id).where(public_clause())
    return dict(db.session.execute(stmt).tuples().all())


def _ids_in_region(region_code: str) -> Select[tuple[uuid.UUID]]:
    pairs = _organisation_regions()
    return select(pairs.c.organisation_id).where(pairs.c.region_code == region_code)


def _ids_in_sector(sector_code: str) -> Select[tuple[uuid.UUID]]:
    by_sector = _organisation_sectors()
    return select(by_sector.c.organisation_id).where(by_sector.c.sector_code == sector_code)


def _with_listing_details(stmt: Select[tuple[Organisation]]) -> Select[tuple[Organisation]]:
    return stmt.options(
        selectinload(Organisation.parent),
        selectinload(Organisation.services).selectinload(Service.sectors),
        selectinload(Organisation.services).selectinload(Service.areas),
        selectinload(Organisation.locations).selectinload(Location.municipality),
    )


def public_organisations(*, with_services: bool = False) -> list[Organisation]:
    """Published, non-archived organisations, by name; `with_services` loads what the
    matching inputs need (services with their codes, sites with their municipality)."""
    stmt = select(Organisation).where(public_clause()).order_by(Organisation.name_key)
    if with_services:
        stmt = stmt.options(
            selectinload(Organisation.services).selectinload(Service.sectors),
            selectinload(Organisation.services).selectinload(Service.languages),
            selectinload(Organisation.services).selectinload(Service.areas),
            selectinload(Organisation.services).selectinload(Service.populations),
            selectinload(Organisation.locations).selectinload(Location.municipality),
        )
    return list(db.session.scalars(stmt))


def filter_organisations(
    *, region: str | None = None, sector: str | None = None, text: str | None = None
) -> Select[tuple[Organisation]]:
    """Public organisations in `region`, with `sector`, whose name or acronym has every word
    of `text`."""
    stmt = select(Organisation).where(public_clause())
    if region:
        stmt = stmt.where(Organisation.id.in_(_ids_in_region(region)))
    if sector:
        stmt = stmt.where(Organisation.id.in_(_ids_in_sector(sector)))
    for word in fold(text or "").split():
        stmt = stmt.where(
            or_(
                Organisation.name_key.contains(word, autoescape=True),
                func.lower(Organisation.alternate_name).contains(word, autoescape=True),
            )
        )
    return _with_listing_details(stmt.order_by(Organisation.name_key, Organisation.id))


def paginate(stmt: Select[tuple[Organisation]], *, page: int, per_page: int) -> Pagination:
    """A page of results; a page past the end is a 404 for HTML callers."""
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=per_page, count=True)


def organisation_by_slug(slug: str) -> Organisation | None:
    """Any organisation with that slug, public or not: callers check `is_public` or rights."""
    stmt = _with_listing_details(select(Organisation).where(Organisation.slug == slug))
    return db.session.scalars(
        stmt.options(
            selectinload(Organisation.sub_programmes),
            selectinload(Organisation.phones),
            selectinload(Organisation.contacts),
        )
    ).first()


def organisation_by_id_or_slug(value: str) -> Organisation | None:
    """Look an organisation up by its public UUID or by its slug."""
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        return organisation_by_slug(value)
    stmt = _with_listing_details(select(Organisation).where(Organisation.id == public_id))
    return db.session.scalars(stmt).first()


def suggest_names(folded: str, *, limit: int) -> list[Organisation]:
    """Names for autocomplete: a word of the name (or the acronym) starting with `folded`,
    then close spellings (rapidfuzz) when that finds few."""
    prefix = folded.replace("%", "").replace("_", "")
    stmt = (
        select(Organisation)
        .where(public_clause())
        .where(
            or_(
                Organisation.name_key.startswith(prefix),
                Organisation.name_key.contains(f" {prefix}"),
                func.lower(Organisation.alternate_name).startswith(prefix),
            )
        )
        .order_by(Organisation.name_key)
        .limit(limit)
    )
    found = list(db.session.scalars(stmt))
    if len(found) >= limit // 2:
        return found
    public_names = select(Organisation.id, Organisation.name_key).where(public_clause())
    names = dict(db.session.execute(public_names).tuples().all())
    close = process.extract(prefix, names, scorer=fuzz.partial_ratio, score_cutoff=80, limit=limit)
    seen = {org.id for org in found}
    extra = [key for _name, _score, key in close if key not in seen][: limit - len(found)]
    # (One removed meanwhile is left out.)
    found += [org for key in extra if (org := db.session.get(Organisation, key)) is not None]
    return found


def archived_parts(
    organisation: Organisation,
) -> dict[str, list[Service | Location | Contact | Phone]]:
    """An organisation's archived services, sites, contacts and phones (collections hide them)."""
    found: dict[str, list[Service | Location | Contact | Phone]] = {}
    parts = (
        ("services", Service),
        ("lieux", Location),
        ("contacts", Contact),
        ("telephones", Phone),
    )
    for key, model in parts:
        found[key] = list(
            db.session.scalars(
                select(model).where(
                    model.organisation_id == organisation.id, model.archived_at.is_not(None)
                )
            )
        )
    return found
