"""Turn a listing into search documents. Confidential street addresses never reach the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from directory.organisations.models import Location, Organisation, Service
from directory.reference.models import Region, Sector
from directory.search.analysis import words
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
    # Short labels only: the long ones put very common words ("femmes", "services") in every
    # document of a sector, which slowed broad queries for little; the thesaurus maps topics
    # to sector codes instead.
    return " ".join(f"{s.code} {s.short_fr} {s.short_en}" for s in sectors)


def _region_text(codes: list[str], labels: Labels) -> str:
    names = (labels.regions[c] for c in codes if c in labels.regions)
    return " ".join(" ".join(dict.fromkeys((r.label_fr, r.label_en))) for r in names)


def document_id(organisation_id: str, service_id: str | None) -> str:
    return f"{organisation_id}:{service_id or '-'}"


def _body(organisation: Organisation, service: Service | None) -> str:
    """Free text: descriptions, eligibility, how to refer, populations (French and English)."""
    parts = [organisation.description]
    if service is not None:
        parts += [service.description, service.eligibility, service.how_to_refer]
        parts += [f"{p.label_fr} {p.label_en}" for p in service.populations]
    return " ".join(part for part in parts if part)


def _payload(
    organisation: Organisation, service: Service | None, sectors: list[Sector]
) -> dict[str, Any]:
    """What a result shows, stored with the document: public fields only."""
    municipality = organisation.municipality
    parent = organisation.parent
    return {
        "org_id": str(organisation.id),
        "slug": organisation.slug,
        "name": organisation.name,
        "acronym": organisation.alternate_name,
        "parent": {"slug": parent.slug, "name": parent.name} if parent else None,
        "service_id": str(service.id) if service else None,
        "service_name": service.name if service else None,
        "regions": organisation.region_codes,
        "sectors": [s.code for s in sectors],
        "municipality": municipality.name if municipality else None,
        "points": [point for loc in organisation.locations if (point := _point(loc))],
        "remote": bool(service and REMOTE_MODES.intersection(service.mode_codes)),
        "verified_at": (
            organisation.last_verified_at.isoformat() if organisation.is_verified else None
        ),
        "verification_due_at": (
            organisation.verification_due_at.isoformat() if organisation.is_verified else None
        ),
        "type": organisation.type,
    }


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    return tuple(words(text))


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    return fold(text)


def _vocabulary(texts: list[str], sectors: list[Sector]) -> str:
    """Distinct unstemmed words of names, places and short sector labels. Word by word, the
    same as analysing them joined; most pieces repeat from one document to the next."""
    pieces = [*texts, *(f"{s.short_fr} {s.short_en}" for s in sectors)]
    return " ".join(dict.fromkeys(word for piece in pieces for word in _words(piece)))


def _document(
    organisation: Organisation, service: Service | None, labels: Labels
) -> dict[str, Any]:
    sectors = list(service.sectors if service else organisation.sectors)
    payload = _payload(organisation, service, sectors)
    region_text = _region_text(payload["regions"], labels)
    place_names = " ".join(
        sorted({loc.municipality.name for loc in organisation.locations if loc.municipality})
    )
    names = [
        organisation.name,
        organisation.alternate_name or "",
        (payload["parent"] or {}).get("name", ""),
    ]
    service_name = service.name if service else ""
    return {
        "doc_id": document_id(payload["org_id"], payload["service_id"]),
        "org_id": payload["org_id"],
        "name": f"{organisation.name} {organisation.alternate_name or ''}",
        "name_exact": _folded(organisation.name),
        "acronym_exact": fold(organisation.alternate_name) if organisation.alternate_name else None,
        "name_sort": f"{_folded(organisation.name)} {_folded(service_name)}".encode(),
        "parent_name": names[2],
        "service_name": service_name,
        "place": f"{place_names} {region_text}",
        "sector_text": _sector_text(sectors),
        "body": _body(organisation, service),
        "words": _vocabulary([*names, service_name, place_names, region_text], sectors),
        "region": ",".join(payload["regions"]),
        "sector": ",".join(payload["sectors"]),
        "population": ",".join(p.code for p in service.populations) if service else "",
        "language": ",".join(service.language_codes) if service else "",
        "mode": ",".join(service.mode_codes) if service else "",
        "type": organisation.type,
        "remote": payload["remote"],
        "verified": 1 if organisation.is_verified else 0,
        "payload": payload,
    }


def documents_for(organisation: Organisation, labels: Labels) -> list[dict[str, Any]]:
    """One document per service, or one for the organisation when it has none.

    Only the lexicon of `words` is read (the typo vocabulary), and a listing's documents are
    always added and deleted together: its first document carries the words of all of them,
    so each word is indexed once per listing instead of once per service. Unpublished and
    archived listings (and sub-programs of such) have none: they are not searchable.
    """
    if not organisation.is_public:
        return []
    services = organisation.services or [None]
    documents = [_document(organisation, service, labels) for service in services]
    vocabulary = dict.fromkeys(word for doc in documents for word in doc["words"].split())
    documents[0]["words"] = " ".join(vocabulary)
    for document in documents[1:]:
        document["words"] = None
    return documents
