"""The bulk loader gives the documents the ORM objects give (a differential test)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory import geo
from directory.db import utcnow
from directory.extensions import db
from directory.organisations.models import (
    Location,
    Organisation,
    Service,
    ServiceLanguage,
    ServiceMode,
)
from directory.reference.models import Municipality, Population, Region, Sector
from directory.search.documents import Labels, documents_for
from directory.search.loading import Loader
from tests.factories import add_phone, add_site, create_organisation


def _orm_listings(ids):
    stmt = (
        select(Organisation)
        .where(Organisation.id.in_(ids))
        .options(
            selectinload(Organisation.parent),
            selectinload(Organisation.services).selectinload(Service.sectors),
            selectinload(Organisation.services).selectinload(Service.locations),
            selectinload(Organisation.locations).selectinload(Location.municipality),
            selectinload(Organisation.phones),
        )
    )
    return {org.id: org for org in db.session.scalars(stmt)}


def _varied_listings():
    """Fictional listings with what the seed lacks: phones, coordinates, archived rows."""
    alma = db.session.scalars(select(Municipality).where(Municipality.name == "Alma")).first()
    parent = create_organisation("parent-fictif-chargement", region="02", sectors=["MT"])
    child = create_organisation("enfant-fictif-chargement", region="02", sectors=["VCF", "PSM"])
    child.parent = parent
    child.email = "accueil@fictif.example"
    service = child.services[0]
    service.how_to_refer = "Téléphoner d'abord."
    service.populations = [db.session.get(Population, "women")]
    service.languages = [ServiceLanguage(code="fr"), ServiceLanguage(code="en")]
    service.modes = [ServiceMode(mode="phone"), ServiceMode(mode="in_person")]
    service.areas = [db.session.get(Region, "02"), db.session.get(Region, "03")]
    site = add_site(child, region_code="02", municipality=alma, confidential=True)
    service.locations = [site]
    add_site(child, region_code="02", latitude=48.5, longitude=-71.6)
    archived = Service(name="Service archivé fictif", archived_at=utcnow())
    archived.sectors = [db.session.get(Sector, "PC")]
    child.services.append(archived)
    add_phone(child, "418 555-0150", type="voice")
    add_phone(child, "1 800 555-0151", type="hotline", hours="24/7", service_id=service.id)
    child.last_verified_at, child.verification_status = utcnow(), "verified"
    db.session.flush()
    return [parent, child]


def test_bulk_and_orm_documents_agree(app, db_session):
    made = _varied_listings()
    db_session.expire_all()  # the ORM side reads the database too, not objects in memory
    ids = list(db_session.scalars(select(Organisation.id)))
    with app.test_request_context():
        labels = Labels(
            regions={r.code: r for r in db_session.scalars(select(Region))},
            centroids=geo.region_centroids(),
        )
        bulk = Loader(db_session).load(ids)
        orm = _orm_listings(ids)
        assert len(bulk) == len(ids) >= 66
        for listing in bulk:
            assert documents_for(listing, labels) == documents_for(orm[listing.id], labels), (
                listing.slug
            )
    child = next(listing for listing in bulk if listing.id == made[1].id)
    [document] = documents_for(child, labels)
    assert document["payload"]["point_bases"] == ["municipality"]
    assert [p["kind"] for p in document["payload"]["contacts"]["phones"]] == ["hotline", "voice"]
    assert document["payload"]["parent"]["slug"] == "parent-fictif-chargement"


def test_unpublished_parents_hide_their_sub_programs(app, db_session):
    parent = create_organisation("parent-non-publie", region="02", published=False)
    child = create_organisation("enfant-de-non-publie", region="02")
    child.parent = parent
    db.session.flush()
    with app.test_request_context():
        labels = Labels(regions={})
        [loaded] = Loader(db_session).load([child.id])
        assert documents_for(loaded, labels) == []
