"""Chromium journeys against real gunicorn workers: an editor invited by e-mail keeps a listing
true, and two editors saving the same record meet a conflict page that loses nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.live import LiveInstance, gunicorn_instance

ADMIN_PASSWORD = "une phrase de passe pour l'admin"
EDITOR_PASSWORD = "la phrase de passe de l'éditrice"
ORGANISATION = "cran-d-arret-roberval"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("journey"), smtp_server.port) as instance:
        instance.env["DIRECTORY_PASSWORD"] = ADMIN_PASSWORD
        instance.flask("user", "create", "coordination@fictif.example", "--role", "admin")
        yield instance


def _context(browser: Browser, live: LiveInstance) -> BrowserContext:
    context = browser.new_context(base_url=live.url, locale="fr-CA")
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live.url) else route.abort()
        ),
    )
    return context


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
    admin.get_by_label("Organismes (éditeurs)").select_option(ORGANISATION)
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
