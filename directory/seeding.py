"""Load `seed/`: reference tables (upserted) and the seed directory (created once, kept after)."""

from __future__ import annotations

import csv
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from directory.extensions import db
from directory.organisations.models import ORGANISATION_TYPES, Location, Organisation, Service
from directory.reference.models import Municipality, Population, PostalArea, Region, Sector
from directory.text import fold

logger = logging.getLogger(__name__)

# Seed listings get stable ids derived from their slug, so a re-seed finds them again.
SEED_NAMESPACE = uuid.UUID("5b0c1d5e-9a0f-4d47-8f61-3c1f0e7a2b94")
ORGANISATION_KEYS = {
    "slug",
    "name",
    "acronym",
    "type",
    "region",
    "sites",
    "services",
    "source",
    "sub_programmes",
}
SERVICE_KEYS = {"name", "sectors", "populations"}
SITE_KEYS = {"municipality", "confidential"}


class SeedError(ValueError):
    """A seed file that contradicts the reference data or the expected layout."""


@dataclass(frozen=True)
class ReferenceCounts:
    regions: int
    sectors: int
    populations: int
    municipalities: int
    postal_areas: int


@dataclass(frozen=True)
class OrganisationCounts:
    created: int
    kept: int


def seed_id(*parts: str) -> uuid.UUID:
    """The stable public id of a seed record."""
    return uuid.uuid5(SEED_NAMESPACE, "/".join(parts))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _optional_int(value: str) -> int | None:
    return int(value) if value else None


def _upsert(model: type[Any], key: str, rows: list[dict[str, Any]]) -> int:
    existing = {getattr(obj, key): obj for obj in db.session.scalars(select(model))}
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            db.session.add(model(**row))
        else:
            for field, value in row.items():
                setattr(obj, field, value)
    db.session.flush()
    return len(rows)


def _municipality_rows(seed_dir: Path) -> Iterator[dict[str, Any]]:
    for row in _read_csv(seed_dir / "municipalities.csv"):
        geonames_id = _optional_int(row["geonames_id"])
        yield {
            "key": f"geonames:{geonames_id}" if geonames_id else f"manual:{fold(row['name'])}",
            "geonames_id": geonames_id,
            "name": row["name"],
            "region_code": row["region_code"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
            "population": _optional_int(row["population"]),
            "region_source": row["region_source"],
        }


def _postal_area_rows(seed_dir: Path) -> Iterator[dict[str, Any]]:
    for row in _read_csv(seed_dir / "postal_areas.csv"):
        yield {
            "fsa": row["fsa"],
            "place": row["place"],
            "region_code": row["region_code"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
        }


def _positioned(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [{**row, "position": index} for index, row in enumerate(rows)]


def load_reference(
    seed_dir: Path, *, progress: Callable[[str], object] = logger.info
) -> ReferenceCounts:
    """Upsert regions, sectors, populations, municipalities and postal areas from `seed_dir`."""
    progress("Loading regions, sectors and populations…")
    regions = _upsert(Region, "code", _read_csv(seed_dir / "regions.csv"))
    sectors = _upsert(Sector, "code", _positioned(_read_csv(seed_dir / "sectors.csv")))
    populations = _upsert(Population, "code", _positioned(_read_csv(seed_dir / "populations.csv")))
    progress("Loading the gazetteer (municipalities and postal-code areas)…")
    municipalities = _upsert(Municipality, "key", list(_municipality_rows(seed_dir)))
    postal_areas = _upsert(PostalArea, "fsa", list(_postal_area_rows(seed_dir)))
    return ReferenceCounts(regions, sectors, populations, municipalities, postal_areas)


class _Resolver:
    """Turns codes and place names of the seed file into reference rows, or says what is wrong."""

    def __init__(self) -> None:
        self.regions = {r.code: r for r in db.session.scalars(select(Region))}
        self.sectors = {s.code: s for s in db.session.scalars(select(Sector))}
        self.populations = {p.code: p for p in db.session.scalars(select(Population))}
        self.places: dict[tuple[str, str], list[Municipality]] = {}
        for place in db.session.scalars(select(Municipality)):
            self.places.setdefault((place.name_key, place.region_code), []).append(place)

    def pick(self, table: dict[str, Any], codes: list[str], what: str, slug: str) -> list[Any]:
        unknown = [code for code in codes if code not in table]
        if unknown:
            raise SeedError(f"{slug}: unknown {what} {unknown}")
        return [table[code] for code in codes]

    def municipality(self, name: str, region: str, slug: str) -> Municipality:
        matches = self.places.get((fold(name), region), [])
        if not matches:
            raise SeedError(
                f"{slug}: municipality {name!r} not in the gazetteer for region {region}"
            )
        # Homonyms within a region: the most populous is the one a name alone designates.
        return max(matches, key=lambda place: place.population or 0)


def _check_keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = set(entry) - allowed
    if extra:
        raise SeedError(f"{where}: unexpected fields {sorted(extra)}")


def _build_service(
    entry: dict[str, Any], slug: str, index: int, region: Region, resolve: _Resolver
) -> Service:
    _check_keys(entry, SERVICE_KEYS, f"{slug} service {index}")
    return Service(
        id=seed_id(slug, "service", str(index)),
        name=entry["name"],
        sectors=resolve.pick(resolve.sectors, entry.get("sectors", []), "sectors", slug),
        populations=resolve.pick(
            resolve.populations, entry.get("populations", []), "populations", slug
        ),
        areas=[region],
    )


def _build_site(
    entry: dict[str, Any], slug: str, index: int, region: Region, resolve: _Resolver
) -> Location:
    _check_keys(entry, SITE_KEYS, f"{slug} site {index}")
    name = entry.get("municipality")
    return Location(
        id=seed_id(slug, "site", str(index)),
        position=index,
        region_code=region.code,
        municipality=resolve.municipality(name, region.code, slug) if name else None,
        confidential=bool(entry.get("confidential", False)),
    )


def _build_organisation(
    entry: dict[str, Any], resolve: _Resolver, parent: Organisation | None
) -> Organisation:
    slug = entry["slug"]
    _check_keys(entry, ORGANISATION_KEYS, slug)
    region_code = entry.get("region") or (parent.locations[0].region_code if parent else "")
    if region_code not in resolve.regions:
        raise SeedError(f"{slug}: unknown region {region_code!r}")
    if entry["type"] not in ORGANISATION_TYPES:
        raise SeedError(f"{slug}: unknown type {entry['type']!r}")
    region = resolve.regions[region_code]
    organisation = Organisation(
        id=seed_id(slug),
        slug=slug,
        name=entry["name"],
        alternate_name=entry.get("acronym"),
        type=entry["type"],
        parent=parent,
        source_note=entry.get("source"),
        verification_status="unverified",
    )
    organisation.services = [
        _build_service(item, slug, i, region, resolve)
        for i, item in enumerate(entry.get("services", []))
    ]
    organisation.locations = [
        _build_site(item, slug, i, region, resolve)
        for i, item in enumerate(entry.get("sites") or [{}])
    ]
    for service in organisation.services:
        service.locations = list(organisation.locations)
    return organisation


def _walk(
    entries: list[dict[str, Any]], parent: dict[str, Any] | None = None
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    for entry in entries:
        yield entry, parent
        yield from _walk(entry.get("sub_programmes", []), entry)


def read_organisations(seed_dir: Path) -> list[dict[str, Any]]:
    """The seed directory as written in `organisations.yaml`, checked for duplicate slugs."""
    with (seed_dir / "organisations.yaml").open(encoding="utf-8") as handle:
        entries: list[dict[str, Any]] = yaml.safe_load(handle)
    slugs = [entry["slug"] for entry, _parent in _walk(entries)]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise SeedError(f"duplicate slugs in the seed directory: {duplicates}")
    return entries


def load_organisations(seed_dir: Path) -> OrganisationCounts:
    """Create the seed listings missing from the database; existing ones are left as they are."""
    resolve = _Resolver()
    created = kept = 0
    by_slug: dict[str, Organisation] = {}
    for entry, parent_entry in _walk(read_organisations(seed_dir)):
        existing = db.session.get(Organisation, seed_id(entry["slug"]))
        if existing is not None:
            by_slug[entry["slug"]] = existing
            kept += 1
            continue
        parent = by_slug[parent_entry["slug"]] if parent_entry else None
        organisation = _build_organisation(entry, resolve, parent)
        db.session.add(organisation)
        by_slug[entry["slug"]] = organisation
        created += 1
    db.session.flush()
    logger.info("seed directory: %d created, %d kept", created, kept)
    return OrganisationCounts(created, kept)
