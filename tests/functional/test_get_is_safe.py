"""Signed-in crawls: GET never changes the database, and no role without the right to edit a
shelter's listing ever sees its confidential address."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.search import service as search_service
from tests.factories import create_organisation, create_user, indexed
from tests.functional.test_safety import (
    CANARY_NEEDLES,
    _crawl,
    _plant_canaries,
    _starting_points,
)
from tests.web import login

# Housekeeping that reads may do: a session's last-seen time (at most once a minute).
IGNORED_COLUMNS = {("login_sessions", "last_seen_at")}


def _snapshot() -> str:
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) not in IGNORED_COLUMNS]
        rows = db.session.execute(select(*columns)).all()
        for row in sorted(repr(tuple(row)) for row in rows):
            digest.update(f"{table.name}:{row}\n".encode())
    return digest.hexdigest()


@pytest.mark.parametrize("role", ["facilitator", "other_editor", "admin"])
def test_signed_in_crawl_changes_nothing_and_leaks_no_confidential_address(app, db_session, role):
    planted = _plant_canaries()
    other = [create_organisation("crawl-autre", region="03")] if role == "other_editor" else []
    email = f"crawl-{role}@fictif.example"
    create_user(email, "editor" if role == "other_editor" else role, organisations=other)
    seed_shelter_id = planted[1].id
    try:
        with indexed(app, db_session, *planted):
            client = app.test_client()
            login(client, email)
            before = _snapshot()
            pages = _crawl(client, _starting_points(app), "fr")
            after = _snapshot()
    finally:
        # The seed shelter carried canary data in the shared index: put its committed state back.
        # The PostgreSQL backend's rows roll back with the test's transaction (and a second
        # connection would wait on that transaction's locks); Whoosh's files do not.
        if not app.extensions["search"]["backend"].in_transaction:
            with app.test_request_context(), Session(db.engine) as fresh:
                search_service.index_document(fresh, [seed_shelter_id])
    assert before == after
    assert len(pages) > 400
    if role != "admin":  # an admin may edit every listing, addresses included
        leaks = [
            (path, needle)
            for path, (_, _, body) in pages.items()
            for needle in CANARY_NEEDLES
            if needle in body
        ]
        assert leaks == []
