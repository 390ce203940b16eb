"""Chromium against real gunicorn workers, the whole meeting lifecycle: the facilitator plans a
meeting with its date, sends the invitations (real SMTP on loopback), an expert declines by
link, the facilitator invites the engine's replacement, who accepts by link; after the date
the facilitator records the meeting held and plans the follow-up."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.live import REPOSITORY_ROOT, LiveInstance, gunicorn_instance, loopback_page

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_meeting_lifecycle_journey")

PASSWORD = "la phrase de passe de l'animatrice du cycle"
EMAIL = "animatrice-cycle@fictif.example"
# Three fictional organisations of Saguenay–Lac-Saint-Jean with an e-mail on file.
_ORGANISATIONS = """
from directory import create_app
from directory.extensions import db
from tests.factories import create_organisation

app = create_app()
with app.app_context():
    for slug, sector in (("fictif-psm", "PSM"), ("fictif-pc-a", "PC"), ("fictif-pc-b", "PC")):
        create_organisation(slug, sectors=[sector], email=f"{slug}@fictif.example")
    db.session.commit()
"""
# Time passes: the meeting took place two hours ago.
_HELD = """
from datetime import timedelta
from directory import create_app
from directory.db import utcnow
from directory.extensions import db
from directory.meetings.models import Meeting
from sqlalchemy import select

app = create_app()
with app.app_context():
    for meeting in db.session.scalars(select(Meeting)):
        meeting.starts_at = utcnow() - timedelta(hours=2)
    db.session.commit()
"""


def _python(live: LiveInstance, code: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", code], cwd=REPOSITORY_ROOT, env=live.env, check=True, timeout=120
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("lifecycle"), smtp_server.port) as instance:
        instance.env["DIRECTORY_PASSWORD"] = PASSWORD
        instance.flask("user", "create", EMAIL, "--role", "facilitator")
        _python(instance, _ORGANISATIONS)
        yield instance


@pytest.fixture
def facilitator_page(browser: Browser, live: LiveInstance) -> Iterator[Page]:
    with loopback_page(browser, live.url) as page:
        yield page


def _log_in(page: Page) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse courriel").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def _plan(page: Page) -> None:
    page.goto("/concertations/nouvelle")
    page.get_by_label("Région").select_option("02")
    page.get_by_label("PSM – Santé mentale").check()
    page.get_by_label("PC – Dépendances").check()
    page.get_by_label("La victime (services aux femmes et aux enfants, VCF)").check()
    page.get_by_label("Organismes déjà au dossier").select_option(
        label="Centre de Femmes au Quatre-Temps d'Alma"
    )
    page.get_by_label("Type de rencontre").select_option("consultation")
    page.get_by_role("button", name="Proposer des experts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposition d'experts")
    day = (datetime.now(UTC) + timedelta(days=20)).date().isoformat()
    page.get_by_label("Date", exact=True).fill(day)
    page.get_by_label("Heure (heure du Québec, HH:MM)").fill("09:30")
    page.get_by_label("En personne", exact=True).check()
    page.get_by_label("Lieu (en personne)").fill("Salle du conseil, hôtel de ville d'Alma")
    page.get_by_role("button", name="Confirmer et planifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concertation planifiée")
    expect(page.get_by_text("Salle du conseil, hôtel de ville d'Alma")).to_be_visible()


def _reply_link(smtp_server, address: str) -> str:
    return smtp_server.link_in(smtp_server.to(address)[-1])


def test_plan_send_decline_replace_accept_record_follow_up(
    facilitator_page: Page, live: LiveInstance, smtp_server
) -> None:
    page = facilitator_page
    _log_in(page)
    _plan(page)
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_text("Invitations envoyées.")).to_be_visible()
    invitations = page.locator("ul.invitations")
    expect(invitations).to_contain_text("@fictif.example")  # contacts shown
    # The two PC organisations are alike: the engine seats one, the other replaces it.
    seated = "fictif-pc-a" if "fictif-pc-a@" in invitations.inner_text() else "fictif-pc-b"
    other = "fictif-pc-b" if seated == "fictif-pc-a" else "fictif-pc-a"
    meeting_url = page.url

    _decline_by_link(page, smtp_server, seated)
    _replace(page, meeting_url, declined=seated, replacement=other)
    _accept_by_link(page, smtp_server, other)
    _python(live, _HELD)
    _record(page, meeting_url, present=other)
    _follow_up(page)


def _decline_by_link(page: Page, smtp_server, slug: str) -> None:
    """The expert declines by the link of her e-mail (no account)."""
    page.goto(_reply_link(smtp_server, f"{slug}@fictif.example"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Répondre à l'invitation")
    page.get_by_label("Je décline").check()
    page.get_by_label("Raison (facultatif, si vous déclinez)").select_option("not_available")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre réponse est enregistrée"
    )


def _replace(page: Page, meeting_url: str, *, declined: str, replacement: str) -> None:
    """The facilitator sees the engine's replacement and invites it in one click."""
    page.goto(meeting_url)
    expect(page.locator("ul.invitations")).to_contain_text("Déclinée")
    replacements = page.get_by_role("region", name="Remplaçants proposés")
    expect(replacements).to_contain_text(f"Organisme fictif {replacement}")
    replacements.get_by_role("button", name="Inviter ce remplaçant").click()
    expect(page.get_by_text("Remplaçant invité.")).to_be_visible()
    expect(page.locator("ul.invitations")).to_contain_text("Déclinée, remplacée")
    expect(page.locator("ul.invitations")).to_contain_text(
        f"Remplace : Organisme fictif {declined}"
    )


def _accept_by_link(page: Page, smtp_server, slug: str) -> None:
    """The replacement accepts, with the confidentiality commitment."""
    page.goto(_reply_link(smtp_server, f"{slug}@fictif.example"))
    page.get_by_label("J'accepte l'invitation").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("#confidentiality-errors")).to_contain_text("engagement")
    page.get_by_label("J'accepte l'invitation").check()
    page.get_by_label("Je m'engage à garder confidentiel", exact=False).check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Vous avez accepté l'invitation.")).to_be_visible()


def _record(page: Page, meeting_url: str, present: str) -> None:
    """After the date: record who came, an action path and a gap."""
    page.goto(meeting_url)
    page.get_by_role("link", name="Enregistrer la rencontre tenue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer la rencontre tenue")
    expect(page.get_by_label(f"Organisme fictif {present}")).to_be_checked()  # accepted

    page.get_by_label("Organisme fictif fictif-psm").check()
    page.get_by_label("Piste d'action 1").fill("Rappeler la mère au 418 555-0123")
    page.locator("#action-0-organization").select_option(label="Organisme fictif fictif-psm")
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    expect(page.locator(".error-summary")).to_contain_text("numéro de téléphone")
    page.get_by_label("Piste d'action 1").fill("Proposer un groupe de soutien à la mère")
    page.locator("#gap-0-sector").select_option("MT")
    page.locator("#gap-0-cause").select_option("none_in_region")
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concertation tenue")
    expect(page.get_by_text("Proposer un groupe de soutien à la mère")).to_be_visible()


def _follow_up(page: Page) -> None:
    """The follow-up: six weeks later by default, the same members, the actions to review."""
    page.get_by_role("button", name="Planifier le suivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concertation planifiée")
    expect(page.locator(".page-header")).to_contain_text("Rencontre de suivi")
    expect(
        page.get_by_role("region", name="Pistes d'action de la rencontre précédente")
    ).to_contain_text("Proposer un groupe de soutien à la mère")
    page.goto("/concertations/")
    expect(page.get_by_role("region", name="Date à fixer (0)")).to_be_visible()
