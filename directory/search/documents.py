"""Turn a listing into search documents. Confidential street addresses never reach the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from directory.organisations.models import Location, Organisation, Service
from directory.reference.models import Region, Sector
from directory.text import fold

REMOTE_MODES = frozenset({"phone", "video", "chat"})


@dataclass(frozen=True)
class Labels:
    """Reference labels a document needs, looked up once per indexing run."""

    regions: dict[str, Region]
    sectors: dict[str, Sector] = field(default_factory=dict)


def _point(location: Location) -> tuple[float, float] | None:
    """Where a site is for distances: its coordinates, or its municipality's centroid when
    confidential (a shelter's own position must not leave the database)."""
    if (
        not location.confidential
        and location.latitude is not None
        and location.longitude is not None
    ):
        return (location.latitude, location.longitude)
    if location.municipality is not None:
        return (location.municipality.latitude, location.municipality.longitude)
    return None


def _sector_text(sectors: list[Sector]) -> str:
    return " ".join(
        f"{s.code} {s.short_fr} {s.short_en} {s.label_fr} {s.label_en}" for s in sectors
    )


def _region_text(codes: list[str], labels: Labels) -> str:
    return " ".join(
        f"{labels.regions[c].label_fr} {labels.regions[c].label_en}"
        for c in codes
        if c in labels.regions
    )


def document_id(organisation_id: str, service_id: str | None) -> str:
    return f"{organisation_id}:{service_id or '-'}"


def _document(
    organisation: Organisation, service: Service | None, labels: Labels
) -> dict[str, Any]:
    sectors = service.sectors if service else organisation.sectors
    populations = [p.code for p in service.populations] if service else []
    languages = service.language_codes if service else []
    modes = service.mode_codes if service else []
    regions = organisation.region_codes
    municipality = organisation.municipality
    parent_name = organisation.parent.name if organisation.parent else ""
    points = [point for location in organisation.locations if (point := _point(location))]
    population_text = (
        " ".join(f"{p.label_fr} {p.label_en}" for p in service.populations) if service else ""
    )
    body = " ".join(
        part
        for part in (
            organisation.description,
            service.description if service else "",
            service.eligibility if service else "",
            service.how_to_refer if service else "",
            population_text,
        )
        if part
    )
    place_names = " ".join(
        sorted({loc.municipality.name for loc in organisation.locations if loc.municipality})
    )
    names = [
        organisation.name,
        organisation.alternate_name or "",
        parent_name,
        service.name if service else "",
    ]
    return {
        "doc_id": document_id(str(organisation.id), str(service.id) if service else None),
        "org_id": str(organisation.id),
        "name": organisation.name,
        "acronym": organisation.alternate_name or "",
        "name_exact": fold(organisation.name),
        "name_sort": f"{fold(organisation.name)} {fold(service.name) if service else ''}",
        "acronym_exact": fold(organisation.alternate_name or ""),
        "parent_name": parent_name,
        "service_name": service.name if service else "",
        "municipality": place_names,
        "sector_text": _sector_text(list(sectors)),
        "region_name": _region_text(regions, labels),
        "body": body,
        "words": " ".join(
            [*names, place_names, _region_text(regions, labels)]
            + [f"{s.short_fr} {s.short_en}" for s in sectors]
        ),
        "region": ",".join(regions),
        "sector": ",".join(s.code for s in sectors),
        "population": ",".join(populations),
        "language": ",".join(languages),
        "mode": ",".join(modes),
        "type": organisation.type,
        "remote": bool(REMOTE_MODES.intersection(modes)),
        "verified": 1 if organisation.is_verified else 0,
        "payload": {
            "org_id": str(organisation.id),
            "slug": organisation.slug,
            "name": organisation.name,
            "acronym": organisation.alternate_name,
            "parent": {"slug": organisation.parent.slug, "name": parent_name}
            if organisation.parent
            else None,
            "service_id": str(service.id) if service else None,
            "service_name": service.name if service else None,
            "regions": regions,
            "sectors": [s.code for s in sectors],
            "municipality": municipality.name if municipality else None,
            "points": points,
            "remote": bool(REMOTE_MODES.intersection(modes)),
            "verified_at": organisation.last_verified_at.isoformat()
            if organisation.is_verified
            else None,
            "type": organisation.type,
        },
    }


def documents_for(organisation: Organisation, labels: Labels) -> list[dict[str, Any]]:
    """One document per service, or one for the organisation when it has none."""
    if not organisation.services:
        return [_document(organisation, None, labels)]
    return [_document(organisation, service, labels) for service in organisation.services]
