"""The report's tables (Tableaux 2, 3, 5, 6, 7 and Annexe C) from a computed report: one
structure that the page, its charts and the CSV exports all read."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from directory.evaluations import labels
from directory.evaluations.codes import (
    BENEFITS,
    BREAKDOWN_ITEMS,
    DIMENSIONS,
    OUTCOMES,
    SATISFACTION,
    SECTOR_GROUPS,
)
from directory.evaluations.report import Dist, EvaluationReport, percent

# Annexe C's dimensions in URLs (« annexe-c-security-sector »).
DIMENSION_SLUGS = {"by_sector": "sector", "by_cooccurrence": "cooccurrence", "by_role": "role"}


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int
    pct: float | None
    of: int  # the base of the percentage


@dataclass(frozen=True)
class CountTable:
    """Participation: a count per row and its share of a base."""

    id: str
    title: str
    rows: tuple[CountRow, ...]
    note: str = ""
    kind: str = "count"


@dataclass(frozen=True)
class DistRow:
    key: str
    label: str
    dist: Dist


@dataclass(frozen=True)
class DistTable:
    """Answers to items: valid answers (N), count and percentage per answer, missing ones."""

    id: str
    title: str
    scale: tuple[str, ...]
    rows: tuple[DistRow, ...]
    note: str = ""
    kind: str = "dist"


Table = CountTable | DistTable


def _count_row(key: str, label: str, count: int, base: int) -> CountRow:
    return CountRow(key, label, count, percent(count, base), base)


def _participation(report: EvaluationReport) -> CountTable:
    total = report.questionnaires
    return CountTable(
        id="tableau-2",
        title=str(_l("Tableau 2 : Participation selon l'organisme de rattachement")),
        rows=tuple(
            _count_row(group, str(labels.SECTOR_GROUPS[group]), count, total)
            for group, count in report.by_sector.items()
        ),
        note=str(_l("Pourcentages sur l'ensemble des questionnaires.")),
    )


def _roles(report: EvaluationReport) -> CountTable:
    total, roles = report.questionnaires, report.by_role
    on_file, referrers, experts = roles["on_file"], roles["referrer"], roles["external_expert"]
    return CountTable(
        id="tableau-3",
        title=str(_l("Tableau 3 : Rôle des intervenant·e·s ayant participé aux rencontres")),
        rows=(
            _count_row("on_file", str(_l("Intervenant·e·s au dossier")), on_file, total),
            _count_row(
                "referrer", str(_l("dont intervenant·e·s référent·e·s")), referrers, on_file
            ),
            _count_row("external_expert", str(_l("Expert·e·s externes")), experts, total),
        ),
        note=str(_l("Les référent·e·s sont comptés parmi les intervenant·e·s au dossier.")),
    )


def _items(
    report: EvaluationReport, table_id: str, title: str, codes: tuple[str, ...]
) -> DistTable:
    return DistTable(
        id=table_id,
        title=title,
        scale=report.items[codes[0]].scale,
        rows=tuple(DistRow(code, str(labels.SHORT[code]), report.items[code]) for code in codes),
    )


def _group_label(dimension: str, group: str) -> str:
    if dimension == "by_sector":
        return str(_l("Autres")) if group == SECTOR_GROUPS[-1] else group
    if dimension == "by_role":
        return str(labels.ROLES[group])
    return group.replace("+", " + ")


def _breakdown(report: EvaluationReport, item: str, dimension: str) -> DistTable:
    groups = report.breakdowns[item][dimension]
    return DistTable(
        id=f"annexe-c-{item}-{DIMENSION_SLUGS[dimension]}",
        title=str(
            _l(
                "Annexe C : %(item)s, %(dimension)s",
                item=labels.SHORT[item],
                dimension=labels.DIMENSIONS[dimension],
            )
        ),
        scale=report.items[item].scale,
        rows=tuple(
            DistRow(group, _group_label(dimension, group), dist) for group, dist in groups.items()
        ),
    )


def build(report: EvaluationReport) -> list[Table]:
    """Every table of the report, in the report's order."""
    outcomes = _items(
        report, "tableau-5", str(_l("Tableau 5 : Résumé des résultats quantitatifs")), OUTCOMES
    )
    practice_note = _l("« Améliore les pratiques » est demandé aux intervenant·e·s au dossier.")
    tables: list[Table] = [
        _participation(report),
        _roles(report),
        DistTable(outcomes.id, outcomes.title, outcomes.scale, outcomes.rows, str(practice_note)),
        _items(report, "tableau-6", str(_l("Tableau 6 : Bénéfices perçus")), BENEFITS),
        _items(
            report,
            "tableau-7",
            str(_l("Tableau 7 : Satisfaction quant au déroulement de la rencontre")),
            SATISFACTION,
        ),
        _items(report, "divergences", str(_l("Divergences pendant la rencontre")), ("divergence",)),
    ]
    tables += [
        _breakdown(report, item, dimension) for item in BREAKDOWN_ITEMS for dimension in DIMENSIONS
    ]
    return tables


def by_id(report: EvaluationReport, table_id: str) -> Table | None:
    return next((table for table in build(report) if table.id == table_id), None)
