"""Fixtures: one migrated and seeded database per session, a rolled-back transaction per test.

With DATABASE_URL unset the suite runs on a SQLite file in a temporary instance folder;
`scripts/with-postgres.sh` sets it to a throw-away PostgreSQL server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session

from directory import create_app, seeding
from directory.config import REPOSITORY_ROOT
from directory.extensions import db
from tests.factories import rolled_back_session

SHARED = REPOSITORY_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    application = create_app({"TESTING": True, "INSTANCE_PATH": instance})
    with application.app_context():
        upgrade()
        seeding.load_reference(application.config["SEED_DIR"], progress=lambda _msg: None)
        seeding.load_organisations(application.config["SEED_DIR"])
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()  # pooled connections closed now, not by the garbage collector


@pytest.fixture(autouse=True)
def db_session(request: pytest.FixtureRequest, app: Flask) -> Iterator[scoped_session | None]:
    """Everything a test writes, through requests or directly, is rolled back after it."""
    if request.node.get_closest_marker("browser"):
        # Browser tests read the committed seed through a server thread of their own.
        yield None
        return
    with rolled_back_session(app) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def seed_dir(app: Flask) -> Path:
    return Path(app.config["SEED_DIR"])
