"""Distances from a place to search results, each with its basis.

A result is placed by its service's sites (basis "site": the site's coordinates), else by
a municipality's centroid (basis "municipality": a confidential site, a site known by its
municipality only, or the organisation's municipality), else by the regions it serves
(basis "region"): at distance 0 when the place is in one of them (« dessert votre région »),
else at the nearest served region's centroid. Only a "site" distance is exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any, Protocol

from directory.geo import distance_km
from directory.search.results import Point

EARTH_RADIUS_KM = 6371.0088
SITE, MUNICIPALITY, REGION = "site", "municipality", "region"


class Placed(Protocol):
    """Documents by place (the Whoosh backend's per-index-state grid)."""

    @property
    def served(self) -> Mapping[str, AbstractSet[int]]:
        """Documents placed by the regions they serve, per region."""
        ...

    def points_near(
        self, origin: Point, radius_km: float | None
    ) -> Iterator[tuple[float, float, tuple[int, ...]]]:
        """(latitude, longitude, documents there) of the places a radius may reach."""
        ...


def haversine_km(origin: Point, latitude: float, longitude: float) -> float:
    """Great-circle distance: fast enough for every candidate, within 0.5 % of geodesic."""
    lat1, lon1, lat2, lon2 = map(math.radians, (origin[0], origin[1], latitude, longitude))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@lru_cache(maxsize=16_384)
def _geodesic_to(origin: Point, latitude: float, longitude: float) -> float:
    """Geodesic (geopy) distances are slow, and the hits of one search often share places."""
    return distance_km(origin, (latitude, longitude))


def approximate(
    generation: Placed, origin: Point, region: str | None, radius_km: float | None = None
) -> dict[int, float]:
    """Approximate distance of every placed document (within `radius_km` when given): the
    order of a distance sort and the test of a radius. Documents placed by the regions they
    serve are at 0 when `region` is one of them."""
    found: dict[int, float] = {}
    for latitude, longitude, docnums in generation.points_near(origin, radius_km):
        km = haversine_km(origin, latitude, longitude)
        if radius_km is not None and km > radius_km:
            continue
        for docnum in docnums:
            if km < found.get(docnum, math.inf):
                found[docnum] = km
    if region is not None:
        found.update(dict.fromkeys(generation.served.get(region, ()), 0.0))
    return found


def shown(
    payload: dict[str, Any], origin: Point, region: str | None
) -> tuple[float | None, str | None]:
    """The distance shown to people (geodesic) and its basis, for one result."""
    points = payload.get("points") or []
    if points:
        bases = payload.get("point_bases") or [MUNICIPALITY] * len(points)
        km, basis = min(
            (_geodesic_to(origin, lat, lon), basis)
            for (lat, lon), basis in zip(points, bases, strict=False)
        )
        return km, basis
    areas = payload.get("area_points") or {}
    if region is not None and region in areas:
        return 0.0, REGION
    if areas:
        return min(_geodesic_to(origin, lat, lon) for lat, lon in areas.values()), REGION
    return None, None
