"""The application's database engine settings and its one commit per request."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from sqlalchemy import event

from directory.extensions import db


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:  # noqa: ANN401 - DB-API object
    """Enforce foreign keys, allow concurrent readers, let SQLAlchemy drive transactions."""
    # pysqlite's own transaction handling breaks SAVEPOINT; see SQLAlchemy's SQLite notes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:  # noqa: ANN401 - SQLAlchemy connection
    connection.exec_driver_sql("BEGIN")


def _commit(response: Response) -> Response:
    if response.status_code < 400:  # noqa: PLR2004 - HTTP success and redirect range
        db.session.commit()
    else:
        db.session.rollback()
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
