"""What a listing shows of itself: confidential sites, derived regions and sectors, names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.organisations.models import Location, Organisation
from tests.factories import add_site, create_organisation


def test_confidential_site_hides_address_and_fine_postal_code():
    site = Location(
        region_code="02", address="12 rue Fictive", postal_code="G8H 9Z9", confidential=True
    )
    assert site.public_address is None
    assert site.public_postal_code == "G8H"


def test_public_site_shows_address_and_postal_code():
    site = Location(region_code="02", address="12 rue Fictive", postal_code="G8H 9Z9")
    assert site.public_address == "12 rue Fictive"
    assert site.public_postal_code == "G8H 9Z9"


def test_regions_come_from_sites_and_service_areas():
    organisation = create_organisation("fictif-deux-regions", region="02")
    add_site(organisation, region_code="03")
    assert organisation.region_codes == ["02", "03"]


def test_sectors_follow_reference_order():
    organisation = create_organisation("fictif-secteurs", sectors=["PC", "VCF", "MT"])
    assert [sector.code for sector in organisation.sectors] == ["VCF", "MT", "PC"]


def test_display_name_adds_the_acronym_once():
    assert Organisation(name="Option", alternate_name=None).display_name == "Option"
    assert (
        Organisation(name="Service d'aide", alternate_name="SAC").display_name
        == "Service d'aide (SAC)"
    )
    assert Organisation(name="SAC Montréal", alternate_name="SAC").display_name == "SAC Montréal"


def test_name_key_follows_the_name():
    organisation = create_organisation("fictif-nom", name="Maison Éléonore")
    assert organisation.name_key == "maison eleonore"
    organisation.name = "Maison Aurore"
    assert organisation.name_key == "maison aurore"


def test_timestamps_are_timezone_aware_after_a_round_trip():
    organisation = create_organisation("fictif-temps")
    verified = datetime(2026, 5, 4, 10, 30, tzinfo=timezone(timedelta(hours=-4)))
    organisation.last_verified_at = verified
    organisation.verification_status = "verified"
    db.session.flush()
    db.session.expire(organisation)
    assert organisation.last_verified_at == verified
    assert organisation.last_verified_at.tzinfo is not None
    assert organisation.created_at <= datetime.now(UTC)
    assert organisation.is_verified


def test_naive_timestamps_are_refused():
    organisation = create_organisation("fictif-naif")
    organisation.last_verified_at = datetime(2026, 5, 4)  # noqa: DTZ001 - the point of the test
    with pytest.raises(Exception, match="naive"):
        db.session.flush()
    db.session.rollback()


def test_unknown_organisation_type_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="type"):
        create_organisation("fictif-type", type="cooperative")
    db.session.rollback()


def test_duplicate_slug_is_refused_by_the_database():
    create_organisation("fictif-doublon")
    with pytest.raises(IntegrityError):
        create_organisation("fictif-doublon")
    db.session.rollback()
