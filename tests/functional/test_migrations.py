"""Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import (
    Boolean,
    Integer,
    String,
    Text,
    Uuid,
    column,
    create_engine,
    func,
    insert,
    inspect,
    make_url,
    select,
    table,
)
from sqlalchemy.orm import scoped_session, sessionmaker

from directory import create_app, seeding
from directory.db import UTCDateTime, utcnow
from directory.expertise.models import ExpertiseOffer
from directory.extensions import db
from directory.organisations.models import Organisation


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


@pytest.fixture
def empty_database_url(app: Flask, tmp_path: Path) -> Iterator[str]:
    """A database of its own, so the session's one stays at head: a SQLite file, or a new
    database on the suite's PostgreSQL server."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"filet_migrations_{uuid.uuid4().hex[:12]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        server.dispose()


_OLD_OFFERS = table(
    "expertise_offers",
    column("id", Uuid()),
    column("organisation_id", Uuid()),
    column("joins_remotely", Boolean()),
    column("languages", String()),
    column("notes", Text()),
    column("version", Integer()),
    column("created_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
)
_OFFER_SECTORS = table(
    "expertise_offer_sectors", column("expertise_offer_id", Uuid()), column("sector_code", String())
)


def test_offer_languages_move_to_rows_and_back(empty_database_url, tmp_path):
    migrating = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "TESTING": True,
            "SEARCH_AUTO_INDEX": False,
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    # The suite swapped `db.session` for one on its own database: use one on this database.
    with migrating.app_context():
        suite_session, db.session = db.session, scoped_session(sessionmaker(bind=db.engine))
        try:
            upgrade(revision="0011_pg_search")
            seeding.load_reference(migrating.config["SEED_DIR"], progress=lambda _msg: None)
            two = [
                Organisation(slug=f"org-{n}", name=f"Organisme {n}", type="community") for n in "ab"
            ]
            db.session.add_all(two)
            db.session.flush()
            ids = {"fr,en": uuid.uuid4(), "": uuid.uuid4()}
            now = utcnow()
            for (languages, offer_id), organisation in zip(ids.items(), two, strict=True):
                db.session.execute(
                    insert(_OLD_OFFERS).values(
                        id=offer_id, organisation_id=organisation.id, joins_remotely=True,
                        languages=languages, notes="", version=1, created_at=now, updated_at=now,
                    )
                )  # fmt: skip
            db.session.execute(
                insert(_OFFER_SECTORS).values(expertise_offer_id=ids["fr,en"], sector_code="VCF")
            )
            db.session.commit()

            upgrade(revision="0012_offer_languages")
            offers = {offer.id: offer for offer in db.session.scalars(select(ExpertiseOffer))}
            assert offers[ids["fr,en"]].language_codes == ["en", "fr"]
            assert offers[ids[""]].language_codes == []
            # Dropping the column rebuilt no table: the cascades kept the offer's sectors.
            assert [sector.code for sector in offers[ids["fr,en"]].sectors] == ["VCF"]
            db.session.remove()

            downgrade(revision="0011_pg_search")
            stored = db.session.execute(select(_OLD_OFFERS.c.id, _OLD_OFFERS.c.languages))
            assert dict(stored.tuples().all()) == {ids["fr,en"]: "en,fr", ids[""]: ""}
            assert (
                db.session.execute(select(func.count()).select_from(_OFFER_SECTORS)).scalar() == 1
            )
            assert "expertise_offer_languages" not in inspect(db.engine).get_table_names()
        finally:
            db.session.remove()
            db.session = suite_session
            db.engine.dispose()
