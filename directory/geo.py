"""Gazetteer lookups (municipalities, postal-code areas) and distances, all offline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geopy.distance import geodesic
from rapidfuzz import fuzz, process
from sqlalchemy import func, select

from directory.extensions import db
from directory.reference.models import Municipality, PostalArea
from directory.text import fold

_POSTAL_CODE = re.compile(r"^\s*([A-Za-z]\d[A-Za-z])\s*(\d[A-Za-z]\d)?\s*$")

Point = tuple[float, float]


def distance_km(origin: Point, destination: Point) -> float:
    """Geodesic distance in kilometres between two (latitude, longitude) points."""
    return float(geodesic(origin, destination).km)


def region_centroid(code: str) -> Point | None:
    """The mean position of the region's municipalities (None when the gazetteer has none)."""
    stmt = select(func.avg(Municipality.latitude), func.avg(Municipality.longitude)).where(
        Municipality.region_code == code
    )
    latitude, longitude = db.session.execute(stmt).one()
    return None if latitude is None else (float(latitude), float(longitude))


def region_centroids() -> dict[str, Point]:
    """`region_centroid` of every region the gazetteer knows, in one query."""
    stmt = select(
        Municipality.region_code, func.avg(Municipality.latitude), func.avg(Municipality.longitude)
    ).group_by(Municipality.region_code)
    return {code: (float(lat), float(lon)) for code, lat, lon in db.session.execute(stmt)}


def find_municipalities(name: str, *, region_code: str | None = None) -> list[Municipality]:
    """Places named `name`, ignoring case, accents and punctuation; most populous first."""
    stmt = select(Municipality).where(Municipality.name_key == fold(name))
    if region_code:
        stmt = stmt.where(Municipality.region_code == region_code)
    places = db.session.scalars(stmt).all()
    return sorted(places, key=lambda place: -(place.population or 0))


def normalise_postal_code(value: str) -> str | None:
    """ "g8h1a1" → "G8H 1A1", "G8H" → "G8H"; None when it is not a Canadian postal code."""
    match = _POSTAL_CODE.match(value)
    if not match:
        return None
    area, local = match.group(1).upper(), (match.group(2) or "").upper()
    return f"{area} {local}" if local else area


def postal_area(value: str) -> PostalArea | None:
    """The forward sortation area of a full postal code or of its first three characters."""
    code = normalise_postal_code(value)
    return db.session.get(PostalArea, code[:3]) if code else None


@dataclass(frozen=True)
class Place:
    """A resolved `near` value: what it was understood as, and where that is."""

    label: str
    latitude: float
    longitude: float

    @property
    def point(self) -> Point:
        return (self.latitude, self.longitude)


PLACE_MATCH_CUTOFF = 85


def resolve_place(value: str) -> Place | None:
    """A municipality name (accent- and typo-tolerant) or a postal code (full or FSA)."""
    area = postal_area(value)
    if area is not None:
        return Place(area.fsa, area.latitude, area.longitude)
    exact = find_municipalities(value)
    if exact:
        return Place(exact[0].name, exact[0].latitude, exact[0].longitude)
    folded = fold(value)
    if len(folded) < 3:  # noqa: PLR2004 - too short to guess a place from
        return None
    places = db.session.scalars(select(Municipality)).all()
    best = process.extractOne(
        folded,
        {p.id: p.name_key for p in places},
        scorer=fuzz.ratio,
        score_cutoff=PLACE_MATCH_CUTOFF,
    )
    if best is None:
        return None
    place = next(p for p in places if p.id == best[2])
    return Place(place.name, place.latitude, place.longitude)
