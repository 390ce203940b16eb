"""What a search asks and what it answers, the same on every backend (Whoosh, PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Point = tuple[float, float]


@dataclass(frozen=True)
class SearchRequest:
    """What to look for. `near` is an already resolved (latitude, longitude) in `near_region`."""

    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    near: Point | None = None
    radius_km: float | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    near_region: str | None = None
    near_label: str | None = None


@dataclass(frozen=True)
class Hit:
    payload: dict[str, Any]
    score: float
    distance_km: float | None
    highlights: list[str]
    distance_basis: str | None = None  # "site", "municipality", "region" or None
    match: str = "all"  # "all" or "partial"
    unstated: tuple[str, ...] = ()  # filters (language, mode) passed by stating nothing


@dataclass(frozen=True)
class Notice:
    """Something the list's reader must know. Codes: `partial` (some results do not match
    every word), `place_without_match` (nothing at the place named in the query), `out_of_scope`
    (a need the directory does not cover: 211), `radius_empty` (nothing within the radius:
    the nearest are shown), `beyond_radius` (`count` results lie outside the radius)."""

    code: str
    place: str | None = None
    count: int | None = None
    terms: tuple[str, ...] = ()
    radius_km: float | None = None


@dataclass(frozen=True)
class Origin:
    """Where distances are measured from: `near`, else a place named in the query."""

    label: str
    point: Point
    region_code: str | None
    source: str  # "near" or "query"


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    remote_hits: list[Hit]
    facets: dict[str, dict[str, int]]
    corrected_query: str | None
    notices: list[Notice] = field(default_factory=list)
    nearest_hits: list[Hit] = field(default_factory=list)
    origin: Origin | None = None

    def notice(self, code: str) -> Notice | None:
        return next((notice for notice in self.notices if notice.code == code), None)
