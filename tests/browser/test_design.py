"""The design system in Chromium: every page passes axe-core (WCAG 2 A/AA and best practices)
at 1280 and 390 px, anonymous and signed in; no page is wider than a phone; the quick exit
stays in reach, leaves no way back, and Escape never fires while someone is typing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import render_template_string
from playwright.sync_api import Browser, Page, expect

from tests.browser import screens
from tests.browser.a11y import blocking, overflow
from tests.live import LiveInstance, gunicorn_instance

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_design")

OUTSIDE: list[str] = []  # requests that tried to leave loopback, across this module


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("design"), smtp_server.port) as instance:
        screens.prepare(instance)
        yield instance


@pytest.fixture(scope="module")
def states(browser: Browser, live: LiveInstance) -> dict[str, dict]:
    return screens.signed_in_states(browser, live, OUTSIDE)


@pytest.fixture(autouse=True)
def _nothing_leaves_loopback() -> Iterator[None]:
    OUTSIDE.clear()
    yield
    assert OUTSIDE == [], f"requests outside loopback: {OUTSIDE}"


@pytest.mark.parametrize("width", screens.WIDTHS.values(), ids=screens.WIDTHS.keys())
@pytest.mark.parametrize("screen", screens.SCREENS, ids=lambda screen: screen.id)
def test_no_critical_or_serious_accessibility_violation(browser, live, states, screen, width):
    context = screens.new_context(
        browser, live, width=width, state=states[screen.role], outside=OUTSIDE
    )
    try:
        page = screens.open_screen(context, screen)
        assert blocking(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("screen", screens.SCREENS, ids=lambda screen: screen.id)
def test_phone_page_fits_and_keeps_the_quick_exit_in_reach(browser, live, states, screen):
    context = screens.new_context(
        browser, live, width=screens.WIDTHS["phone"], state=states[screen.role], outside=OUTSIDE
    )
    try:
        page = screens.open_screen(context, screen)
        assert overflow(page) == 0, "the page is wider than the phone's screen"
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        exit_button = page.locator("#quick-exit")
        expect(exit_button).to_be_visible()
        expect(exit_button).to_be_in_viewport(ratio=1)
    finally:
        context.close()


# The quick exit and the keyboard, on the suite's own server (anonymous pages).


def _at_phone_width(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})


def test_quick_exit_is_fixed_on_a_wide_screen_too(page: Page):
    page.goto("/regions/06")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(page.locator("#quick-exit")).to_be_in_viewport(ratio=1)
    expect(page.locator(".quick-exit-hint")).to_be_visible()


def test_phone_quick_exit_is_a_large_button_without_the_keyboard_hint(page: Page):
    _at_phone_width(page)
    page.goto("/organismes/maison-flora-tristan")
    button = page.locator("#quick-exit")
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a comfortable touch target
    assert box["width"] >= 300  # nearly the whole width of the screen
    expect(page.locator(".quick-exit-hint")).to_be_hidden()
    expect(button).to_have_accessible_name(re.compile("Quitter rapidement"))


@pytest.mark.parametrize(
    ("path", "field", "left"),
    [
        ("/connexion", "Adresse courriel", "ref"),
        ("/organismes/gapi", "Ce qui est à corriger", "ref"),
        # Chromium empties a search box on Escape by itself: the page must stay all the same.
        ("/", "Que cherchez-vous ?", ""),
    ],
)
def test_escape_while_typing_does_not_exit(page: Page, path: str, field: str, left: str):
    page.goto(path)
    box = page.get_by_label(field)
    box.fill("ref")
    box.press("Escape")  # closes suggestions, or is a slip of the finger
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(box).to_be_focused()
    expect(box).to_have_value(left)


def test_escape_outside_a_field_still_exits(page: Page):
    page.goto("/connexion")
    page.get_by_label("Adresse courriel").fill("quelqu'un@fictif.example")
    page.get_by_role("heading", level=1).click()  # focus leaves the field
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/jardinage$"))


def test_back_after_the_quick_exit_never_shows_a_filet_page(page: Page):
    page.goto("/")
    page.goto("/regions/02")
    page.goto("/organismes/maison-flora-tristan")
    page.get_by_role("link", name=re.compile("Quitter rapidement")).click()
    expect(page).to_have_url(re.compile(r"/jardinage$"))
    for _step in range(2):
        page.go_back()
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(r"/jardinage$"))
        expect(page).to_have_title("Conseils de jardinage")
        expect(page.locator("body")).not_to_contain_text("Filet")
        expect(page.locator("body")).not_to_contain_text("violence")


def test_a_deliberate_visit_after_the_exit_works_again(page: Page):
    page.goto("/regions/02")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/jardinage$"))
    page.goto("/a-propos")  # typed again: not a Back
    expect(page.get_by_role("heading", level=1)).to_have_text("À propos de Filet")


def test_quick_exit_empties_the_short_list(page: Page):
    page.goto("/liste")
    page.evaluate(
        "sessionStorage.setItem('filet.shortlist', JSON.stringify([{slug: 'gapi'}]));"
        "sessionStorage.setItem('autre', 'x')"
    )
    page.get_by_role("link", name=re.compile("Quitter rapidement")).click()
    expect(page).to_have_url(re.compile(r"/jardinage$"))
    keys = page.evaluate("Object.keys(sessionStorage)")
    assert "filet.shortlist" not in keys
    assert "autre" not in keys


def test_phone_menu_is_collapsed_until_opened_and_escape_closes_it(page: Page):
    _at_phone_width(page)
    page.goto("/a-propos")
    toggle = page.get_by_role("button", name="Menu")
    about = page.locator(".site-nav").get_by_role("link", name="À propos")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(about).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(about).to_be_visible()
    about.focus()
    page.keyboard.press("Escape")  # closes the menu; does not leave the site
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(page).to_have_url(re.compile(r"/a-propos$"))


def test_wide_screen_shows_the_navigation_without_a_menu_button(page: Page):
    page.goto("/a-propos")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator(".site-nav").get_by_role("link", name="Connexion")).to_be_visible()


def test_error_summary_takes_the_focus_and_leads_to_the_field(page: Page):
    page.goto("/demande-de-compte")
    page.get_by_role("button", name="Envoyer la demande").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_contain_text("erreurs")
    summary.get_by_role("link", name=re.compile("^Votre nom")).click()
    expect(page.get_by_label("Votre nom")).to_be_focused()
    expect(page.get_by_label("Votre nom")).to_have_attribute("aria-invalid", "true")


def test_status_message_is_announced_and_moves_the_focus_to_what_changed(app, page: Page):
    """The macro the meeting pages use after a swap or an exclusion, with the real ui.js."""
    with app.test_request_context():
        body = render_template_string(
            '{% from "_macros.html" import status_message %}<!DOCTYPE html><html lang="fr">'
            "<head><title>Essai</title>"
            "<script src=\"{{ url_for('static', filename='js/ui.js') }}\"></script></head>"
            "<body><main>{{ status_message('Organisme B remplace l’organisme A.', "
            "focus='member-2') }}<ol><li id='member-1'>Organisme C</li>"
            "<li id='member-2'><h3>Organisme B</h3></li></ol></main></body></html>"
        )
    page.route(
        "**/essai-statut",
        lambda route: route.fulfill(body=body, content_type="text/html; charset=utf-8"),
    )
    page.goto("/essai-statut")
    status = page.get_by_role("status")
    expect(status).to_have_text("Organisme B remplace l’organisme A.")
    expect(page.locator("#member-2")).to_be_focused()
    expect(page.locator("#member-2")).to_have_attribute("tabindex", "-1")


# The quick exit never lies over the navigation, nor over the content: a cell of the header band
# on a wide screen, a bar at the bottom of a narrow one with room kept for it under the page.

HEADER_WIDTHS = [320, 390, 600, 768, 769, 1024, 1280, 1920]


@contextmanager
def _tab(browser: Browser, live: LiveInstance, state: dict, width: int) -> Iterator[Page]:
    """A new tab `width` pixels wide, signed in as `state` says, closed afterwards."""
    context = screens.new_context(browser, live, width=width, state=state, outside=OUTSIDE)
    try:
        yield context.new_page()
    finally:
        context.close()


_BOXES = """() => {
  const box = element => {
    const r = element.getBoundingClientRect();
    return {x: r.left, y: r.top, right: r.right, bottom: r.bottom, width: r.width,
            height: r.height};
  };
  const shown = element => element.getClientRects().length > 0
    && getComputedStyle(element).visibility !== 'hidden';
  const links = [...document.querySelectorAll('.site-nav a, .site-nav button, .nav-toggle, .brand')]
    .filter(shown)
    .map(element => ({name: element.textContent.trim(), ...box(element)}));
  return {exit: box(document.getElementById('quick-exit')), links,
          header: box(document.querySelector('.site-header')),
          viewport: {width: innerWidth, height: innerHeight}};
}"""


def _overlap(one: dict, other: dict) -> bool:
    return (
        one["x"] < other["right"]
        and other["x"] < one["right"]
        and one["y"] < other["bottom"]
        and other["y"] < one["bottom"]
    )


def _assert_exit_clear_of_navigation(page: Page, where: str, *, scrolled: bool = False) -> dict:
    """The quick exit is wholly on screen and over no link of the header. Once `scrolled`,
    the links may be gone with the top of the page (narrow screens) or still in the band."""
    boxes = page.evaluate(_BOXES)
    exit_box, viewport = boxes["exit"], boxes["viewport"]
    assert exit_box["width"] > 0, where
    assert 0 <= exit_box["x"] <= exit_box["right"] <= viewport["width"], where
    assert 0 <= exit_box["y"] <= exit_box["bottom"] <= viewport["height"], where
    assert scrolled or boxes["links"], f"{where}: no navigation link shown"
    covered = [link["name"] for link in boxes["links"] if _overlap(exit_box, link)]
    assert covered == [], f"{where}: the quick exit lies over {covered}"
    return boxes


@pytest.mark.parametrize("width", HEADER_WIDTHS)
@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_quick_exit_never_covers_a_navigation_link(browser, live, states, role, width):
    with _tab(browser, live, states[role], width) as page:
        page.goto("/recherche?q=refuge")
        toggle = page.locator("[data-nav-toggle]")
        if toggle.is_visible():  # a phone: the menu is what holds the links
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
        boxes = _assert_exit_clear_of_navigation(page, f"{role} at {width} px, top")
        if width > 768:  # wide: a cell of the header band, never over the page's content
            exit_box, header = boxes["exit"], boxes["header"]
            assert header["y"] <= exit_box["y"]
            assert exit_box["bottom"] <= header["bottom"]
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
        _assert_exit_clear_of_navigation(page, f"{role} at {width} px, middle", scrolled=True)


@pytest.mark.parametrize("width", [1024, 1280])
def test_quick_exit_clear_of_the_english_navigation(browser, live, states, width):
    with _tab(browser, live, states["admin"], width) as page:
        page.goto("/langue/en?next=/compte")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        _assert_exit_clear_of_navigation(page, f"English at {width} px")


@pytest.mark.parametrize("width", [320, 390, 600, 768])
def test_narrow_screens_keep_room_for_the_quick_exit_bar(browser, live, states, width):
    """At the end of the page nothing is left under the bar: the footer's last line is above it."""
    with _tab(browser, live, states["anonymous"], width) as page:
        page.goto("/regions/06")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        exit_box = page.locator("#quick-exit").bounding_box()
        last_line = page.locator(".site-footer .container > :last-child").bounding_box()
        assert exit_box is not None
        assert last_line is not None
        assert last_line["y"] + last_line["height"] <= exit_box["y"]
