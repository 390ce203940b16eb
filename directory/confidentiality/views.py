"""/admin/confidentialite: administrators approve or refuse making confidential sites public."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from directory.accounts.auth import require_user, roles_required
from directory.confidentiality import notifications, operations, queries
from directory.confidentiality.models import ConfidentialityRelease
from directory.extensions import db

bp = Blueprint("confidentiality", __name__, url_prefix="/admin/confidentialite")


def _pending_or_404(release_id: uuid.UUID) -> ConfidentialityRelease:
    found = db.session.get(ConfidentialityRelease, release_id)
    if found is None or found.status != "pending":
        raise NotFound
    return found


@bp.get("/")
@roles_required("admin")
def list_releases() -> str:
    return render_template(
        "confidentiality/releases.html",
        pending=queries.pending_releases(),
        decided=queries.recent_decisions(),
    )


@bp.post("/<uuid:release_id>/approuver")
@roles_required("admin")
def approve(release_id: uuid.UUID) -> Response | tuple[str, int]:
    release = _pending_or_404(release_id)
    try:
        operations.approve(release, require_user())
    except operations.ReleaseError:
        message = _(
            "Une autre administratrice ou un autre administrateur doit approuver cette demande : "
            "la personne qui la fait ne peut pas l'approuver elle-même."
        )
        return render_template("errors/error.html", status=403, message=message), 403
    notifications.notify_decision(release)
    flash(_("Demande approuvée : l'adresse du lieu est maintenant publique."), "success")
    return redirect(url_for(".list_releases"))


@bp.post("/<uuid:release_id>/refuser")
@roles_required("admin")
def reject(release_id: uuid.UUID) -> Response:
    release = _pending_or_404(release_id)
    operations.reject(release, require_user())
    notifications.notify_decision(release)
    flash(_("Demande refusée : le lieu reste confidentiel."), "success")
    return redirect(url_for(".list_releases"))
