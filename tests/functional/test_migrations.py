"""Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from directory.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrated_schema_has_the_directory_tables(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {
        "organisations", "services", "locations", "phones", "contacts", "regions", "sectors",
        "populations", "municipalities", "postal_areas", "service_areas", "service_sectors",
        "service_populations", "service_languages", "service_modes", "services_at_location",
        "alembic_version",
    } <= tables  # fmt: skip
