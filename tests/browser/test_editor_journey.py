"""Chromium journeys against real gunicorn workers: an editor invited by e-mail keeps a listing
true, and two editors saving the same record meet a conflict page that loses nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.live import LiveInstance, gunicorn_instance, loopback_context

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_editor_journey")

ADMIN_PASSWORD = "une phrase de passe pour l'admin"
EDITOR_PASSWORD = "la phrase de passe de l'éditrice"
ORGANISATION = "cran-d-arret-roberval"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("journey"), smtp_server.port) as instance:
        instance.env["DIRECTORY_PASSWORD"] = ADMIN_PASSWORD
        instance.flask("user", "create", "coordination@fictif.example", "--role", "admin")
        yield instance


OUTSIDE: list[str] = []  # requests that tried to leave loopback, across this module


@pytest.fixture(autouse=True)
def _nothing_leaves_loopback() -> Iterator[None]:
    OUTSIDE.clear()
    yield
    assert OUTSIDE == [], f"requests outside loopback: {OUTSIDE}"


def _context(browser: Browser, live: LiveInstance) -> BrowserContext:
    return loopback_context(browser, live.url, OUTSIDE)


def _log_in(page: Page, email: str, password: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Connexion").click()
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def _invite_editor(browser: Browser, live: LiveInstance, email: str) -> None:
    context = _context(browser, live)
    admin = context.new_page()
    _log_in(admin, "coordination@fictif.example", ADMIN_PASSWORD)
    admin.get_by_role("link", name="Comptes et invitations").click()
    admin.get_by_role("link", name="Inviter une personne").click()
    admin.get_by_label("Adresse courriel").fill(email)
    admin.get_by_label("Rôle").select_option("editor")
    organisations = admin.get_by_role("group", name="Organismes (éditeurs)")
    organisations.get_by_label("Cran d'Arrêt Roberval", exact=True).check()
    admin.get_by_role("button", name="Envoyer l'invitation").click()
    expect(admin.get_by_text(f"Invitation envoyée à {email}.")).to_be_visible()
    context.close()


def _accept_invitation(page: Page, smtp_server, email: str) -> None:
    [message] = smtp_server.to(email)
    page.goto(smtp_server.link_in(message))
    expect(page.get_by_text(f"Compte : {email}")).to_be_visible()
    page.get_by_label("Nouveau mot de passe").fill(EDITOR_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_role("link", name="Cran d'Arrêt Roberval")).to_be_visible()


def test_invited_editor_sets_a_password_and_reaches_their_space(browser, live, smtp_server):
    smtp_server.messages.clear()
    _invite_editor(browser, live, "editrice@fictif.example")
    context = _context(browser, live)
    page = context.new_page()
    _accept_invitation(page, smtp_server, "editrice@fictif.example")
    # The link is spent: a second visit says so.
    [message] = smtp_server.to("editrice@fictif.example")
    response = page.goto(smtp_server.link_in(message))
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("plus valable"))
    context.close()


def _open_service_form(page: Page) -> None:
    page.goto("/compte")
    page.get_by_role("link", name="Gestion des fiches").click()
    page.get_by_role("link", name="Cran d'Arrêt Roberval").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cran d'Arrêt Roberval")
    services = page.locator("section[aria-labelledby='services-title']")
    services.get_by_role("link", name="Modifier").first.click()
    expect(page.get_by_label("Heures d'ouverture")).to_be_visible()


def test_editor_edits_a_service_confirms_and_sees_it_public_and_searchable(
    browser, live, smtp_server
):
    smtp_server.messages.clear()
    _invite_editor(browser, live, "mise-a-jour@fictif.example")
    context = _context(browser, live)
    page = context.new_page()
    _accept_invitation(page, smtp_server, "mise-a-jour@fictif.example")
    _open_service_form(page)
    page.get_by_label("Heures d'ouverture").fill("Du lundi au vendredi, 9 h à 17 h (fictif)")
    page.get_by_label("Description").fill("Groupe de soutien zéphyrin (description fictive).")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'exactitude de cette fiche").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("link", name="Voir la fiche publique").click()
    expect(page.get_by_text("Du lundi au vendredi, 9 h à 17 h (fictif)")).to_be_visible()
    expect(page.get_by_text("Groupe de soutien zéphyrin (description fictive).")).to_be_visible()
    expect(page.locator(".verification").first).to_contain_text("Vérifié le")
    # The search index followed the commit (no rebuild): the new word finds the listing.
    page.goto("/recherche?q=zephyrin")
    expect(page.locator(".search-hit").first).to_contain_text("Cran d'Arrêt Roberval")
    context.close()


def test_two_editors_saving_the_same_service_meet_a_conflict_and_lose_nothing(
    browser, live, smtp_server
):
    smtp_server.messages.clear()
    _invite_editor(browser, live, "premiere@fictif.example")
    _invite_editor(browser, live, "seconde@fictif.example")
    first_context, second_context = _context(browser, live), _context(browser, live)
    first, second = first_context.new_page(), second_context.new_page()
    _accept_invitation(first, smtp_server, "premiere@fictif.example")
    _accept_invitation(second, smtp_server, "seconde@fictif.example")
    _open_service_form(first)
    _open_service_form(second)  # both forms carry the same version
    first.get_by_label("Heures d'ouverture").fill("Version de la première éditrice")
    first.get_by_role("button", name="Enregistrer").click()
    expect(first.locator(".flash-success")).to_be_visible()
    second.get_by_label("Heures d'ouverture").fill("Version de la seconde éditrice")
    second.get_by_role("button", name="Enregistrer").click()
    expect(
        second.get_by_role("heading", level=2, name=re.compile("Quelqu.un d.autre a modifié"))
    ).to_be_visible()
    conflict = second.locator("table.conflict")
    expect(conflict.locator("td.theirs")).to_contain_text(["Version de la première éditrice"])
    expect(conflict.locator("td.yours")).to_contain_text(["Version de la seconde éditrice"])
    # Nothing of hers is lost: the form still holds her text, now against the new version.
    expect(second.get_by_label("Heures d'ouverture")).to_have_value(
        "Version de la seconde éditrice"
    )
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.locator(".flash-success")).to_be_visible()
    second.goto(f"/organismes/{ORGANISATION}")
    expect(second.get_by_text("Version de la seconde éditrice")).to_be_visible()
    first_context.close()
    second_context.close()
