"""The unit layer: no database, no seeded application, no server.

`db_session` (autouse in tests/conftest.py) opens no transaction here, and `app` is a bare
application, for what needs its settings, templates or translations only: its SQLite file is
never migrated, so a unit test that reaches the database fails ("no such table") instead of
reading the suite's seeded one. Tests that need the database live in tests/functional.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from directory import create_app


@pytest.fixture(autouse=True)
def db_session() -> Iterator[None]:
    return None


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    with pytest.MonkeyPatch.context() as environment:
        environment.delenv("DATABASE_URL", raising=False)  # never the suite's PostgreSQL
        environment.delenv("SEARCH_BACKEND", raising=False)
        return create_app(
            {"INSTANCE_PATH": tmp_path_factory.mktemp("unit-instance"), "TESTING": True}
        )
