"""CSV exports of the report's tables and of the coverage matrix (UTF-8, comma-separated,
percentages with a decimal point so that any tool reads them as numbers)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response
from flask_babel import gettext as _

from directory.evaluations import labels
from directory.reports.tables import CountTable, DistTable


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def table_rows(table: CountTable | DistTable) -> list[list[str]]:
    """The table as CSV rows, header first, in the interface language."""
    if isinstance(table, CountTable):
        header = [_("code"), _("libellé"), _("nombre"), _("pourcentage"), _("base du pourcentage")]
        return [header] + [
            [row.key, row.label, str(row.count), _number(row.pct), str(row.of)]
            for row in table.rows
        ]
    header = [_("code"), _("libellé"), _("réponses valides (N)")]
    for answer in table.scale:
        name = labels.answer(answer)
        header += [name, _("%(answer)s (%%)", answer=name)]
    header.append(_("données manquantes"))
    rows = [header]
    for row in table.rows:
        line = [row.key, row.label, str(row.dist.n)]
        pct = row.dist.pct
        for answer in table.scale:
            line += [str(row.dist.counts[answer]), _number(pct[answer])]
        rows.append([*line, str(row.dist.missing)])
    return rows


def csv_response(rows: Iterable[Sequence[object]], filename: str) -> Response:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    # A text/* mimetype gets "; charset=utf-8" from Werkzeug (its only charset since 3.0).
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
