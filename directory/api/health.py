"""`/healthz`: is this instance fit to serve? For load balancers and monitoring.

No authentication and no data: whether the database answers, and how far the search index
lags behind it (pending updates, the oldest one's age). 503 when the database is down.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from flask.wrappers import Response
from sqlalchemy import text

from directory.extensions import db
from directory.search import outbox, service

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)

UNAVAILABLE = 503


def _database() -> outbox.Lag | None:
    """The outbox's state, read in one round trip that also proves the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
        return outbox.lag(db.session())
    except Exception as error:  # noqa: BLE001 - any failure means "unreachable"
        db.session.rollback()
        logger.warning("health check: database unreachable (%s)", type(error).__name__)
        return None


@bp.get("/healthz")
def health() -> tuple[Response, int]:
    lag = _database()
    index = service.index_status()
    seconds = lag.seconds() if lag else None
    lagging = seconds is not None and seconds > current_app.config["SEARCH_MAX_LAG_SECONDS"]
    if lag is None:
        status = "unavailable"
    elif index != "ok" or lagging:
        status = "degraded"
    else:
        status = "ok"
    body = {
        "status": status,
        "database": "ok" if lag is not None else "unreachable",
        "search": {
            "index": index,
            # Unknown while the database is down: null, never 0.
            "pending_updates": lag.pending if lag else None,
            "oldest_pending_seconds": round(seconds, 1) if seconds is not None else None,
        },
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"  # a monitor must see the state of now
    return response, (UNAVAILABLE if lag is None else 200)
