"""The admins' view of listings waiting for their organisation's confirmation."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request
from flask.blueprints import BlueprintSetupState

from directory.accounts.auth import roles_required
from directory.db import utcnow
from directory.verification import queries

bp = Blueprint("verification", __name__, url_prefix="/admin/verification")


def is_past(moment: str | None) -> bool:
    """For search payloads, which carry dates as ISO 8601 text: is `moment` gone by?

    Falsy (None, or undefined in a document indexed before the field existed) is not past.
    """
    return bool(moment) and datetime.fromisoformat(str(moment)) <= utcnow()


@bp.record_once
def _register_helpers(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals["is_past"] = is_past


@bp.get("/")
@roles_required("admin")
def dashboard() -> str:
    now = utcnow()
    reports = queries.region_reports(now)
    selected = request.args.get("region") or None
    shown = [report for report in reports if selected in (None, report.region.code)]
    return render_template(
        "verification/dashboard.html",
        reports=reports,
        shown=shown,
        selected=selected,
        now=now,
    )
