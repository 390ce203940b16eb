"""Chromium against real gunicorn workers: a facilitator describes a case, reviews the proposed
panel and its reasons, swaps a member for an alternative, confirms and finds the meeting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live import LiveInstance, gunicorn_instance, loopback_page

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_facilitator_journey")

PASSWORD = "la phrase de passe de l'animatrice"
EMAIL = "animatrice@fictif.example"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("facilitator"), smtp_server.port) as instance:
        instance.env["DIRECTORY_PASSWORD"] = PASSWORD
        instance.flask("user", "create", EMAIL, "--role", "facilitator")
        yield instance


@pytest.fixture
def facilitator_page(browser: Browser, live: LiveInstance) -> Iterator[Page]:
    with loopback_page(browser, live.url) as page:
        yield page


def _log_in(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Connexion").click()
    page.get_by_label("Adresse courriel").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_facilitator_plans_a_meeting_after_a_swap(facilitator_page: Page):
    page = facilitator_page
    _log_in(page)
    page.get_by_role("link", name="Nouvelle concertation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle concertation")
    page.get_by_label("Région").select_option("02")
    page.get_by_label("Municipalité (facultatif)").fill("Roberval")
    page.get_by_label("PSM – Santé mentale").check()
    page.get_by_label("PC – Dépendances").check()
    page.get_by_label("La victime (services aux femmes et aux enfants, VCF)").check()
    # A concertation needs two practitioners on the file and the consents: with one, the
    # form says so; the facilitator switches to a consultation.
    page.get_by_label("Organismes déjà au dossier").select_option(
        label="Centre de Femmes au Quatre-Temps d'Alma"
    )
    expect(page.get_by_text("Concertation : les parents ont signé le consentement")).to_be_visible()
    page.get_by_role("button", name="Proposer des experts").click()
    expect(page.locator("#on_file_organization_ids-errors")).to_contain_text(
        "au moins deux organismes"
    )
    page.get_by_label("Type de rencontre").select_option("consultation")
    page.get_by_role("button", name="Proposer des experts").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Proposition d'experts")
    members = page.locator("li.panel-member")
    expect(members.first).to_be_visible()
    expect(members.first.locator("ul.reasons li").first).to_contain_text("Couvre : ")
    expect(page.locator("ul.gaps")).to_contain_text(
        "PC : aucune ressource répertoriée dans Filet pour la région 02"
    )
    expect(page.locator("ul.rules")).to_contain_text("(à la table : VCF, PSM ; manque : PC)")

    alternative = members.first.locator("ul.alternatives li").first
    chosen = alternative.inner_text().split("(")[0].strip()
    alternative.get_by_role("button", name="Choisir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposition d'experts")
    expect(page.get_by_text("Choisi par l'animatrice")).to_be_visible()
    expect(page.locator("li.panel-member h3", has_text=chosen).first).to_be_visible()

    page.get_by_role("button", name="Confirmer et planifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concertation planifiée")
    expect(page.locator("ul.invitations")).to_contain_text(chosen)
    page.get_by_role("link", name="Toutes les concertations").click()
    expect(page.locator("table.data-table tbody tr")).to_have_count(1)
