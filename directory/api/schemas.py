"""JSON shapes of the API.

Confidential sites lose their street address, fine postal code and coordinates.
"""

from __future__ import annotations

from typing import Any

from directory.organisations.models import Location, Organisation, Service
from directory.reference.models import Region
from directory.search.messages import notice_message
from directory.search.results import Hit, Notice, SearchResult


def organisation_ref(organisation: Organisation) -> dict[str, Any]:
    return {"id": str(organisation.id), "slug": organisation.slug, "name": organisation.name}


def service(item: Service) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "name": item.name,
        "sectors": [sector.code for sector in item.sectors],
        "populations": [population.code for population in item.populations],
        "languages": item.language_codes,
        "modes": item.mode_codes,
    }


def site(location: Location) -> dict[str, Any]:
    # Coordinates are deliberately absent: a shelter's position is its address.
    return {
        "municipality": location.municipality.name if location.municipality else None,
        "region": location.region_code,
        "postal_code": location.public_postal_code,
        "address": location.public_address,
        "confidential": location.confidential,
    }


def organisation(item: Organisation) -> dict[str, Any]:
    municipality = item.municipality
    return {
        "id": str(item.id),
        "slug": item.slug,
        "name": item.name,
        "alternate_name": item.alternate_name,
        "type": item.type,
        "parent": organisation_ref(item.parent) if item.parent else None,
        "regions": item.region_codes,
        "sectors": [sector.code for sector in item.sectors],
        "municipality": municipality.name if municipality else None,
        "verification_status": item.verification_status,
        "verified_at": item.last_verified_at.isoformat() if item.last_verified_at else None,
        "services": [service(entry) for entry in item.services],
        "sites": [site(location) for location in item.locations],
    }


def suggestion(item: Organisation, regions: dict[str, Region], language: str) -> dict[str, Any]:
    """A name suggestion that tells homonyms apart (« CAVAC — Capitale-Nationale ») and names
    a sub-program's parent (« Centre jeunesse de Verdun — CIUSSS du Centre-Sud… — Montréal »)."""
    places = ", ".join(
        regions[code].label(language) for code in item.region_codes if code in regions
    )
    parts = [item.display_name, item.parent.name if item.parent else "", places]
    return {
        "name": item.display_name,
        "slug": item.slug,
        "label": " — ".join(part for part in parts if part),
        "parent": organisation_ref(item.parent) if item.parent else None,
        "regions": item.region_codes,
    }


PHONE_KEYS = ("number", "extension", "kind", "hours")


def contacts(payload: dict[str, Any]) -> dict[str, Any]:
    """Public phones (crisis lines first), e-mail and web site; empty or null when unknown."""
    found = payload.get("contacts") or {}
    return {
        "phones": [
            {key: phone.get(key) for key in PHONE_KEYS} for phone in found.get("phones", [])
        ],
        "email": found.get("email"),
        "website": found.get("website"),
    }


def search_hit(hit: Hit) -> dict[str, Any]:
    payload = hit.payload
    return {
        "organization": {"id": payload["org_id"], "slug": payload["slug"], "name": payload["name"]},
        "service": (
            {"id": payload["service_id"], "name": payload["service_name"]}
            if payload["service_id"]
            else None
        ),
        "regions": payload["regions"],
        "sectors": payload["sectors"],
        "municipality": payload["municipality"],
        "distance_km": round(hit.distance_km, 1) if hit.distance_km is not None else None,
        "distance_basis": hit.distance_basis,
        "remote_available": payload["remote"],
        "score": hit.score,
        "highlights": hit.highlights,
        "match": hit.match,
        "contacts": contacts(payload),
    }


def notice(item: Notice) -> dict[str, Any]:
    return {
        "code": item.code,
        "message": notice_message(item),
        "place": item.place,
        "count": item.count,
        "terms": list(item.terms),
        "radius_km": item.radius_km,
    }


def search_result(result: SearchResult, *, page: int, per_page: int) -> dict[str, Any]:
    origin = result.origin
    return {
        "total": result.total,
        "page": page,
        "per_page": per_page,
        "corrected_query": result.corrected_query,
        "distance_from": (
            {"label": origin.label, "region": origin.region_code, "source": origin.source}
            if origin
            else None
        ),
        "results": [search_hit(hit) for hit in result.hits],
        "remote_results": [search_hit(hit) for hit in result.remote_hits],
        "nearest_results": [search_hit(hit) for hit in result.nearest_hits],
        "notices": [notice(item) for item in result.notices],
        "facets": result.facets,
    }
