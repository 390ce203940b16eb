"""Index updates leave the request: a save is answered whatever state the index is in, the
search outbox keeps what is pending, `flask search sync` applies it and repairs drift, and
/healthz tells how far the index lags. Against real gunicorn workers (tests/live.py).

The outbox is the Whoosh backend's: these run it on either database (on PostgreSQL too, where
the default backend is the database's own; see test_search_hosts.py for that one)."""

from __future__ import annotations

import fcntl
import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.live import (
    HttpClient,
    LiveInstance,
    found_slugs,
    gunicorn_instance,
    logged_in,
    rename_listing,
)

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_search_outbox")

PASSWORD = "une phrase de passe pour l'index"
EDIT = "/gestion/organismes/gapi/modifier"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(
        tmp_path_factory.mktemp("outbox"), smtp_server.port, search_backend="whoosh"
    ) as instance:
        instance.env["DIRECTORY_PASSWORD"] = PASSWORD
        instance.flask(
            "user", "create", "index@fictif.example", "--role", "editor", "--organization", "gapi"
        )
        yield instance


@pytest.fixture
def editor(live: LiveInstance) -> HttpClient:
    return logged_in(live.url, "index@fictif.example", PASSWORD)


def _rename(client: HttpClient, name: str) -> int:
    return rename_listing(client, EDIT, name)


def _found(live: LiveInstance, word: str) -> list[str]:
    return found_slugs(live.url, word)


def _health(live: LiveInstance) -> dict:
    status, body = HttpClient(live.url).request("/healthz")
    assert status == 200
    return json.loads(body)


def _index_root(live: LiveInstance) -> Path:
    return Path(live.env["DIRECTORY_INSTANCE_PATH"]) / "search"


@contextmanager
def _index_locked(live: LiveInstance) -> Iterator[None]:
    """Hold the index's write lock, as a long rebuild in another process would."""
    with (_index_root(live) / "write.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def test_a_save_is_indexed_right_after_its_commit(live, editor):
    assert _rename(editor, "Groupe fictif Amarante") == 302
    assert _found(live, "amarante") == ["gapi"]
    health = _health(live)
    assert health["search"]["pending_updates"] == 0
    assert health["status"] == "ok"


def test_a_busy_index_delays_indexing_not_the_save(live, editor):
    with _index_locked(live):
        assert _rename(editor, "Groupe fictif Basilic") == 302
        health = _health(live)
        assert health["search"]["pending_updates"] >= 1
        assert health["search"]["oldest_pending_seconds"] is not None
        assert _found(live, "basilic") == []
    output = live.flask("search", "sync")
    assert "pending updates applied" in output
    assert _found(live, "basilic") == ["gapi"]
    assert _health(live)["search"]["pending_updates"] == 0


def test_a_corrupt_index_does_not_fail_saves_and_sync_rebuilds_it(live, editor):
    current = _index_root(live) / "current"
    for table in current.glob("*.toc"):
        table.write_bytes(b"not a whoosh table of contents")
    assert _rename(editor, "Groupe fictif Cerfeuil") == 302
    assert _health(live)["search"]["index"] == "unreadable"
    # A worker still holding the last good state serves it; one that must open the index
    # says the search is unavailable. None fails.
    status, _ = HttpClient(live.url).request("/recherche?q=cerfeuil")
    assert status in {200, 503}
    output = live.flask("search", "sync")
    assert "rebuilt" in output
    assert _found(live, "cerfeuil") == ["gapi"]
    assert _health(live)["search"]["index"] == "ok"


def test_a_deleted_index_does_not_fail_saves_and_sync_rebuilds_it(live, editor):
    shutil.rmtree(_index_root(live))
    assert _rename(editor, "Groupe fictif Dictame") == 302
    health = _health(live)
    assert health["search"]["index"] == "missing"
    assert health["status"] == "degraded"
    live.flask("search", "sync")
    assert _found(live, "dictame") == ["gapi"]


def _write_behind_the_outbox(live: LiveInstance, sql: str) -> None:
    """Change the database without the application (as a manual fix would)."""
    url = live.env.get("DATABASE_URL")
    if url:
        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(sql)
        return
    path = Path(live.env["DIRECTORY_INSTANCE_PATH"]) / "directory.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(sql)


def test_sync_repairs_drift_between_index_and_database(live):
    _write_behind_the_outbox(
        live, "UPDATE organisations SET name = 'Ressource fictive Églantine' WHERE slug = 'gapi'"
    )
    assert _found(live, "eglantine") == []
    output = live.flask("search", "sync")
    assert "Drift: 1 listings repaired." in output
    assert _found(live, "eglantine") == ["gapi"]
    again = live.flask("search", "sync")
    assert "Drift: 0 listings repaired." in again
