"""/rapports: the evaluation tables (coordination), the gap map (everyone), their CSV exports
and their JSON API under /api/v1/reports."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_babel import gettext as _

from directory.accounts.auth import current_user, roles_required
from directory.core import formatting
from directory.core.errors import ApiError
from directory.core.i18n import current_language
from directory.evaluations import labels
from directory.evaluations import queries as evaluation_queries
from directory.evaluations import report as evaluation_report
from directory.organisations import queries as organisation_queries
from directory.reports import charts, coverage, exports, params, tables

bp = Blueprint("reports", __name__)
ROLES = ("facilitator", "admin")


def percent_label(value: float | None) -> str:
    """« 86,8 % » / "86.8%"; an unknown percentage is a dash (formatting.EMPTY), never 0."""
    if value is None:
        return formatting.EMPTY
    shown = formatting.number(value, 1)
    return f"{shown}\u00a0%" if current_language() == "fr" else f"{shown}%"


@bp.record_once
def _register_helpers(state: BlueprintSetupState) -> None:
    state.app.jinja_env.filters["percent_label"] = percent_label
    state.app.jinja_env.globals.update(
        answer_label=labels.answer,
        cause_label=coverage.cause_label,
        meeting_types=labels.MEETING_TYPES,
        rounds=labels.ROUNDS,
    )


def _computed() -> tuple[evaluation_report.EvaluationReport, evaluation_report.Filters]:
    filters = params.parse(request.args)
    return evaluation_report.summarise(evaluation_queries.report_tally(filters)), filters


@bp.get("/rapports")
@roles_required(*ROLES)
def evaluation_report_page() -> ResponseReturnValue:
    context = {
        "regions": organisation_queries.regions(),
        "args": request.args,
        "sources": evaluation_queries.sources(),
        "query": params.query_string(request.args),
    }
    try:
        result, filters = _computed()
    except params.FilterError as error:
        return render_template("reports/evaluation.html", errors=error.problems, **context), 400
    built = tables.build(result)
    return render_template(
        "reports/evaluation.html",
        errors={},
        report=result,
        filters=filters,
        undated=evaluation_queries.undated_left_out(filters),
        tables=[(table, charts.chart(table)) for table in built],
        **context,
    )


@bp.get("/rapports/tableaux/<table_id>.csv")
@roles_required(*ROLES)
def export_table(table_id: str) -> Response:
    try:
        result, _filters = _computed()
    except params.FilterError:
        abort(400)
    table = tables.by_id(result, table_id)
    if table is None:
        abort(404)
    return exports.csv_response(exports.table_rows(table), f"{table.id}.csv")


@bp.get("/api/v1/reports/evaluation")
@roles_required(*ROLES)
def evaluation_api() -> Response:
    try:
        result, _filters = _computed()
    except params.FilterError as error:
        raise ApiError(error.message, parameter=error.parameter) from error
    return jsonify(result.as_json())


@bp.get("/rapports/couverture")
def coverage_page() -> str:
    return render_template(
        "reports/coverage.html", coverage=coverage.coverage(), show_gaps=current_user() is not None
    )


@bp.get("/rapports/couverture.csv")
def export_coverage() -> Response:
    found, with_gaps = coverage.coverage(), current_user() is not None
    lang = current_language()
    header = [_("région"), _("nom de la région"), _("secteur"), _("organismes")]
    causes = found.causes
    if with_gaps:
        header += [_("manques relevés en rencontre")]
        header += [_("manques : %(cause)s", cause=coverage.cause_label(c)) for c in causes]
    rows: list[list[object]] = [header]
    for region in found.regions:
        for sector in found.sectors:
            line: list[object] = [region.code, region.label(lang), sector.code]
            line.append(found.count(region.code, sector.code))
            if with_gaps:
                by_cause = found.gaps.get((region.code, sector.code), {})
                line.append(found.gap_total(region.code, sector.code))
                line += [by_cause.get(cause, 0) for cause in causes]
            rows.append(line)
    return exports.csv_response(rows, "couverture.csv")


@bp.get("/api/v1/reports/coverage")
def coverage_api() -> Response:
    return jsonify(coverage.coverage().as_json(with_gaps=current_user() is not None))
