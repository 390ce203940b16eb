"""The index follows committed edits, and never holds a confidential address (either backend)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.organisations.models import Location, Organisation, Service
from directory.reference.models import Municipality, Region, Sector
from directory.search import service
from directory.search.query import SearchRequest
from tests.factories import add_site, create_organisation, indexed, stored_index

CANARIES = ("canaris", "4321", "9z9", "g8h9z9", "48.7654", "72.3456", "48,7654")


def _found(text: str) -> list[str]:
    return [hit.payload["slug"] for hit in service.search(SearchRequest(text=text)).hits]


def test_confidential_address_never_reaches_the_index(app, db_session):
    roberval = db_session.scalars(
        select(Municipality).where(Municipality.name == "Roberval")
    ).first()
    shelter = create_organisation("refuge-index-canari", name="Refuge fictif de l'index")
    add_site(
        shelter,
        region_code="02",
        municipality=roberval,
        address="4321 rue des Canaris-Cachés",
        postal_code="G8H 9Z9",
        latitude=48.765432,
        longitude=-72.345678,
        confidential=True,
    )
    with indexed(app, db_session, shelter):
        terms, stored = stored_index(app, db_session)
    assert "refuge-index-canari" in stored  # the listing is in the index…
    assert "roberval" in stored
    for canary in CANARIES:  # …its street address, postal code and coordinates are not
        assert not any(canary in term for term in terms), canary
        assert canary not in stored, canary


@pytest.fixture
def auto_index(app):
    app.config["SEARCH_AUTO_INDEX"] = True
    yield
    app.config["SEARCH_AUTO_INDEX"] = False


def test_index_follows_committed_edits(app, auto_index):  # noqa: ARG001 - switches indexing on
    with app.app_context(), Session(db.engine) as session:
        organisation = Organisation(
            slug="ressource-fictive-zephyrine", name="Ressource fictive Zéphyrine", type="community"
        )
        organisation.services = [
            Service(
                name="Écoute",
                sectors=[session.get(Sector, "PSM")],
                areas=[session.get(Region, "05")],
            )
        ]
        organisation.locations = [Location(region_code="05")]
        session.add(organisation)
        session.commit()
        try:
            assert _found("zephyrine") == ["ressource-fictive-zephyrine"]
            organisation.name = "Ressource fictive Quintilia"
            session.commit()
            assert _found("quintilia") == ["ressource-fictive-zephyrine"]
            assert _found("zephyrine") == []
        finally:
            session.delete(organisation)
            session.commit()
        assert _found("quintilia") == []


def test_a_failed_transaction_leaves_the_index_alone(app, auto_index):  # noqa: ARG001
    with app.app_context(), Session(db.engine) as session:
        gapi = session.scalars(select(Organisation).where(Organisation.slug == "gapi")).one()
        gapi.name = "Nom jamais enregistré Ornithorynque"
        session.flush()
        session.rollback()
        assert _found("ornithorynque") == []
        assert _found("gapi")[0] == "gapi"
