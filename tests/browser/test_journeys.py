"""Chromium journeys: browse home → region → organisation, switch to English, quick exit, print."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_browse_from_home_to_an_organisation(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Trouver une ressource en violence conjugale"
    )
    expect(page.locator(".region-card")).to_have_count(17)
    page.get_by_role("link", name=re.compile("Saguenay–Lac-Saint-Jean")).click()
    expect(page).to_have_url(re.compile(r"/regions/02$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Région 02 – Saguenay–Lac-Saint-Jean")
    page.get_by_role(
        "link",
        name=re.compile(
            "Ressource pour conjoints|VC – conjoints|Violence conjugale : services aux conjoints"
        ),
    ).first.click()
    expect(page).to_have_url(re.compile(r"/regions/02/secteurs/VCH$"))
    expect(page.locator(".org-item")).to_have_count(2)
    page.get_by_role("link", name="Cran d'Arrêt Roberval").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cran d'Arrêt Roberval")
    expect(page.get_by_text("Roberval, région 02 – Saguenay–Lac-Saint-Jean")).to_be_visible()
    expect(page.get_by_text("Non vérifié par l'organisme")).to_be_visible()
    expect(page.locator("footer")).to_contain_text("GeoNames")


def test_sub_programme_and_parent(page: Page):
    page.goto("/organismes/ciusss-est-de-l-ile-de-montreal")
    page.get_by_role("link", name=re.compile("Site Pointe-de-l'Île")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Centre de réadaptation en dépendance"
    )
    expect(page.locator(".org-header .org-parent")).to_contain_text(
        "CIUSSS de l'Est-de-l'Île-de-Montréal"
    )


def test_switch_to_english_and_back(page: Page):
    page.goto("/organismes/auberge-de-l-amitie-roberval")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/organismes/auberge-de-l-amitie-roberval$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Not verified by the organisation")).to_be_visible()
    expect(page.get_by_text("Confidential address: it is never published.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a domestic-violence resource")
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_quick_exit_button_leaves_no_way_back(page: Page):
    page.goto("/")
    page.goto("/organismes/maison-flora-tristan")
    page.get_by_role("link", name=re.compile("Quitter rapidement")).click()
    expect(page).to_have_url(re.compile(r"/jardinage$"))
    expect(page).to_have_title("Conseils de jardinage")
    page.go_back()
    # location.replace() took the shelter page out of the history: Back lands before it.
    expect(page).not_to_have_url(re.compile("maison-flora-tristan"))


def test_quick_exit_keyboard_shortcut(page: Page):
    page.goto("/regions/06")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/jardinage$"))
    expect(page.locator("body")).not_to_contain_text("violence")


def test_print_view_hides_controls(page: Page):
    page.goto("/organismes/gapi")
    page.emulate_media(media="print")
    expect(page.locator("#quick-exit")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_keyboard_user_can_skip_to_content(page: Page):
    page.goto("/regions/03")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#contenu$"))
