"""Fixtures: one migrated and seeded database per session, a rolled-back transaction per test.

With DATABASE_URL unset the suite runs on a SQLite file in a temporary instance folder;
`scripts/with-postgres.sh` sets it to a throw-away PostgreSQL server.

Parallel runs (pytest-xdist, `make test`): each worker is a session of its own, with its own
temporary folders (instance, SQLite file, search index), SMTP server and live servers on
free ports, and on PostgreSQL its own database `<name>_gw0`, `<name>_gw1`… created on the
suite's server when the worker starts and dropped when it ends; DATABASE_URL names it, so
the commands and instances a test starts use it too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.engine import URL
from sqlalchemy.orm import scoped_session

from directory import create_app, seeding
from directory.config import REPOSITORY_ROOT
from directory.extensions import db
from directory.search import sync as search_sync
from tests import databases
from tests.factories import SUMMARY, rolled_back_session
from tests.mail import SmtpServer

SHARED = REPOSITORY_ROOT.parent / "shared"
WORKER_DATABASE = pytest.StashKey[str]()
_SUITE_URL = pytest.StashKey[URL]()


def pytest_configure(config: pytest.Config) -> None:
    """An xdist worker on PostgreSQL: its own database, named after the suite's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = databases.suite_url()
    if worker and url is not None and url.database:
        name = f"{url.database}_{worker}"
        os.environ["DATABASE_URL"] = databases.create_database(url, name)
        config.stash[WORKER_DATABASE] = name
        config.stash[_SUITE_URL] = url


def pytest_unconfigure(config: pytest.Config) -> None:
    if WORKER_DATABASE in config.stash:
        databases.drop_database(config.stash[_SUITE_URL], config.stash[WORKER_DATABASE])


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback; tests read what it received."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.messages.clear()
    return smtp_server


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, smtp_server: SmtpServer) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    # Commits made by tests go through savepoints; the one test of the after-commit
    # indexing turns it on for itself.
    application = create_app({"INSTANCE_PATH": instance, **test_settings(smtp_server.port)})
    with application.app_context():
        upgrade()
        seeding.load_reference(application.config["SEED_DIR"], progress=lambda _msg: None)
        seeding.load_organisations(application.config["SEED_DIR"])
        db.session.commit()
        search_sync.rebuild(db.session)  # the seed's outbox rows are covered
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()  # pooled connections closed now, not by the garbage collector


def test_settings(smtp_port: int) -> dict[str, object]:
    """Settings every test app shares: real SMTP on loopback, cheaper argon2 parameters."""
    return {
        "TESTING": True,
        "SEARCH_AUTO_INDEX": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        # argon2id still, with a lower cost so hundreds of logins stay fast.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8192,
    }


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


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Measured figures (search relevance) printed at the end of the run."""
    del config
    reports = [report for outcome in terminalreporter.stats.values() for report in outcome]
    for report in reports:
        if getattr(report, "when", None) == "call":
            for name, line in report.user_properties:
                if name == SUMMARY:
                    terminalreporter.write_line(line)
