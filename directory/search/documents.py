"""Turn a listing into search documents. Confidential street addresses never reach the index.

A listing is an ORM `Organisation` or the bulk-read `loading.Listing` (same attributes): the
index is built from the latter, and tests check that both give the same documents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from directory.organisations.models import Location, Organisation, Phone, Service
from directory.reference.models import Region, Sector
from directory.search.analysis import words
from directory.search.loading import Listing, Offer, PhoneRow, Site
from directory.text import fold

REMOTE_MODES = frozenset({"phone", "video", "chat"})
# Indexed in the language and mode fields of a service that states none: counted as the
# facets' "unknown" value, and kept (after the others) by a language or mode filter.
UNKNOWN = "unknown"
# Fields whose values are filtered on and counted (facets), in the order facets are listed.
FACET_FIELDS = ("region", "sector", "population", "language", "mode", "type")
DIGEST = "digest"  # the payload key holding a document's content digest
# Phones in the order a person should try them: crisis lines first, fax last.
PHONE_ORDER = ("hotline", "voice", "text", "tty", "fax")
DESCRIPTION_CHARACTERS = 300  # what a result card and the printed list show of a description

Point = tuple[float, float]
# Each ORM row and its bulk-read counterpart (`loading`).
AnyListing = Organisation | Listing
AnyService = Service | Offer
AnySite = Location | Site
AnyPhone = Phone | PhoneRow


@dataclass(frozen=True)
class Labels:
    """Reference labels a document needs, looked up once per indexing run."""

    regions: dict[str, Region]
    sectors: dict[str, Sector] = field(default_factory=dict)
    centroids: dict[str, Point] = field(default_factory=dict)  # region code → centroid


def _point(location: AnySite) -> tuple[float, float, str] | None:
    """Where a site is for distances, and on what that is based: its coordinates ("site"),
    or its municipality's centroid ("municipality") when it has none or is confidential (a
    shelter's own position must not leave the database)."""
    if (
        not location.confidential
        and location.latitude is not None
        and location.longitude is not None
    ):
        return (location.latitude, location.longitude, "site")
    if location.municipality is not None:
        return (location.municipality.latitude, location.municipality.longitude, "municipality")
    return None


def _positions(
    organisation: AnyListing, service: AnyService | None
) -> list[tuple[float, float, str]]:
    """The service's sites, else its organisation's; else the organisation's municipality."""
    sites = [loc for loc in service.locations if loc.archived_at is None] if service else []
    found = [point for loc in sites or organisation.locations if (point := _point(loc))]
    if not found and organisation.municipality is not None:
        place = organisation.municipality
        found = [(place.latitude, place.longitude, "municipality")]
    return found


def _areas(organisation: AnyListing, service: AnyService | None) -> list[str]:
    """Regions the service serves: its service areas, else its organisation's regions."""
    codes = [area.code for area in service.areas] if service else []
    return codes or organisation.region_codes


def _distance_basis(
    organisation: AnyListing, service: AnyService | None, labels: Labels
) -> dict[str, Any]:
    """Positions for distances. Without a site or municipality, the centroids of the regions
    served stand in (basis "region"): « dessert votre région » when the place is in one."""
    positions = _positions(organisation, service)
    areas = _areas(organisation, service)
    return {
        "points": [[lat, lon] for lat, lon, _basis in positions],
        "point_bases": [basis for _lat, _lon, basis in positions],
        "areas": areas,
        "area_points": (
            {}
            if positions
            else {code: list(labels.centroids[code]) for code in areas if code in labels.centroids}
        ),
    }


def _phones(organisation: AnyListing, service: AnyService | None) -> list[dict[str, Any]]:
    """Public phones of the service (its own, then its organisation's), crisis lines first."""
    service_id = service.id if service else None
    phones = [
        phone
        for phone in organisation.phones
        if phone.service_id is None or phone.service_id == service_id
    ]

    def order(phone: AnyPhone) -> tuple[int, int, str, str]:
        kind = PHONE_ORDER.index(phone.type) if phone.type in PHONE_ORDER else len(PHONE_ORDER)
        own = 0 if phone.service_id is not None else 1
        return (kind, own, phone.number, phone.extension or "")

    return [
        {
            "number": phone.number,
            "extension": phone.extension or None,
            "kind": phone.type,
            "hours": phone.hours or None,
            "description": phone.description or None,
        }
        for phone in sorted(phones, key=order)
    ]


def _contacts(organisation: AnyListing, service: AnyService | None) -> dict[str, Any]:
    """How to reach the service: public phones, e-mail and web site (the service's own, else
    its organisation's). Expert contacts are never here: they are for facilitators only."""
    return {
        "phones": _phones(organisation, service),
        "email": (service.email if service else None) or organisation.email or None,
        "website": (service.url if service else None) or organisation.website or None,
    }


def _short(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_CHARACTERS:
        return text
    return text[: DESCRIPTION_CHARACTERS - 1].rsplit(" ", 1)[0] + "…"


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


def _body(organisation: AnyListing, service: AnyService | None) -> str:
    """Free text: descriptions, eligibility, how to refer, populations (French and English)."""
    parts = [organisation.description]
    if service is not None:
        parts += [service.description, service.eligibility, service.how_to_refer]
        parts += [f"{p.label_fr} {p.label_en}" for p in service.populations]
    return " ".join(part for part in parts if part)


def _payload(
    organisation: AnyListing, service: AnyService | None, sectors: list[Sector], labels: Labels
) -> dict[str, Any]:
    """What a result shows, stored with the document: public fields only."""
    municipality = organisation.municipality
    parent = organisation.parent
    # Both are set on a verified listing.
    verified_at = organisation.last_verified_at if organisation.is_verified else None
    due_at = organisation.verification_due_at if organisation.is_verified else None
    offers = (service.description if service else None) or organisation.description
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
        "remote": bool(service and REMOTE_MODES.intersection(service.mode_codes)),
        "languages": service.language_codes if service else [],
        "modes": service.mode_codes if service else [],
        "description": _short(offers),
        "how_to_refer": _short(service.how_to_refer) if service else None,
        "contacts": _contacts(organisation, service),
        "verified_at": verified_at.isoformat() if verified_at else None,
        "verification_due_at": due_at.isoformat() if due_at else None,
        "type": organisation.type,
        **_distance_basis(organisation, service, labels),
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
    organisation: AnyListing, service: AnyService | None, labels: Labels
) -> dict[str, Any]:
    sectors = list(service.sectors if service else organisation.sectors)
    payload = _payload(organisation, service, sectors, labels)
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
        "language": ",".join(payload["languages"]) or UNKNOWN,
        "mode": ",".join(payload["modes"]) or UNKNOWN,
        "type": organisation.type,
        "remote": payload["remote"],
        "verified": 1 if organisation.is_verified else 0,
        "payload": payload,
    }


def documents_for(organisation: AnyListing, labels: Labels) -> list[dict[str, Any]]:
    """One document per service, or one for the organisation when it has none.

    Only the lexicon of `words` is read (the typo vocabulary), and a listing's documents are
    always added and deleted together: its first document carries the words of all of them,
    so each word is indexed once per listing instead of once per service. Unpublished and
    archived listings (and sub-programs of such) have none: they are not searchable.
    """
    if not organisation.is_public:
        return []
    services: Sequence[AnyService | None] = organisation.services or [None]
    documents = [_document(organisation, service, labels) for service in services]
    vocabulary = dict.fromkeys(word for doc in documents for word in doc["words"].split())
    documents[0]["words"] = " ".join(vocabulary)
    for document in documents[1:]:
        document["words"] = None
    return documents


def signed(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a digest of its content in its stored payload, so that
    `flask search sync` can tell a stale document from a current one."""
    content = {k: v.hex() if isinstance(v, bytes) else v for k, v in document.items()}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return {**document, "payload": {**document["payload"], DIGEST: digest}}
