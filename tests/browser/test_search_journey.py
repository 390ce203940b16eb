"""Chromium: search, filter, near a municipality, add to the short list, print it; a phone an
editor adds reaches the result card and the printed list."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.live import LiveInstance, gunicorn_instance, loopback_context

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_search_journey")


def test_search_filter_near_and_print_list(page: Page):
    page.goto("/")
    page.get_by_label("Que cherchez-vous ?").fill("hébergement femmes")
    page.get_by_label("Près de (municipalité ou code postal)").fill("Robervall")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/recherche\?"))
    first = page.locator(".search-hit").first
    expect(first).to_contain_text("Auberge de l'Amitié Roberval")
    expect(first.locator(".distance")).to_have_text("à environ 0,0 km")  # decimal comma

    # Narrow with the filters and a radius.
    page.get_by_text("Filtres").click()
    page.get_by_label("Région").select_option("02")
    page.get_by_label("Rayon").select_option("50")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".search-hit")).to_have_count(3)
    expect(page.locator(".facets")).to_contain_text("Saguenay–Lac-Saint-Jean (3)")

    # Add two results to the short list, kept in this tab only.
    page.locator(".search-hit").nth(0).get_by_role("button", name="Ajouter à ma liste").click()
    page.locator(".search-hit").nth(1).get_by_role("button", name="Ajouter à ma liste").click()
    expect(page.locator(".search-hit").nth(0).get_by_role("button")).to_have_text("Dans ma liste")
    expect(page.locator("[data-shortlist-count]")).to_have_text("(2)")
    page.get_by_role("link", name="Ma liste à imprimer").click()
    items = page.locator("[data-shortlist] li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Auberge de l'Amitié Roberval")

    # The print view keeps the list and drops the controls.
    page.emulate_media(media="print")
    expect(items.first).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    expect(page.locator("#quick-exit")).to_be_hidden()
    page.emulate_media(media="screen")

    # Removing an item, then the quick exit clears the list with the rest.
    items.first.get_by_role("button", name="Retirer").click()
    expect(items).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/jardinage$"))
    assert page.evaluate("window.sessionStorage.getItem('filet.shortlist')") is None


def test_typo_is_corrected_and_said(page: Page):
    page.goto("/recherche?q=maison+flora+tristn")
    expect(page.get_by_role("heading", level=2).first).to_contain_text(
        "Résultats pour « maison flora tristan »"
    )
    expect(page.locator(".search-hit").first).to_contain_text("Maison Flora Tristan")


def test_empty_results_suggest_what_to_do(page: Page):
    page.goto("/recherche?q=xqzwv&region=02")
    expect(page.locator(".empty-state")).to_contain_text("Aucun résultat.")
    page.get_by_role("link", name="Retirer les filtres").click()
    expect(page).not_to_have_url(re.compile("region="))


def test_name_suggestions_appear_while_typing(page: Page):
    page.goto("/recherche")
    page.get_by_label("Que cherchez-vous ?").press_sequentially("flora", delay=30)
    expect(page.locator("#suggestions option")).to_have_count(1)
    assert (
        page.locator("#suggestions option").first.get_attribute("value") == "Maison Flora Tristan"
    )
    assert page.locator("#suggestions option").first.get_attribute("label") == (
        "Maison Flora Tristan — Montréal"
    )


def test_homonym_suggestions_carry_their_region(page: Page):
    page.goto("/recherche")
    page.get_by_label("Que cherchez-vous ?").press_sequentially("cavac", delay=30)
    options = page.locator("#suggestions option")
    expect(options).to_have_count(2)
    values = sorted(options.nth(i).get_attribute("value") for i in range(2))
    assert values == [
        "Centre d'aide aux victimes d'actes criminels (CAVAC) — Capitale-Nationale",
        "Centre d'aide aux victimes d'actes criminels (CAVAC) — Montréal",
    ]


# --- The printed list with a phone, on a live instance (an admin adds the phone) ------------------

ADMIN_EMAIL = "coordination-recherche@fictif.example"
ADMIN_PASSWORD = "une phrase de passe pour la recherche"
SHELTER = "maison-marie-rollet"  # confidential site: its phone is public, its address never


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("search"), smtp_server.port) as instance:
        instance.env["DIRECTORY_PASSWORD"] = ADMIN_PASSWORD
        instance.flask("user", "create", ADMIN_EMAIL, "--role", "admin")
        yield instance


def _add_hotline(page: Page) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse courriel").fill(ADMIN_EMAIL)
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.goto(f"/gestion/organismes/{SHELTER}/telephones/nouveau")
    page.get_by_label("Numéro").fill("418 555 0142")
    page.get_by_label("Type").select_option("hotline")
    page.get_by_label("Description (ex. : ligne d'écoute 24 h)").fill("Ligne d'écoute (fictive)")
    page.get_by_label("Heures (ex. : 24 h sur 24, 7 jours sur 7)").fill("24/7")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash-success")).to_be_visible()


def test_a_phone_added_by_an_editor_reaches_the_card_and_the_printed_list(browser, live):
    outside: list[str] = []
    context = loopback_context(browser, live.url, outside)
    page = context.new_page()
    _add_hotline(page)

    # The caseworker finds it: the card shows the hotline, its hours, and no address.
    page.goto("/recherche?q=maison+marie-rollet")
    card = page.locator(f'.search-hit[data-slug="{SHELTER}"]').first
    expect(card).to_contain_text("Ligne d'écoute (fictive) : (418) 555-0142 (24/7)")
    expect(card.get_by_role("link", name="(418) 555-0142")).to_have_attribute(
        "href", "tel:(418) 555-0142"
    )
    card.get_by_role("button", name="Ajouter à ma liste").click()

    # The printed list is a handout: name, what it offers, how to reach it, verification.
    page.goto("/liste")
    item = page.locator("[data-shortlist] li").first
    expect(item).to_contain_text("Maison Marie-Rollet")
    expect(item).to_contain_text("Maison d'hébergement")
    expect(item).to_contain_text("Pour joindre :")
    expect(item.locator(".shortlist-phone")).to_have_text(
        "Ligne d'écoute (fictive) : (418) 555-0142 (24/7)"
    )
    expect(item).to_contain_text("Non vérifié par l'organisme")
    page.emulate_media(media="print")
    expect(item.locator(".shortlist-phone")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("composez le 911")
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    context.close()
    assert outside == []
