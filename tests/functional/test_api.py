"""`/api/v1/organizations`: the contract of issue 2, filters, pagination and clear errors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from directory.organisations import queries
from tests import seedfacts
from tests.factories import add_site, create_organisation

ORGANIZATION_KEYS = {
    "id",
    "slug",
    "name",
    "alternate_name",
    "type",
    "parent",
    "regions",
    "sectors",
    "municipality",
    "verification_status",
    "verified_at",
    "services",
    "sites",
}
SERVICE_KEYS = {"id", "name", "sectors", "populations", "languages", "modes"}
SITE_KEYS = {"municipality", "region", "postal_code", "address", "confidential"}


def test_list_shape_and_totals(client):
    body = client.get("/api/v1/organizations").get_json()
    assert set(body) == {"total", "page", "per_page", "items"}
    assert (body["total"], body["page"], body["per_page"]) == (seedfacts.listings(), 1, 20)
    assert len(body["items"]) == 20
    for item in body["items"]:
        assert set(item) == ORGANIZATION_KEYS
        uuid.UUID(item["id"])
        for service in item["services"]:
            assert set(service) == SERVICE_KEYS
        for site in item["sites"]:
            assert set(site) == SITE_KEYS


def test_pages_cover_every_listing_once(client):
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"/api/v1/organizations?per_page=25&page={page}").get_json()
        seen += [item["slug"] for item in body["items"]]
    assert len(seen) == len(set(seen)) == seedfacts.listings()
    past_the_end = client.get("/api/v1/organizations?per_page=25&page=4").get_json()
    assert past_the_end["items"] == []
    assert past_the_end["total"] == seedfacts.listings()


@pytest.mark.parametrize(
    ("query", "expected_total"),
    [
        ("region=02", 13),
        ("region=13", 1),
        ("region=01", 0),
        ("sector=VCH", 5),
        ("region=06&sector=VCF", 12),
        ("sector=PC", 3),
        ("q=cran", 2),
        ("q=GAPI", 1),
        ("q=saint felicien", 1),
        ("q=SAINT-FÉLICIEN", 1),
        ("q=cavac", 2),
        ("q=cavac&region=06", 1),
        ("q=100%", 0),
    ],
)
def test_filters(client, query, expected_total):
    body = client.get(f"/api/v1/organizations?{query}").get_json()
    assert body["total"] == expected_total


def test_filter_results_really_match(client):
    body = client.get("/api/v1/organizations?region=06&sector=VCF&per_page=100").get_json()
    for item in body["items"]:
        assert "06" in item["regions"]
        assert "VCF" in item["sectors"]


def test_organisation_by_slug_and_by_id(client):
    by_slug = client.get("/api/v1/organizations/crdm-site-pointe-de-l-ile").get_json()
    assert by_slug["parent"]["slug"] == "ciusss-est-de-l-ile-de-montreal"
    assert by_slug["sectors"] == ["PC"]
    assert by_slug["verified_at"] is None
    by_id = client.get(f"/api/v1/organizations/{by_slug['id']}").get_json()
    assert by_id == by_slug


def test_municipality_and_type(client):
    body = client.get("/api/v1/organizations/spvm").get_json()
    assert (body["municipality"], body["type"], body["regions"]) == (
        "Montréal",
        "institutional",
        ["06"],
    )
    assert body["parent"] is None


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("region=6", "region"),
        ("region=99", "region"),
        ("sector=XYZ", "sector"),
        ("sector=vcf", "sector"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("per_page=1000", "per_page"),
        ("per_page=2.5", "per_page"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, query, parameter):
    response = client.get(f"/api/v1/organizations?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == parameter
    assert parameter in error["message"]


def test_bad_parameter_message_in_english(client):
    client.set_cookie("lang", "en")
    error = client.get("/api/v1/organizations?region=99").get_json()["error"]
    assert error["message"] == "Unknown value for “region”: 99"


@pytest.mark.parametrize("identifier", ["inconnu", "5e1f0000-0000-4000-8000-000000000001"])
def test_unknown_organisation_is_404_json(client, identifier):
    response = client.get(f"/api/v1/organizations/{identifier}")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_unknown_api_route_is_json_too(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json


def test_post_is_405_json(client):
    response = client.post("/api/v1/organizations")
    assert response.status_code == 405
    assert response.is_json


def test_confidential_site_has_no_address_and_only_the_postal_area(client):
    organisation = create_organisation("refuge-fictif")
    add_site(
        organisation,
        region_code="02",
        address="99 rue du Refuge-Fictif",
        postal_code="G8H 7Z7",
        latitude=48.51,
        longitude=-72.22,
        confidential=True,
    )
    add_site(
        organisation, region_code="02", address="1 rue Publique-Fictive", postal_code="G8H 1Z1"
    )
    sites = client.get("/api/v1/organizations/refuge-fictif").get_json()["sites"]
    confidential = next(site for site in sites if site["confidential"])
    public = next(site for site in sites if not site["confidential"] and site["address"])
    assert (confidential["address"], confidential["postal_code"]) == (None, "G8H")
    assert (public["address"], public["postal_code"]) == ("1 rue Publique-Fictive", "G8H 1Z1")


def test_api_reflects_a_verified_listing(client, db_session):
    gapi = queries.organisation_by_slug("gapi")
    gapi.verification_status = "verified"
    gapi.last_verified_at = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
    db_session.flush()
    body = client.get("/api/v1/organizations/gapi").get_json()
    assert body["verified_at"] == "2026-03-14T15:00:00+00:00"
