"""/invitations/<token>: the invitee answers a meeting invitation without an account.

The link works once and closes when the meeting starts (or after INVITATION_REPLY_VALID_DAYS);
only its hash is stored. The page shows what the invitee needs to decide — when, how, the
meeting's type and region — and nothing about the family.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from directory.db import utcnow
from directory.meetings import labels, operations, queries
from directory.meetings.forms import ReplyForm

bp = Blueprint("invitation_replies", __name__, url_prefix="/invitations")
bp.context_processor(labels.context)


@bp.route("/<token>", methods=["GET", "POST"])
def reply(token: str) -> ResponseReturnValue:
    invitation = queries.invitation_by_token(token)
    if invitation is None:
        return render_template("meetings/reply_closed.html", reason="unknown"), 404
    meeting = invitation.meeting
    if meeting.closed or (invitation.expires_at is not None and invitation.expires_at <= utcnow()):
        return render_template("meetings/reply_closed.html", reason="expired"), 410
    form = ReplyForm()
    if form.validate_on_submit():
        accept = form.answer.data == "accept"
        try:
            operations.reply(
                invitation,
                accept=accept,
                reason=form.reason.data or None,
                acknowledged=bool(form.confidentiality.data),
            )
        except operations.ReplyClosedError:
            return render_template("meetings/reply_closed.html", reason="unknown"), 410
        return redirect(url_for("invitation_replies.thanks", accepted=int(accept)))
    status = 400 if form.errors else 200
    return render_template("meetings/reply.html", form=form, invitation=invitation), status


@bp.get("/merci")
def thanks() -> str:
    return render_template("meetings/reply_thanks.html")
