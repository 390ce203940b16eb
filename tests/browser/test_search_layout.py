"""Chromium: the search page on the design system — results first, the « Filtrer » button on a
phone, the first result three Tabs from the search box, facets as fieldsets, cards that say
what a caseworker acts on, a short list that announces its changes and prints on one page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live import loopback_context

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


def _first_result_link(page: Page):
    return page.locator(".search-hit").first.locator(".hit-name a")


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
@pytest.mark.parametrize(
    "query",
    [
        "q=refuge",
        "q=h%C3%A9bergement+femmes&near=Roberval&radius_km=50",
        "q=DPJ&near=Roberval&region=02",
    ],
)
def test_first_result_is_within_three_tabs_of_the_search_box(page: Page, viewport, query):
    page.set_viewport_size(viewport)
    page.goto(f"/recherche?{query}")
    page.get_by_label("Que cherchez-vous ?").focus()
    for _tab in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.search-hit') !== null"):
            break
    expect(_first_result_link(page)).to_be_focused()


def test_phone_shows_the_results_first_and_filtrer_reveals_the_filters(phone: Page):
    phone.goto("/recherche?q=h%C3%A9bergement+femmes&near=Roberval")
    toggle = phone.get_by_role("button", name="Filtrer")
    panel = phone.locator("#search-filters")
    expect(toggle).to_have_attribute("aria-controls", "search-filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_contain_text("1 actif")  # the place
    expect(panel).to_be_hidden()
    first = phone.locator(".search-hit").first
    expect(first).to_be_in_viewport()  # the results start on the first screen

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    # Drawn (and reached) between the button and the results.
    assert panel.bounding_box()["y"] > toggle.bounding_box()["y"]
    assert panel.bounding_box()["y"] < first.bounding_box()["y"]
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("Près de (municipalité ou code postal)")).to_be_focused()

    # A filter chosen there applies to the same search.
    phone.get_by_label("Région").select_option("02")
    panel.get_by_role("button", name="Appliquer").click()
    expect(phone).to_have_url(re.compile(r"region=02"))
    expect(phone).to_have_url(re.compile(r"q=h%C3%A9bergement\+femmes|q=hébergement\+femmes"))
    expect(phone.get_by_role("button", name="Filtrer")).to_contain_text("2 actifs")
    expect(phone.locator(".search-hit")).to_have_count(3)

    # Closed again with the button, or with Escape on it (which does not leave the site).
    phone.get_by_role("button", name="Filtrer").click()
    expect(panel).to_be_visible()
    phone.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(phone.get_by_role("button", name="Filtrer")).to_be_focused()
    expect(phone).to_have_url(re.compile(r"/recherche\?"))


def test_wide_screen_shows_the_filters_beside_the_results(page: Page):
    page.set_viewport_size(WIDE)
    page.goto("/recherche?q=refuge")
    expect(page.get_by_role("button", name="Filtrer")).to_be_hidden()
    panel = page.locator("#search-filters")
    expect(panel).to_be_visible()
    results = page.locator(".search-results")
    assert panel.bounding_box()["x"] > results.bounding_box()["x"] + results.bounding_box()["width"]
    assert abs(panel.bounding_box()["y"] - results.bounding_box()["y"]) < 40


def test_a_phone_turned_wide_puts_the_filters_back_beside_the_results(phone: Page):
    phone.goto("/recherche?q=refuge")
    phone.get_by_role("button", name="Filtrer").click()
    phone.set_viewport_size(WIDE)
    panel = phone.locator("#search-filters")
    expect(panel).to_be_visible()
    phone.get_by_label("Que cherchez-vous ?").focus()
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    expect(_first_result_link(phone)).to_be_focused()


def test_facets_are_fieldsets_named_by_their_legend(page: Page):
    page.goto("/recherche?q=femmes")
    for name in ("Lieu et distance", "Région", "Secteur", "Population", "Langue"):
        expect(page.get_by_role("group", name=name, exact=True)).to_be_visible()
    region = page.get_by_role("group", name="Région", exact=True)
    expect(region.get_by_role("combobox", name="Région")).to_be_visible()
    expect(region.get_by_role("link", name="Montréal")).to_be_visible()
    language = page.get_by_role("group", name="Langue", exact=True)
    expect(language).to_contain_text(re.compile(r"Non précisé \(\d+\)"))


def test_an_unknown_place_opens_the_filters_on_its_field(phone: Page):
    phone.goto("/recherche?q=h%C3%A9bergement&near=Xyzville")
    expect(phone.get_by_role("alert")).to_contain_text("Lieu introuvable : Xyzville")
    expect(phone.get_by_role("button", name="Filtrer")).to_have_attribute("aria-expanded", "true")
    near = phone.get_by_label("Près de (municipalité ou code postal)")
    expect(near).to_be_visible()
    expect(near).to_have_value("Xyzville")
    expect(near).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_label("Que cherchez-vous ?")).to_have_value("hébergement")


def test_a_card_says_what_to_act_on(page: Page):
    page.goto("/recherche?q=DPJ&near=Roberval")
    card = page.locator(".search-hit").first
    expect(card.get_by_role("heading", level=3)).to_be_visible()
    expect(card.locator(".distance")).to_be_visible()
    expect(card.locator(".distance-basis")).to_contain_text("distance approximative")
    expect(card.locator(".verification")).to_be_visible()
    page.goto("/recherche?q=h%C3%A9bergement+femmes+Roberval")
    partial = page.locator(".search-hit.partial").first
    expect(partial.locator(".match-tag")).to_have_text("Correspondance partielle")
    full = page.locator(".search-hit:not(.partial)").first
    expect(full.locator(".match-tag")).to_have_count(0)


def test_adding_to_the_list_keeps_the_focus_and_is_announced(page: Page):
    page.goto("/recherche?q=refuge")
    button = page.locator(".search-hit").first.locator("[data-shortlist-add]")
    expect(button).to_have_accessible_name("Ajouter à ma liste")
    name = page.locator(".search-hit").first.get_attribute("data-name")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_text("Dans ma liste")
    expect(button).to_be_focused()
    expect(button).to_be_disabled()  # aria-disabled: used once, still in the tab order
    expect(page.locator("[data-shortlist-status]")).to_have_text(
        f"« {name} » est dans votre liste à imprimer (1)."
    )
    page.keyboard.press("Enter")  # a second press adds nothing
    assert len(page.evaluate("JSON.parse(sessionStorage.getItem('filet.shortlist'))")) == 1


def test_without_javascript_the_filters_are_shown_after_the_results(browser: Browser, live_server):
    outside: list[str] = []
    context = loopback_context(
        browser, live_server, outside, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/recherche?q=refuge")
        expect(page.get_by_role("button", name="Filtrer")).to_be_hidden()
        panel = page.locator("#search-filters")
        expect(panel).to_be_visible()
        assert panel.bounding_box()["y"] > page.locator(".search-hit").last.bounding_box()["y"]
        page.get_by_label("Région").select_option("03")
        panel.get_by_role("button", name="Appliquer").click()
        expect(page).to_have_url(re.compile(r"q=refuge.*region=03|region=03.*q=refuge"))
    finally:
        context.close()
    assert outside == []


# --- The short list ---------------------------------------------------------------------------


def _fictional_items(count: int) -> list[dict]:
    """Generated, clearly fictional entries as the search cards store them (public fields)."""
    return [
        {
            "slug": f"ressource-fictive-{n}",
            "name": f"Ressource fictive {n}",
            "service": "Hébergement et accompagnement (fictif)",
            "parent": "Organisme parent fictif" if n % 2 else "",
            "place": "Roberval, Saguenay–Lac-Saint-Jean",
            "offers": "Accueil, écoute et accompagnement des femmes et de leurs enfants"
            " (texte fictif d'une longueur réaliste pour la mise en page).",
            "sectors": "VC – femmes et enfants",
            "how_to_refer": "Appeler la ligne d'écoute ; l'équipe rappelle dans la journée.",
            "contacts": {
                "phones": [
                    {
                        "number": f"(418) 555-01{n:02d}",
                        "kind": "hotline",
                        "hours": "24/7",
                        "extension": None,
                        "description": "Ligne d'écoute (fictive)",
                    },
                    {
                        "number": f"(418) 555-02{n:02d}",
                        "kind": "voice",
                        "hours": None,
                        "extension": "4",
                        "description": None,
                    },
                ],
                "email": f"accueil{n}@fictif.example",
                "website": None,
            },
            "verified_at": "" if n % 3 else "12 mars 2026",
        }
        for n in range(1, count + 1)
    ]


@pytest.fixture
def shortlist(page: Page) -> Page:
    page.goto("/liste")
    page.evaluate(
        "items => sessionStorage.setItem('filet.shortlist', JSON.stringify(items))",
        _fictional_items(6),
    )
    page.reload()
    return page


def test_removing_an_entry_is_announced_and_moves_the_focus(shortlist: Page):
    items = shortlist.locator("[data-shortlist] > li")
    expect(items).to_have_count(6)
    expect(items.first.get_by_role("heading", level=2)).to_have_text("Ressource fictive 1")
    items.nth(1).get_by_role("button", name="Retirer : Ressource fictive 2").click()
    expect(items).to_have_count(5)
    expect(shortlist.locator("[data-shortlist-status]")).to_have_text(
        "« Ressource fictive 2 » ne fait plus partie de la liste."
    )
    expect(items.nth(1)).to_be_focused()  # the entry that took its place
    expect(items.nth(1)).to_contain_text("Ressource fictive 3")

    shortlist.get_by_role("button", name="Vider la liste").click()
    expect(items).to_have_count(0)
    expect(shortlist.locator("[data-shortlist-status]")).to_have_text("La liste a été vidée.")
    expect(shortlist.locator("[data-shortlist-empty]")).to_be_focused()


def test_printed_list_is_a_one_page_handout_under_a_neutral_title(shortlist: Page):
    shortlist.emulate_media(media="print")
    handout = shortlist.locator(".handout-header")
    expect(handout).to_be_visible()
    expect(handout).to_contain_text("Ressources d'aide")
    expect(handout).to_contain_text(re.compile(r"Liste préparée le \d{1,2} \w+ \d{4}"))
    # Nothing around the entries names the site or its subject.
    for hidden in (".site-header", "h1", ".quick-exit", "[data-shortlist-actions]"):
        expect(shortlist.locator(hidden).first).to_be_hidden()
    footer = shortlist.get_by_role("contentinfo")
    expect(footer).to_contain_text("composez le 911")
    expect(footer.get_by_text("GeoNames")).to_be_hidden()
    pdf = shortlist.pdf(format="Letter")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"six entries print on {pages} pages"
