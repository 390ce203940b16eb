"""Browsing the directory in French and English: home → region → sector → organisation."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from directory.organisations import queries
from directory.organisations.models import ServiceLanguage, ServiceMode
from tests import seedfacts
from tests.factories import create_organisation


def _text(response) -> str:
    """The page as a reader sees it: entities decoded, whitespace collapsed."""
    body = response.get_data(as_text=True)
    response.close()
    return re.sub(r"\s+", " ", html.unescape(body))


def test_home_lists_the_seventeen_regions_with_counts(client):
    page = _text(client.get("/"))
    assert page.count('class="region-card') == seedfacts.regions()
    for code in seedfacts.region_codes():
        label, count = seedfacts.region_label(code), seedfacts.fiches(seedfacts.listings_in(code))
        assert f'{label}</span> <span class="region-count">{count}<' in page
    assert '<html lang="fr">' in page


def test_region_page_lists_its_sectors_and_organisations(client):
    page = _text(client.get("/regions/02"))
    assert "Région 02 – Saguenay–Lac-Saint-Jean" in page
    assert "Auberge de l'Amitié Roberval" in page
    assert "/regions/02/secteurs/VCH" in page
    assert "Commission scolaire de Laval" not in page
    assert seedfacts.fiches(seedfacts.listings_in("02")) in page


def test_region_without_listings_has_a_helpful_empty_state(client):
    page = _text(client.get("/regions/01"))
    assert "Aucun organisme n'est encore répertorié dans cette région." in page


def test_region_sector_page_filters_by_both(client):
    page = _text(client.get("/regions/02/secteurs/VCH"))
    assert page.count('class="org-item"') == 2
    assert "Cran d'Arrêt Roberval" in page
    assert "Cran d'Arrêt d'Alma" in page


def test_sector_page_spans_regions_and_shows_sub_programmes(client):
    page = _text(client.get("/secteurs/PC"))
    assert "Sous-programme de CIUSSS de l'Est-de-l'Île-de-Montréal" in page
    assert "Portage" in page
    assert page.count('class="org-item"') == 3


def test_long_lists_are_paginated(client):
    first = _text(client.get("/regions/06"))
    assert "Page 1 sur 2" in first
    assert first.count('class="org-item"') == 20
    second = _text(client.get("/regions/06?page=2"))
    assert second.count('class="org-item"') == 16
    assert client.get("/regions/06?page=9").status_code == 404


def test_organisation_page_shows_what_a_caseworker_needs(client):
    page = _text(client.get("/organismes/auberge-de-l-amitie-roberval"))
    assert "Maison d'hébergement" in page
    assert "Organisme communautaire" in page
    assert "Roberval, région 02 – Saguenay–Lac-Saint-Jean" in page
    assert "Adresse confidentielle" in page
    assert "Non vérifié par l'organisme" in page
    assert "Femmes, Enfants" in page
    assert "Aucune coordonnée vérifiée pour le moment." in page
    assert "GeoNames" in page


def test_parent_and_sub_programmes_link_each_other(client):
    parent = _text(client.get("/organismes/ciusss-capitale-nationale"))
    assert "/organismes/crdq" in parent
    assert "Famille Enfance Jeunesse (FEJ)" in parent
    child = _text(client.get("/organismes/crdq"))
    assert "Sous-programme de" in child
    assert "/organismes/ciusss-capitale-nationale" in child
    assert "Établissement public" in child


def test_verified_listing_shows_its_date(client, db_session):
    gapi = queries.organisation_by_slug("gapi")
    gapi.verification_status = "verified"
    gapi.last_verified_at = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
    db_session.flush()
    assert "Vérifié le 14 mars 2026" in _text(client.get("/organismes/gapi"))


@pytest.mark.parametrize(
    "path", ["/organismes/inconnu", "/regions/99", "/secteurs/NOPE", "/regions/02/secteurs/NOPE"]
)
def test_unknown_pages_are_404_in_french(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Cette page n'existe pas ou n'existe plus." in _text(response)


def test_english_is_available_and_remembered(client):
    response = client.get("/langue/en?next=/organismes/gapi")
    assert response.status_code == 302
    assert response.headers["Location"] == "/organismes/gapi"
    page = _text(client.get("/organismes/gapi"))
    assert '<html lang="en">' in page
    assert "Not verified by the organisation" in page
    assert "Quick exit" in page
    assert "Domestic violence: services for partners with violent behaviour" in page
    home = _text(client.get("/"))
    assert "Québec's 17 regions" in home
    assert f"{seedfacts.listings_in('02')} listings" in home


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/langue/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client):
    assert client.get("/langue/de").status_code == 404


def test_every_page_has_the_quick_exit_and_security_headers(client):
    response = client.get("/regions/03")
    page = _text(response)
    assert "data-quick-exit" in page
    assert 'href="/jardinage"' in page
    assert "js/quick-exit.js" in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_quick_exit_script_replaces_the_location(client):
    script = _text(client.get("/static/js/quick-exit.js"))
    assert "location.replace" in script
    assert '"Escape"' in script


def test_print_stylesheet_hides_navigation_and_controls(client):
    page = _text(client.get("/"))
    assert 'css/print.css" media="print"' in page
    css = _text(client.get("/static/css/print.css"))
    assert ".quick-exit" in css
    assert "display: none" in css


def test_neutral_page_says_nothing_of_this_site(client):
    page = _text(client.get("/jardinage"))
    assert "Conseils de jardinage" in page
    for word in ("Filet", "violence", "hébergement", "Quitter"):
        assert word not in page


def test_service_languages_and_modes_are_listed_in_the_interface_language(client, db_session):
    organisation = create_organisation("ressource-fictive-langues")
    service = organisation.services[0]
    service.languages = [ServiceLanguage(code="fr"), ServiceLanguage(code="en")]
    service.modes = [ServiceMode(mode="phone"), ServiceMode(mode="in_person")]
    service.hours = "Du lundi au vendredi, 9 h à 17 h"
    db_session.flush()
    db_session.expire_all()  # read back as a request would: in the database's order
    page = _text(client.get("/organismes/ressource-fictive-langues"))
    assert "anglais, français" in page
    assert "En personne, Téléphone" in page
    assert "Heures</dt> <dd> Du lundi au vendredi, 9 h à 17 h </dd>" in page
    client.set_cookie("lang", "en")
    page = _text(client.get("/organismes/ressource-fictive-langues"))
    assert "English, French" in page
    assert "In person, Phone" in page
