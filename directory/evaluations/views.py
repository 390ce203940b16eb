"""/evaluations/<token>: the questionnaire a meeting's attendee answers, without an account."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from directory.evaluations import labels, operations, queries
from directory.evaluations.forms import SECTIONS, QuestionnaireForm
from directory.extensions import db
from directory.reference.models import Sector

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")


@bp.route("/<token>", methods=["GET", "POST"])
def answer_questionnaire(token: str) -> ResponseReturnValue:
    link = queries.link_by_token(token)
    if link is None:
        return render_template("evaluations/link_unknown.html"), 404
    if not link.is_open():
        return render_template("evaluations/link_closed.html", used=link.used), 410
    form = QuestionnaireForm(on_file=link.role == "on_file")
    if form.validate_on_submit():
        try:
            operations.record_answers(
                link,
                form.answers(),
                helped=form.helped.data or "",
                difficult=form.difficult.data or "",
            )
        except operations.LinkClosedError:
            return render_template("evaluations/link_closed.html", used=True), 410
        return redirect(url_for("evaluations.thanks"))
    return render_template(
        "evaluations/questionnaire.html",
        form=form,
        link=link,
        sections=SECTIONS,
        role=labels.ROLES["referrer" if link.referrer else link.role],
        sector=db.session.get(Sector, link.sector_code),
    ), (400 if form.errors else 200)


@bp.get("/merci")
def thanks() -> str:
    return render_template("evaluations/thanks.html")
