"""`/api/v1/search` and `/api/v1/suggest`: the contract, filters, facets, distance and errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.organisations.models import ServiceMode
from directory.reference.models import Municipality
from tests.factories import add_site, create_organisation, indexed

RESULT_KEYS = {
    "organization", "service", "regions", "sectors", "municipality", "distance_km",
    "distance_basis", "remote_available", "score", "highlights", "match", "contacts",
}  # fmt: skip
FACETS = {"region", "sector", "population", "language", "mode", "type"}


def _search(client, **params):
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _slugs(body):
    return [result["organization"]["slug"] for result in body["results"]]


def test_contract(client):
    body = _search(client, q="hébergement")
    assert {"total", "page", "per_page", "corrected_query", "results", "facets"} <= set(body)
    assert body["corrected_query"] is None
    assert set(body["facets"]) == FACETS
    for result in body["results"]:
        assert set(result) == RESULT_KEYS
        assert set(result["organization"]) == {"id", "slug", "name"}
        assert result["service"] is None or set(result["service"]) == {"id", "name"}
        assert result["distance_km"] is None


def test_correction_is_reported(client):
    body = _search(client, q="maison flora tristn")
    assert body["corrected_query"] == "maison flora tristan"
    assert _slugs(body)[0] == "maison-flora-tristan"


def test_facet_counts_match_filtered_totals(client):
    body = _search(client, q="femmes", per_page=100)
    for code, count in body["facets"]["region"].items():
        assert _search(client, q="femmes", region=code)["total"] == count
    assert sum(body["facets"]["type"].values()) == body["total"]


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"sector": "PC"}, lambda r: "PC" in r["sectors"]),
        ({"region": "02"}, lambda r: "02" in r["regions"]),
        ({"type": "institutional", "region": "06"}, lambda r: "06" in r["regions"]),
    ],
)
def test_filters_without_text_browse_everything_that_matches(client, params, check):
    body = _search(client, per_page=100, **params)
    assert body["total"] == len(body["results"]) > 0
    assert all(check(result) for result in body["results"])


def test_filter_by_population(client):
    slugs = _slugs(_search(client, population="men", per_page=100))
    assert set(slugs) == {
        "gapi",
        "cran-d-arret-roberval",
        "cran-d-arret-alma",
        "service-d-aide-aux-conjoints",
        "option",
    }


def test_near_a_municipality_sorts_by_distance(client):
    body = _search(client, q="femmes", near="roberval", per_page=100)
    distances = [r["distance_km"] for r in body["results"] if r["distance_km"] is not None]
    assert distances == sorted(distances)
    assert body["results"][0]["organization"]["slug"] == "auberge-de-l-amitie-roberval"
    assert body["results"][0]["distance_km"] == 0.0


@pytest.mark.parametrize("near", ["Robervall", "ROBERVAL", "G8H", "g8h 1a1"])
def test_near_accepts_typos_and_postal_codes(client, near):
    body = _search(client, q="hébergement", near=near, radius_km=30)
    assert _slugs(body)[0] == "auberge-de-l-amitie-roberval"


def test_radius_limits_results(client):
    body = _search(client, q="femmes", near="Alma", radius_km=60, per_page=100)
    assert body["total"] == len(body["results"])
    assert all(r["distance_km"] is not None and r["distance_km"] <= 60 for r in body["results"])
    assert {"centre-de-femmes-au-quatre-temps-alma", "auberge-de-l-amitie-roberval"} <= set(
        _slugs(body)
    )
    assert "centre-des-femmes-de-verdun" not in _slugs(body)


def test_remote_services_outside_the_radius_are_listed_apart(app, client, db_session):
    montreal = db_session.scalars(
        select(Municipality).where(Municipality.name == "Montréal")
    ).first()
    remote = create_organisation(
        "ligne-fictive-a-distance", region="06", name="Ligne fictive Écoute-Boréale"
    )
    add_site(remote, region_code="06", municipality=montreal)
    remote.services[0].modes = [ServiceMode(mode="phone"), ServiceMode(mode="chat")]
    db.session.flush()
    with indexed(app, db_session, remote):
        body = _search(client, q="écoute boréale", near="Roberval", radius_km=50)
    assert body["results"] == []
    assert [r["organization"]["slug"] for r in body["remote_results"]] == [
        "ligne-fictive-a-distance"
    ]
    assert body["remote_results"][0]["remote_available"] is True


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"region": "99"}, "region"),
        ({"sector": "NOPE"}, "sector"),
        ({"population": "martians"}, "population"),
        ({"mode": "telepathy"}, "mode"),
        ({"type": "cooperative"}, "type"),
        ({"language": "français"}, "language"),
        ({"near": "Atlantide-sur-Mer"}, "near"),
        ({"radius_km": "10"}, "radius_km"),
        ({"near": "Alma", "radius_km": "-5"}, "radius_km"),
        ({"near": "Alma", "radius_km": "loin"}, "radius_km"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "random"}, "sort"),
        ({"page": "0"}, "page"),
        ({"per_page": "101"}, "per_page"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, params, parameter):
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter


def test_pagination(client):
    first = _search(client, q="femmes", per_page=5)
    second = _search(client, q="femmes", per_page=5, page=2)
    assert first["total"] == second["total"] > 5
    assert not set(_slugs(first)) & set(_slugs(second))


def test_unknown_words_give_an_empty_answer(client):
    body = _search(client, q="xqzwv")
    assert (body["total"], body["results"]) == (0, [])


def test_suggest(client):
    names = [s["name"] for s in client.get("/api/v1/suggest?q=flora").get_json()["suggestions"]]
    assert names == ["Maison Flora Tristan"]
    slugs = [s["slug"] for s in client.get("/api/v1/suggest?q=bouclier").get_json()["suggestions"]]
    assert slugs == ["bouclier-d-athena"]
    fuzzy = [s["slug"] for s in client.get("/api/v1/suggest?q=logifen").get_json()["suggestions"]]
    assert "logifem" in fuzzy
    assert client.get("/api/v1/suggest?q=").get_json() == {"suggestions": []}
