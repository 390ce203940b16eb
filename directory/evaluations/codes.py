"""The questionnaire's stable codes (the report's items and scales), shared by the import, the
online form, the database constraints and the report. Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable

from directory.matching.types import MeetingType

OUTCOME_SCALE = ("oui", "non", "incertain")  # « peut-être ou ne sais pas »
BENEFIT_SCALE = ("beaucoup", "moyennement", "un_peu", "pas_du_tout")
SATISFACTION_SCALE = ("tres_satisfaisant", "satisfaisant", "peu_satisfaisant", "insatisfaisant")
DIVERGENCE_SCALE = ("oui", "non")

OUTCOMES = ("security", "practice", "strategy")  # Tableau 5
BENEFITS = ("knowledge", "understanding", "partners")  # Tableau 6
SATISFACTION = ("s1", "s2", "s3", "s4", "s5", "s6", "s7")  # Tableau 7
DIVERGENCE = "divergence"

# Every closed item and its scale, in the questionnaire's order.
SCALES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(OUTCOMES, OUTCOME_SCALE),
    **dict.fromkeys(BENEFITS, BENEFIT_SCALE),
    **dict.fromkeys(SATISFACTION, SATISFACTION_SCALE),
    DIVERGENCE: DIVERGENCE_SCALE,
}
ITEMS = tuple(SCALES)
ON_FILE_ONLY = frozenset({"practice"})  # « améliore ma pratique »: practitioners on the file

ROLES = ("on_file", "external_expert")
ROUNDS = ("first", "follow_up")
MEETING_TYPES = tuple(member.value for member in MeetingType)

# matching.types.COOCCURRENCES in the report's order (Annexe C), then their combinations.
COOCCURRENCE_ORDER = ("MT", "PSM", "PC")
COOCCURRENCE_GROUPS = ("MT", "PSM", "PC", "MT+PSM", "MT+PC", "PSM+PC", "MT+PSM+PC")

# Tableau 2's groups: sectors outside these five are « Autres ».
OWN_GROUP_SECTORS = ("VCF", "VCH", "MT", "PSM", "PC")
OTHER_SECTORS = "AUTRES"
SECTOR_GROUPS = (*OWN_GROUP_SECTORS, OTHER_SECTORS)

# Items broken down by sector, co-occurrence and role (Annexe C).
BREAKDOWN_ITEMS = ("security", "practice", "strategy", "divergence")
DIMENSIONS = ("by_sector", "by_cooccurrence", "by_role")


def sector_group(code: str) -> str:
    """Tableau 2's group of a sector code: itself for VCF, VCH, MT, PSM, PC, else AUTRES."""
    return code if code in OWN_GROUP_SECTORS else OTHER_SECTORS


def cooccurrence_key(codes: Iterable[str]) -> str:
    """The canonical « MT+PSM » form of a set of co-occurrence codes (the report's order)."""
    present = set(codes)
    unknown = present - set(COOCCURRENCE_ORDER)
    if unknown or not present:
        raise ValueError(f"not a co-occurrence: {sorted(unknown) or 'none'}")
    return "+".join(code for code in COOCCURRENCE_ORDER if code in present)
