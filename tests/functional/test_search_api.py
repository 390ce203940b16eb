"""`/api/v1/search` and `/api/v1/suggest`: the contract, filters, facets, distance and errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.organisations.models import Service, ServiceLanguage, ServiceMode
from directory.reference.models import Municipality
from tests import seedfacts
from tests.factories import add_phone, add_site, create_organisation, indexed

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


# --- Contacts -------------------------------------------------------------------------------------


def _result(body, slug):
    return next(r for r in body["results"] if r["organization"]["slug"] == slug)


def test_contacts_carry_public_phones_hotline_first(app, client, db_session):
    listing = create_organisation(
        "ligne-fictive-contacts", region="03", name="Ressource fictive Contacts-Boréaux"
    )
    listing.email = "accueil@fictif.example"
    listing.website = "https://fictif.example/"
    listing.services[0].how_to_refer = "Appeler la ligne d'accueil, du lundi au vendredi."
    add_phone(listing, "418 555-0101", type="voice", extension="12", hours="lun.-ven. 9 h-17 h")
    add_phone(listing, "1 800 555-0102", type="hotline", hours="24/7")
    with indexed(app, db_session, listing):
        body = _search(client, q="contacts boréaux")
    contacts = _result(body, "ligne-fictive-contacts")["contacts"]
    assert contacts == {
        "phones": [
            {"number": "1 800 555-0102", "extension": None, "kind": "hotline", "hours": "24/7"},
            {
                "number": "418 555-0101",
                "extension": "12",
                "kind": "voice",
                "hours": "lun.-ven. 9 h-17 h",
            },
        ],
        "email": "accueil@fictif.example",
        "website": "https://fictif.example/",
    }


def test_contacts_are_empty_when_unknown(client):
    body = _search(client, q="maison marie-rollet")
    contacts = _result(body, "maison-marie-rollet")["contacts"]
    assert contacts == {"phones": [], "email": None, "website": None}


def test_a_service_gets_its_own_phones_and_its_organisation_s(app, client, db_session):
    listing = create_organisation("deux-services-fictifs", region="03", name="Duo fictif Aurore")
    second = Service(name="Second service fictif", areas=listing.services[0].areas)
    listing.services.append(second)
    db.session.flush()
    add_phone(listing, "418 555-0110")
    add_phone(listing, "418 555-0111", service_id=second.id)
    with indexed(app, db_session, listing):
        body = _search(client, q="duo aurore")
    numbers = {
        (r["service"] or {}).get("name"): [p["number"] for p in r["contacts"]["phones"]]
        for r in body["results"]
    }
    assert numbers["Second service fictif"] == ["418 555-0111", "418 555-0110"]
    assert numbers["Service fictif"] == ["418 555-0110"]


def test_remote_results_carry_contacts_too(app, client, db_session):
    montreal = db_session.scalars(
        select(Municipality).where(Municipality.name == "Montréal")
    ).first()
    remote = create_organisation("ecoute-fictive-contacts", region="06", name="Écoute fictive Nord")
    add_site(remote, region_code="06", municipality=montreal)
    remote.services[0].modes = [ServiceMode(mode="phone")]
    add_phone(remote, "1 800 555-0120", type="hotline", hours="24/7")
    with indexed(app, db_session, remote):
        body = _search(client, q="écoute fictive nord", near="Roberval", radius_km=25)
    assert [r["contacts"]["phones"][0]["number"] for r in body["remote_results"]] == [
        "1 800 555-0120"
    ]


# --- Distance and its basis -----------------------------------------------------------------------


def test_dpj_near_roberval_ranks_the_region_s_dpj_first(client):
    body = _search(client, q="DPJ", near="Roberval")
    first = body["results"][0]
    assert first["organization"]["slug"] == (
        "ciusss-saguenay-lac-saint-jean-protection-de-la-jeunesse"
    )
    assert (first["distance_km"], first["distance_basis"]) == (0.0, "region")
    assert body["distance_from"] == {"label": "Roberval", "region": "02", "source": "near"}
    verdun = _result(body, "centre-jeunesse-de-verdun")
    assert verdun["distance_basis"] == "municipality"
    assert verdun["distance_km"] > 300


def test_every_result_has_a_distance_and_its_basis_near_a_place(client):
    body = _search(client, near="Québec", per_page=100)
    assert body["total"] == seedfacts.listings()
    for result in body["results"]:
        assert result["distance_km"] is not None, result["organization"]["slug"]
        assert result["distance_basis"] in {"site", "municipality", "region"}


def test_a_site_with_coordinates_is_the_basis(app, client, db_session):
    listing = create_organisation("site-precis-fictif", region="02", name="Site fictif Précis")
    add_site(listing, region_code="02", latitude=48.5168, longitude=-72.2324)
    with indexed(app, db_session, listing):
        body = _search(client, q="site précis", near="Roberval")
    result = _result(body, "site-precis-fictif")
    assert result["distance_basis"] == "site"
    assert result["distance_km"] < 1


def test_cavac_within_20_km_of_quebec(client):
    body = _search(client, q="cavac", near="Québec", radius_km=20)
    assert _slugs(body) == ["cavac-capitale-nationale"]
    assert body["results"][0]["distance_basis"] == "region"
    assert body["notices"][0]["code"] == "beyond_radius"
    assert body["notices"][0]["count"] == 1


def test_shelters_within_25_km_of_montreal(client):
    body = _search(client, q="maison d'hébergement", near="Montréal", radius_km=25, per_page=100)
    slugs = set(_slugs(body))
    assert {"maison-flora-tristan", "l-autre-escale", "transit-24", "logifem"} <= slugs
    assert all(r["distance_km"] <= 25 for r in body["results"])


def test_a_radius_that_would_empty_the_list_says_so_and_shows_the_nearest(client):
    body = _search(client, q="gapi", near="Roberval", radius_km=10)
    assert (body["total"], body["results"]) == (0, [])
    assert [r["organization"]["slug"] for r in body["nearest_results"]] == ["gapi"]
    assert body["nearest_results"][0]["distance_km"] > 10
    [notice] = [n for n in body["notices"] if n["code"] == "radius_empty"]
    assert notice["count"] == 1
    assert "Roberval" in notice["message"]


def test_pointe_bleue_is_mashteuiatsh(client):
    body = _search(client, q="famille", near="Pointe-Bleue", radius_km=10)
    assert body["distance_from"]["label"] == "Mashteuiatsh"
    assert "maison-de-la-famille-de-mashteuiatsh" in _slugs(body)


# --- Tiers, scope, audience -----------------------------------------------------------------------


def test_full_matches_then_partial_ones_marked(client):
    body = _search(client, q="hébergement femmes Roberval", per_page=100)
    assert body["results"][0]["organization"]["slug"] == "auberge-de-l-amitie-roberval"
    assert body["results"][0]["match"] == "all"
    matches = [r["match"] for r in body["results"]]
    assert matches.count("all") == 1
    assert set(matches[1:]) == {"partial"}
    [notice] = [n for n in body["notices"] if n["code"] == "partial"]
    assert notice["count"] == body["total"] - 1
    # The partial ones nearest to Roberval first.
    distances = [r["distance_km"] for r in body["results"][1:]]
    assert distances == sorted(distances)


def test_a_place_without_match_says_so_and_shows_the_nearest(client):
    body = _search(client, q="refuge femmes Laval", per_page=100)
    assert body["total"] > 0
    assert {r["match"] for r in body["results"]} == {"partial"}
    codes = [n["code"] for n in body["notices"]]
    assert "place_without_match" in codes
    notice = body["notices"][codes.index("place_without_match")]
    assert notice["message"] == (
        "Aucune ressource répertoriée à Laval pour ce besoin ; voici les plus proches"
    )
    assert all("VCF" in r["sectors"] for r in body["results"])
    distances = [r["distance_km"] for r in body["results"]]
    assert distances == sorted(distances)
    assert "commission-scolaire-de-laval" not in _slugs(body)


@pytest.mark.parametrize(
    "query", ["banque alimentaire", "maltraitance aînés", "logement social", "elder abuse"]
)
def test_out_of_scope_needs_point_to_211_instead_of_unrelated_listings(client, query):
    body = _search(client, q=query)
    assert body["results"] == []
    [notice] = [n for n in body["notices"] if n["code"] == "out_of_scope"]
    assert "211" in notice["message"]
    assert notice["terms"] == [query]


def test_an_out_of_scope_need_beside_a_covered_one_keeps_the_covered_one_partial(client):
    body = _search(client, q="hébergement banque alimentaire")
    assert body["total"] > 0
    assert {r["match"] for r in body["results"]} == {"partial"}
    assert {"out_of_scope", "partial"} <= {n["code"] for n in body["notices"]}


def _first_author_and_victim_ranks(body):
    sectors = [set(r["sectors"]) for r in body["results"]]
    author = next(i for i, s in enumerate(sectors) if "VCH" in s and "VCF" not in s)
    victim = next(i for i, s in enumerate(sectors) if "VCF" in s)
    return author, victim


@pytest.mark.parametrize("query", ["violence conjugale", "mon chum me frappe", "aide femmes"])
def test_victims_first_when_the_query_does_not_name_the_author(client, query):
    body = _search(client, q=query, per_page=100)
    assert body["corrected_query"] is None
    sectors = [set(r["sectors"]) for r in body["results"]]
    authors = [i for i, s in enumerate(sectors) if "VCH" in s and "VCF" not in s]
    victims = [i for i, s in enumerate(sectors) if "VCF" in s]
    assert victims
    assert not authors or max(victims) < min(authors)


@pytest.mark.parametrize(
    "query", ["conjoint violent", "homme violence conjugale", "agresseur", "comportements violents"]
)
def test_authors_first_when_the_query_names_the_author(client, query):
    body = _search(client, q=query, per_page=100)
    sectors = [set(r["sectors"]) for r in body["results"]]
    assert "VCH" in sectors[0]
    others = [i for i, s in enumerate(sectors) if "VCH" not in s]
    authors = [i for i, s in enumerate(sectors) if "VCH" in s]
    assert not others or max(authors) < min(others)


def test_mon_chum_me_frappe_stays_in_french(client):
    body = _search(client, q="mon chum me frappe")
    assert body["corrected_query"] is None
    assert body["results"]
    assert all("VCF" in r["sectors"] for r in body["results"][:5])
    assert not any("AS" in r["sectors"] for r in body["results"][:5])


# --- Facets ---------------------------------------------------------------------------------------


def test_language_fr_does_not_empty_the_directory(client):
    body = _search(client, language="fr", per_page=100)
    assert body["total"] == seedfacts.listings()
    everything = _search(client, per_page=1)
    assert everything["facets"]["language"] == {"unknown": seedfacts.listings()}
    assert everything["facets"]["mode"] == {"unknown": seedfacts.listings()}


@pytest.mark.parametrize("mode", ["in_person", "phone", "video", "chat"])
def test_no_mode_empties_the_directory(client, mode):
    assert _search(client, mode=mode)["total"] == seedfacts.listings()


def test_a_language_filter_puts_services_that_state_it_first(app, client, db_session):
    english = create_organisation("english-fictif", region="06", name="Fictional English Harbour")
    english.services[0].languages = [ServiceLanguage(code="en")]
    french = create_organisation("francais-fictif", region="06", name="Port fictif Français")
    french.services[0].languages = [ServiceLanguage(code="fr")]
    db.session.flush()
    with indexed(app, db_session, english, french):
        body = _search(client, language="en", per_page=100)
        assert body["results"][0]["organization"]["slug"] == "english-fictif"
        assert "francais-fictif" not in _slugs(body)  # it says it is French only
        assert body["facets"]["language"] == {"en": 1, "unknown": seedfacts.listings()}
        assert body["total"] == seedfacts.listings() + 1
        page = client.get("/recherche", query_string={"q": "fictif"}).get_data(as_text=True)
    assert '<option value="en"' in page
    assert '<option value="de"' not in page


# --- Suggestions ----------------------------------------------------------------------------------


def test_suggestions_tell_homonyms_apart_and_name_the_parent(client):
    cavacs = client.get("/api/v1/suggest?q=cavac").get_json()["suggestions"]
    labels = sorted(s["label"] for s in cavacs)
    assert labels == [
        "Centre d'aide aux victimes d'actes criminels (CAVAC) — Capitale-Nationale",
        "Centre d'aide aux victimes d'actes criminels (CAVAC) — Montréal",
    ]
    verdun = client.get("/api/v1/suggest?q=centre jeunesse").get_json()["suggestions"]
    [youth] = [s for s in verdun if s["slug"] == "centre-jeunesse-de-verdun"]
    assert youth["parent"]["slug"] == "ciusss-centre-sud-de-l-ile-de-montreal"
    assert youth["label"] == (
        "Centre jeunesse de Verdun — CIUSSS du Centre-Sud-de-l'Île-de-Montréal — Montréal"
    )
    assert youth["regions"] == ["06"]
