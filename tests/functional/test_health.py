"""/healthz: open to anyone, no data, the database's reachability and the index's lag."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.orm import scoped_session, sessionmaker

from directory.extensions import db
from directory.search.models import SearchOutbox
from tests.factories import create_organisation


def test_health_is_json_open_to_anyone_and_tells_the_lag(client):
    body = client.get("/healthz").get_json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "search": {"index": "ok", "pending_updates": 0, "oldest_pending_seconds": None},
    }
    organisation = create_organisation("sante-fictive")
    db.session.execute(insert(SearchOutbox).values(organisation_id=organisation.id))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    search = response.get_json()["search"]
    assert search["pending_updates"] >= 1
    assert search["oldest_pending_seconds"] >= 0


def test_an_old_pending_update_makes_the_instance_degraded(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_MAX_LAG_SECONDS", -1)
    organisation = create_organisation("sante-retard")
    db.session.execute(insert(SearchOutbox).values(organisation_id=organisation.id))
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"


@pytest.fixture
def database_down(monkeypatch):
    """Requests talk to a PostgreSQL server that is not there (connection refused)."""
    engine = create_engine(
        "postgresql+psycopg://personne@127.0.0.1:9/filet", connect_args={"connect_timeout": 2}
    )
    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(bind=engine)))
    yield
    engine.dispose()


@pytest.mark.usefixtures("database_down")
def test_health_answers_503_when_the_database_is_down(app, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    # Whoosh's files still read; the PostgreSQL backend's tables went down with the database.
    index = "ok" if app.config["SEARCH_BACKEND"] == "whoosh" else "unreadable"
    assert response.get_json() == {
        "status": "unavailable",
        "database": "unreachable",
        "search": {"index": index, "pending_updates": None, "oldest_pending_seconds": None},
    }
