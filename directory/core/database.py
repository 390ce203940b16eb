"""The application's database engine settings and its one commit per request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from directory.extensions import db

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_SECONDS = 15  # how long a request waits for another worker's write lock
LOCK_TIMEOUT_OPTION = "directory_lock_timeout"
WRITES_OPTION = "directory_writes"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:  # noqa: ANN401 - DB-API object
    """Enforce foreign keys, allow concurrent readers, let SQLAlchemy drive transactions."""
    # pysqlite's own transaction handling breaks SAVEPOINT; see SQLAlchemy's SQLite notes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:  # noqa: ANN401 - SQLAlchemy connection
    # A request that may write takes the write lock up front (waiting up to the busy timeout).
    # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    # another worker committed meanwhile: several gunicorn workers would answer 500.
    # Work done after a request's commit (a bounded session) has its own, shorter wait.
    options = connection.get_execution_options()
    bounded = options.get(LOCK_TIMEOUT_OPTION)
    seconds = bounded if bounded is not None else SQLITE_BUSY_SECONDS
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    if bounded is not None:
        writes = bool(options.get(WRITES_OPTION))
    else:
        writes = has_request_context() and request.method not in SAFE_METHODS
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextmanager
def bounded_session(seconds: float, *, writes: bool = False) -> Iterator[Session]:
    """A session of its own whose waits for another transaction's locks end after `seconds`
    with an error (SQLite's busy timeout, PostgreSQL's lock_timeout), for work that must not
    hold a request up: one transaction, committed by the caller. `writes`: the transaction
    writes (on SQLite it takes the write lock when it begins)."""
    engine = db.engine.execution_options(**{LOCK_TIMEOUT_OPTION: seconds, WRITES_OPTION: writes})
    with Session(bind=engine) as session:
        if engine.dialect.name == "postgresql":
            session.execute(text(f"SET LOCAL lock_timeout = {int(seconds * 1000)}"))
        yield session


def _commit(response: Response) -> Response:
    if response.status_code >= 400:  # noqa: PLR2004 - client and server errors change nothing
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except OperationalError:
        if request.method not in SAFE_METHODS or db.engine.dialect.name != "sqlite":
            raise
        # A read request's only writes are housekeeping (a session's last-seen time): when
        # SQLite is busy with another worker's write, skip them rather than fail the page.
        db.session.rollback()
        logger.info("housekeeping writes skipped on %s: database busy", request.path)
    return response


def _rollback_on_error(exc: BaseException | None) -> None:
    if exc is not None:
        db.session.rollback()


def init_app(app: Flask) -> None:
    """SQLite connection settings on this app's engine; commit on success, roll back otherwise."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
    app.after_request(_commit)
    app.teardown_request(_rollback_on_error)
