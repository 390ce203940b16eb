"""Builders for test records (clearly fictional: never real organisations), and test helpers."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from directory.accounts.models import User
from directory.extensions import db
from directory.meetings.models import Invitation, Meeting
from directory.organisations.models import Location, Organisation, Phone, Service
from directory.reference.models import Region, Sector

# Lines printed at the end of the test run (measured figures such as search relevance): kept
# in the test's report, which pytest-xdist brings back from its workers.
SUMMARY = "summary"


def summarise(request: pytest.FixtureRequest, *lines: str) -> None:
    """Print `lines` at the end of the run, after the tests' outcomes."""
    request.node.user_properties.extend((SUMMARY, line) for line in lines)


def create_organisation(slug: str, *, region: str = "02", **fields: Any) -> Organisation:
    """A fictional organisation with one service (VCF by default) and one site in `region`."""
    sectors = fields.pop("sectors", ["VCF"])
    organisation = Organisation(
        slug=slug,
        name=fields.pop("name", f"Organisme fictif {slug}"),
        type=fields.pop("type", "community"),
        **fields,
    )
    organisation.services = [
        Service(
            name="Service fictif",
            sectors=[db.session.get(Sector, code) for code in sectors],
            areas=[db.session.get(Region, region)],
        )
    ]
    organisation.locations = [Location(region_code=region)]
    db.session.add(organisation)
    db.session.flush()
    return organisation


def add_site(organisation: Organisation, **fields: Any) -> Location:
    location = Location(position=len(organisation.locations), **fields)
    organisation.locations.append(location)
    db.session.flush()
    return location


def add_phone(organisation: Organisation, number: str, **fields: Any) -> Phone:
    phone = Phone(number=number, **fields)
    organisation.phones.append(phone)
    db.session.flush()
    return phone


@contextmanager
def rolled_back_session(app: Flask) -> Iterator[scoped_session]:
    """Swap `db.session` for one inside a transaction that is rolled back on exit.

    Requests made meanwhile (test client) see the same data; commits only release savepoints.
    A plain SQLAlchemy session, because Flask-SQLAlchemy's picks the engine, not our connection.
    No application context is held meanwhile: each request gets its own, as in production
    (Flask-Babel, for one, caches the locale in it).
    """
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    )
    original, db.session = db.session, session
    try:
        yield session
    finally:
        session.remove()
        db.session = original
        transaction.rollback()
        connection.close()


UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
RANDOM_HEX = re.compile(r"[0-9a-f]{16,}")  # content digests
# What the PostgreSQL backend stores, row keys aside (random digits could spell a canary).
PG_STORED = {
    "search_documents": "doc_id, organisation_id, document, name_key, acronym_key, name_sort,"
    " facets, facet_list, served, verified, flags, payload, digest",
    "search_places": "latitude, longitude",
    "search_words": "word",
}


def stored_index(app: Flask, session: scoped_session) -> tuple[list[str], str]:
    """Everything the search index holds, whichever the backend: its terms (lower case), and
    what it stores (JSON, lower case, listing ids left out). For checks that something never
    reaches the index."""
    if app.config["SEARCH_BACKEND"] == "whoosh":
        with app.test_request_context():
            reader = app.extensions["search"]["index"].searcher().reader()
            terms = [
                term.decode(errors="replace").lower() if isinstance(term, bytes) else str(term)
                for name in reader.indexed_field_names()
                for term in reader.lexicon(name)
            ]
            stored = json.dumps([fields for _, fields in reader.iter_docs()], ensure_ascii=False)
    else:
        terms = list(
            session.execute(
                text("SELECT DISTINCT unnest(tsvector_to_array(document)) FROM search_documents")
            ).scalars()
        )
        tables = {
            table: [list(row) for row in session.execute(text(f"SELECT {columns} FROM {table}"))]  # noqa: S608 - fixed names
            for table, columns in PG_STORED.items()
        }
        stored = json.dumps(tables, ensure_ascii=False, default=str)
    terms = [term.lower() for term in terms if not UUID_PATTERN.fullmatch(term)]
    # Ids and digests are random hexadecimal: a digit canary could occur in one by chance.
    stored = RANDOM_HEX.sub("<hex>", UUID_PATTERN.sub("<id>", stored.lower()))
    return [RANDOM_HEX.sub("<hex>", term) for term in terms], stored


@contextmanager
def indexed(app: Flask, session: scoped_session, *organisations: Organisation) -> Iterator[None]:
    """Put test listings in the shared search index for the duration of a block."""
    from directory.search import service  # noqa: PLC0415 - tests that index are few

    ids = [organisation.id for organisation in organisations]
    # Releases the test's savepoint into its outer transaction (rolled back at the end): the
    # context below closes the session when it ends, which would drop unreleased changes.
    session.commit()
    with app.test_request_context():
        service.index_document(session, ids)
    try:
        yield
    finally:
        with app.test_request_context():
            service.remove_document(ids)


PASSWORD = "phrase de passe fictive 2026"


@cache
def password_hash(password: str) -> str:
    """argon2id with the suite's cost settings (see conftest.test_settings)."""
    return PasswordHasher(time_cost=1, memory_cost=8192).hash(password)


def create_user(
    email: str, role: str = "editor", *, organisations: Any = (), **fields: Any
) -> User:
    """A fictional account with the shared test password (editors bound to `organisations`)."""
    password = fields.pop("password", PASSWORD)
    user = User(email=email, role=role, organisations=list(organisations), **fields)
    user.password_hash = password_hash(password)
    db.session.add(user)
    db.session.flush()
    return user


def create_meeting(
    created_by: uuid.UUID,
    *,
    invited: Sequence[uuid.UUID] = (),
    invitation_status: str = "pending",
    **fields: Any,
) -> Meeting:
    """A planned meeting (codes only) created by `created_by`, inviting `invited` organisations
    (their invitations in `invitation_status`)."""
    values = {
        "region_code": "02",
        "cooccurrences": ["PSM"],
        "followed": ["victim"],
        "meeting_type": "consultation",
        "mode": "in_person",
        "language": "fr",
        "max_experts": 5,
        **fields,
    }
    meeting = Meeting(created_by_id=created_by, **values)
    meeting.invitations = [
        Invitation(
            organisation_id=organisation_id,
            covers=values["cooccurrences"],
            status=invitation_status,
        )
        for organisation_id in invited
    ]
    db.session.add(meeting)
    db.session.flush()
    return meeting
