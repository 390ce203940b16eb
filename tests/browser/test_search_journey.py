"""Chromium: search, filter, near a municipality, add to the short list, print it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


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
