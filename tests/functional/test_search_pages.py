"""The search page says what a caseworker needs to read the list right."""

from __future__ import annotations

import html
import json
import re

from tests.factories import add_phone, create_organisation, indexed


def _page(client, **params):
    response = client.get("/recherche", query_string=params)
    return response.status_code, html.unescape(response.get_data(as_text=True))


def _text(page: str) -> str:
    """The page's text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_a_card_shows_contacts_hotline_first_and_how_to_refer(app, client, db_session):
    listing = create_organisation("carte-fictive", region="03", name="Carte fictive Horizon")
    listing.services[0].how_to_refer = "Appeler l'accueil avant de se présenter."
    add_phone(listing, "418 555-0131", type="voice", extension="4")
    add_phone(listing, "1 800 555-0132", type="hotline", hours="24/7")
    with indexed(app, db_session, listing):
        status, page = _page(client, q="carte horizon")
    assert status == 200
    card = page[page.index('data-slug="carte-fictive"') :]
    assert card.index("1 800 555-0132") < card.index("418 555-0131")
    assert 'href="tel:1 800 555-0132"' in card
    assert "(24/7)" in card
    assert "poste 4" in card
    assert "Pour y diriger une personne : Appeler l'accueil avant de se présenter." in _text(card)
    # What the short list stores in the browser: the same public contacts.
    item = json.loads(re.search(r"data-item='([^']*)'", card).group(1))
    assert [p["number"] for p in item["contacts"]["phones"]] == ["1 800 555-0132", "418 555-0131"]
    assert item["how_to_refer"] == "Appeler l'accueil avant de se présenter."


def test_approximate_distances_say_so(client):
    _, page = _page(client, q="DPJ", near="Roberval")
    assert "Dessert votre région" in page
    assert "distance approximative" in page


def test_partial_results_are_headed(client):
    _, page = _page(client, q="hébergement femmes Roberval")
    assert page.count("Résultats partiels : ne correspondent pas à tous vos mots") == 1
    first_partial = page.index("Résultats partiels")
    assert page.index("Auberge de l'Amitié Roberval") < first_partial


def test_a_place_without_match_is_said(client):
    _, page = _page(client, q="refuge femmes Laval")
    assert "Aucune ressource répertoriée à Laval pour ce besoin ; voici les plus proches" in page
    assert "Distances depuis Laval" in page


def test_out_of_scope_suggests_211(client):
    _, page = _page(client, q="banque alimentaire")
    assert "211" in page
    assert "ce besoin n'est pas couvert par ce répertoire" in page
    assert "Clinique psycho-alimentaire" not in page


def test_a_radius_that_empties_the_list_shows_the_nearest(client):
    _, page = _page(client, q="gapi", near="Roberval", radius_km=10)
    assert "Aucun résultat à moins de 10 km de Roberval" in page
    assert "Le Groupe d'aide aux personnes impulsives" in page
    assert "Élargir le rayon" not in page


def test_unknown_facet_values_are_shown_and_explained(client):
    _, page = _page(client, q="femmes")
    assert re.search(r"Non précisé \(\d+\)", page)
    assert "le service n'a pas encore indiqué ses langues" in page


def test_filters_offer_only_stated_languages_and_modes(client):
    _, page = _page(client, q="femmes")
    language_select = page[
        page.index('id="f-language"') : page.index("</select>", page.index('id="f-language"'))
    ]
    assert '<option value="fr"' not in language_select  # no seed service states a language


def test_an_unknown_place_keeps_the_query_and_still_answers(client):
    status, page = _page(client, q="hébergement", near="Xyzville")
    assert status == 400
    assert "Lieu introuvable : Xyzville" in page
    assert 'value="hébergement"' in page
    assert 'value="Xyzville"' in page
    assert "Maison Flora Tristan" in page  # the words still found their listings


def test_an_unknown_place_suggests_close_names(client):
    _, page = _page(client, q="hébergement", near="Robrvxl")
    assert "Vouliez-vous dire" in page
    assert "Roberval" in page


def test_the_short_list_page_carries_its_labels(client):
    response = client.get("/liste")
    page = html.unescape(response.get_data(as_text=True))
    labels = json.loads(re.search(r"data-labels='([^']*)'", page).group(1))
    assert labels["phone_kinds"]["hotline"] == "Ligne d'écoute"
    assert labels["refer"] == "Pour y diriger une personne :"
