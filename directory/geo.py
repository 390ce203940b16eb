"""Gazetteer lookups (municipalities, postal-code areas) and distances, all offline."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from geopy.distance import geodesic
from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.core.validators import FSA_PATTERN, LDU_PATTERN
from directory.extensions import db
from directory.reference.models import Municipality, PostalArea
from directory.text import fold

# A place to search near: a full postal code or its forward sortation area alone, any case,
# spaces anywhere around its two halves.
_POSTAL_CODE = re.compile(rf"^\s*({FSA_PATTERN})\s*({LDU_PATTERN})?\s*$", re.IGNORECASE)

Point = tuple[float, float]


def distance_km(origin: Point, destination: Point) -> float:
    """Geodesic distance in kilometres between two (latitude, longitude) points."""
    return float(geodesic(origin, destination).km)


def find_municipalities(name: str, *, region_code: str | None = None) -> list[Municipality]:
    """Places named `name`, ignoring case, accents and punctuation; most populous first."""
    stmt = select(Municipality).where(Municipality.name_key == fold(name))
    if region_code:
        stmt = stmt.where(Municipality.region_code == region_code)
    places = db.session.scalars(stmt).all()
    return sorted(places, key=lambda place: -(place.population or 0))


def normalise_postal_code(value: str) -> str | None:
    """ "g8h1a1" → "G8H 1A1", "G8H" → "G8H"; None when it is neither a Canadian postal code
    nor a forward sortation area."""
    match = _POSTAL_CODE.match(value)
    if not match:
        return None
    area, local = match.group(1).upper(), (match.group(2) or "").upper()
    return f"{area} {local}" if local else area


def postal_area(value: str) -> PostalArea | None:
    """The forward sortation area of a full postal code or of its first three characters."""
    code = normalise_postal_code(value)
    return db.session.get(PostalArea, code[:3]) if code else None


def region_centroid(code: str) -> Point | None:
    """The mean position of the region's municipalities (None when the gazetteer has none)."""
    stmt = select(func.avg(Municipality.latitude), func.avg(Municipality.longitude)).where(
        Municipality.region_code == code
    )
    latitude, longitude = db.session.execute(stmt).one()
    return None if latitude is None else (float(latitude), float(longitude))


def region_centroids(session: Session | None = None) -> dict[str, Point]:
    """`region_centroid` of every region that has a municipality, in one query."""
    stmt = select(
        Municipality.region_code, func.avg(Municipality.latitude), func.avg(Municipality.longitude)
    ).group_by(Municipality.region_code)
    rows = (session or db.session).execute(stmt)
    return {code: (float(lat), float(lon)) for code, lat, lon in rows}


@cache
def _former_names(path: Path) -> dict[str, tuple[str, str]]:
    """Former or other names of places (`seed/former_names.csv`): folded name → (current
    name, region code). "Pointe-Bleue" → Mashteuiatsh."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {fold(row["former_name"]): (row["name"], row["region_code"]) for row in rows}


def former_names() -> dict[str, tuple[str, str]]:
    return _former_names(Path(current_app.config["SEED_DIR"]) / "former_names.csv")


@dataclass(frozen=True)
class Place:
    """A resolved `near` value: what it was understood as, where that is, and its region."""

    label: str
    latitude: float
    longitude: float
    region_code: str | None = None

    @property
    def point(self) -> Point:
        return (self.latitude, self.longitude)


PLACE_MATCH_CUTOFF = 85  # a typo-tolerant match (rapidfuzz ratio, 0-100) taken as the place
PLACE_HINT_CUTOFF = 70  # a name offered as « Vouliez-vous dire… »
MIN_GUESS_LENGTH = 3  # a folded name shorter than this is too short to guess a place from


def _place_of(municipality: Municipality) -> Place:
    return Place(
        municipality.name, municipality.latitude, municipality.longitude, municipality.region_code
    )


def _by_former_name(value: str) -> Place | None:
    found = former_names().get(fold(value))
    if found is None:
        return None
    places = find_municipalities(found[0], region_code=found[1])
    return _place_of(places[0]) if places else None


def resolve_place(value: str) -> Place | None:
    """A municipality name (accent- and typo-tolerant; former names such as Pointe-Bleue
    too) or a postal code (full or FSA)."""
    area = postal_area(value)
    if area is not None:
        return Place(area.fsa, area.latitude, area.longitude, area.region_code)
    exact = find_municipalities(value)
    if exact:
        return _place_of(exact[0])
    former = _by_former_name(value)
    if former is not None:
        return former
    guessed = guess_municipality(value)
    return None if guessed is None else _place_of(guessed)


def guess_municipality(value: str, *, region_code: str | None = None) -> Municipality | None:
    """The municipality (of region `region_code` if given) whose name is closest to `value`,
    typos tolerated: None when none is close enough or `value` is too short to guess from."""
    folded = fold(value)
    if len(folded) < MIN_GUESS_LENGTH:
        return None
    stmt = select(Municipality)
    if region_code:
        stmt = stmt.where(Municipality.region_code == region_code)
    places = db.session.scalars(stmt).all()
    best = process.extractOne(
        folded,
        {place.id: place.name_key for place in places},
        scorer=fuzz.ratio,
        score_cutoff=PLACE_MATCH_CUTOFF,
    )
    return None if best is None else next(place for place in places if place.id == best[2])


def close_place_names(value: str, *, limit: int = 3) -> list[str]:
    """Municipality names somewhat like `value`, for « Vouliez-vous dire… » when none matched."""
    folded = fold(value)
    if len(folded) < MIN_GUESS_LENGTH:
        return []
    names = dict(
        db.session.execute(select(Municipality.name, Municipality.name_key)).tuples().all()
    )
    found = process.extract(
        folded, names, scorer=fuzz.ratio, score_cutoff=PLACE_HINT_CUTOFF, limit=limit
    )
    return [name for _key, _score, name in found]
