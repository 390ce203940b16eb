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
    JSON,
    Boolean,
    Integer,
    String,
    Text,
    Uuid,
    column,
    func,
    insert,
    inspect,
    make_url,
    select,
    table,
)

from directory import create_app
from directory.db import UTCDateTime, utcnow
from directory.extensions import db
from tests import databases


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
    try:
        yield databases.create_database(url, name)
    finally:
        databases.drop_database(url, name)


@pytest.fixture
def migrating(empty_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An application context on the empty database, for upgrading and downgrading by hand."""
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "TESTING": True,
            "SEARCH_AUTO_INDEX": False,
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.engine.dispose()


# The tables as revision 0011 left them (Core, not the models: those follow the head).
_ORGANISATIONS = table(
    "organisations",
    *(column(name, String()) for name in ("slug", "name", "name_key", "description", "type")),
    column("id", Uuid()),
    column("verification_status", String()),
    column("created_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
)
_SECTORS = table(
    "sectors",
    *(column(name, String()) for name in ("code", "short_fr", "short_en", "label_fr", "label_en")),
    column("group", String()),
    column("position", Integer()),
)
_OFFERS = table(
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
_OFFER_LANGUAGES = table(
    "expertise_offer_languages", column("offer_id", Uuid()), column("code", String())
)


@pytest.mark.usefixtures("migrating")
def test_offer_languages_move_to_rows_and_back():
    upgrade(revision="0011_pg_search")
    ids = {"fr,en": uuid.uuid4(), "": uuid.uuid4()}
    now = utcnow()
    with db.engine.begin() as connection:
        connection.execute(
            insert(_SECTORS).values(
                code="VCF", short_fr="VCF", short_en="VCF", label_fr="Victimes",
                label_en="Victims", group="VC", position=1,
            )
        )  # fmt: skip
        for languages, offer_id in ids.items():
            organisation_id = uuid.uuid4()
            connection.execute(
                insert(_ORGANISATIONS).values(
                    id=organisation_id, slug=f"org-{offer_id}", name="Organisme",
                    name_key="organisme", description="", type="community",
                    verification_status="unverified", created_at=now, updated_at=now,
                )
            )  # fmt: skip
            connection.execute(
                insert(_OFFERS).values(
                    id=offer_id, organisation_id=organisation_id, joins_remotely=True,
                    languages=languages, notes="", version=1, created_at=now,
                    updated_at=now,
                )
            )  # fmt: skip
        connection.execute(
            insert(_OFFER_SECTORS).values(expertise_offer_id=ids["fr,en"], sector_code="VCF")
        )

    upgrade(revision="0012_offer_languages")
    with db.engine.connect() as connection:
        rows = connection.execute(select(_OFFER_LANGUAGES.c.offer_id, _OFFER_LANGUAGES.c.code))
        assert sorted(rows.tuples().all()) == [(ids["fr,en"], "en"), (ids["fr,en"], "fr")]
        columns = {item["name"] for item in inspect(connection).get_columns("expertise_offers")}
        assert "languages" not in columns
        # Dropping the column rebuilt no table: no ON DELETE CASCADE emptied the
        # offer's sectors.
        count = select(func.count()).select_from(_OFFER_SECTORS)
        assert connection.execute(count).scalar() == 1

    downgrade(revision="0011_pg_search")
    with db.engine.connect() as connection:
        stored = connection.execute(select(_OFFERS.c.id, _OFFERS.c.languages))
        assert dict(stored.tuples().all()) == {ids["fr,en"]: "en,fr", ids[""]: ""}
        assert connection.execute(count).scalar() == 1
        assert "expertise_offer_languages" not in inspect(connection).get_table_names()


# The tables as revision 0008 left them, for what a meeting needs.
_USERS = table(
    "users",
    *(column(name, String()) for name in ("email", "name", "role")),
    column("id", Uuid()),
    column("active", Boolean()),
    column("created_at", UTCDateTime()),
)
_REGIONS = table("regions", *(column(name, String()) for name in ("code", "label_fr", "label_en")))
_MEETINGS = table(
    "meetings",
    *(column(name, String()) for name in ("region_code", "meeting_type", "mode", "language")),
    column("status", String()),
    *(column(name, JSON()) for name in ("cooccurrences", "followed", "other_needs")),
    column("id", Uuid()),
    column("created_by_id", Uuid()),
    column("max_experts", Integer()),
    column("created_at", UTCDateTime()),
)
_INVITATIONS = table(
    "invitations",
    column("id", Uuid()),
    column("meeting_id", Uuid()),
    column("organisation_id", Uuid()),
    column("position", Integer()),
    column("covers", JSON()),
    column("remote", Boolean()),
    column("status", String()),
    column("created_at", UTCDateTime()),
)


@pytest.mark.usefixtures("migrating")
def test_rebuilding_a_table_keeps_the_rows_that_reference_it():
    """0010 rebuilds `meetings` on SQLite (batch mode: copy, drop, rename): its invitations,
    declared ON DELETE CASCADE, must survive the upgrade of a populated database."""
    upgrade(revision="0008_evaluations")
    now = utcnow()
    user_id, organisation_id, meeting_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with db.engine.begin() as connection:
        connection.execute(
            insert(_USERS).values(
                id=user_id, email="animatrice@example.org", name="Animatrice",
                role="facilitator", active=True, created_at=now,
            )
        )  # fmt: skip
        connection.execute(
            insert(_REGIONS).values(code="03", label_fr="Capitale", label_en="Capitale")
        )
        connection.execute(
            insert(_ORGANISATIONS).values(
                id=organisation_id, slug="organisme", name="Organisme",
                name_key="organisme", description="", type="community",
                verification_status="unverified", created_at=now, updated_at=now,
            )
        )  # fmt: skip
        connection.execute(
            insert(_MEETINGS).values(
                id=meeting_id, created_by_id=user_id, region_code="03",
                meeting_type="concertation", mode="remote", language="fr",
                status="planned", cooccurrences=[], followed=[], other_needs=[],
                max_experts=6, created_at=now,
            )
        )  # fmt: skip
        connection.execute(
            insert(_INVITATIONS).values(
                id=uuid.uuid4(), meeting_id=meeting_id, organisation_id=organisation_id,
                position=0, covers=[], remote=True, status="planned", created_at=now,
            )
        )  # fmt: skip

    upgrade()
    with db.engine.connect() as connection:
        count = select(func.count()).select_from(_INVITATIONS)
        assert connection.execute(count).scalar() == 1
        statuses = connection.execute(select(_MEETINGS.c.status)).scalars().all()
        assert statuses == ["planned"]
        if connection.dialect.name == "sqlite":
            # The foreign keys are enforced again on the connections that follow.
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
