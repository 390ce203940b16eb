"""The gap map: for each region × sector, how many organisations of the published directory
offer that sector there, and how many gaps the meetings recorded.

An institution counts once: a sub-program (a CIUSSS programme, a site of a network) is counted
with its top-level organisation, as the meeting rules count « organismes ou institutions
distincts ». A 0 says that nothing is listed in Filet, never that nothing exists in the region.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from directory.meetings import queries as meeting_queries
from directory.organisations import queries as organisation_queries
from directory.reference.models import Region, Sector

GAP_CAUSES = {
    "no_resource": _l("aucune ressource répertoriée dans la région"),
    "excluded": _l("ressources exclues"),
    "language": _l("langue"),
    "territory": _l("territoire"),
    "expert_cap": _l("nombre maximal d'experts atteint"),
}


def top_level(
    organisation_id: uuid.UUID, parents: Mapping[uuid.UUID, uuid.UUID | None]
) -> uuid.UUID:
    """The organisation a listing belongs to: itself, or its parent's top-level organisation."""
    seen = {organisation_id}
    current = organisation_id
    while (parent := parents.get(current)) is not None and parent not in seen:
        seen.add(parent)  # a cycle (never created by the application) stops here
        current = parent
    return current


def institution_counts(
    listings: Iterable[tuple[uuid.UUID, str, str]], parents: Mapping[uuid.UUID, uuid.UUID | None]
) -> dict[tuple[str, str], int]:
    """Distinct top-level organisations per (region, sector) among (listing, region, sector)."""
    found: dict[tuple[str, str], set[uuid.UUID]] = defaultdict(set)
    for listing, region, sector in listings:
        found[region, sector].add(top_level(listing, parents))
    return {cell: len(organisations) for cell, organisations in found.items()}


@dataclass(frozen=True)
class Coverage:
    regions: list[Region]
    sectors: list[Sector]
    organisations: dict[tuple[str, str], int]
    gaps: dict[tuple[str, str], dict[str, int]]

    def count(self, region: str, sector: str) -> int:
        return self.organisations.get((region, sector), 0)

    def gap_total(self, region: str, sector: str) -> int:
        return sum(self.gaps.get((region, sector), {}).values())

    @property
    def causes(self) -> list[str]:
        """The causes present in the recorded gaps: the known ones first, in their order."""
        present = {cause for by_cause in self.gaps.values() for cause in by_cause}
        return [c for c in GAP_CAUSES if c in present] + sorted(present - set(GAP_CAUSES))

    @property
    def gap_cells(self) -> list[tuple[Region, Sector, dict[str, int]]]:
        return [
            (region, sector, self.gaps[region.code, sector.code])
            for region in self.regions
            for sector in self.sectors
            if self.gap_total(region.code, sector.code)
        ]

    def as_json(self, *, with_gaps: bool) -> dict[str, Any]:
        """GET /api/v1/reports/coverage; `meeting_gaps` is null for those who may not see it."""
        return {
            "regions": {
                region.code: {
                    sector.code: {
                        "organizations": self.count(region.code, sector.code),
                        "meeting_gaps": self.gap_total(region.code, sector.code)
                        if with_gaps
                        else None,
                    }
                    for sector in self.sectors
                }
                for region in self.regions
            }
        }


def coverage() -> Coverage:
    listings = organisation_queries.listing_regions_and_sectors()
    parents = organisation_queries.public_parents()
    return Coverage(
        regions=organisation_queries.regions(),
        sectors=organisation_queries.sectors(),
        organisations=institution_counts(listings, parents),
        gaps=meeting_queries.recorded_gap_counts(),
    )


def cause_label(cause: str) -> str:
    label = GAP_CAUSES.get(cause)
    return str(label) if label is not None else cause
