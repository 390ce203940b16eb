"""Chromium against real gunicorn workers: an attendee opens her questionnaire link, answers in
English, is refused a phone number in an open answer, sends, cannot answer twice; the
coordination then sees the report updated, its charts and the gap map.

Until the meeting lifecycle records meetings as held, the link is issued the way it will
issue it: `evaluations.operations.issue_questionnaires` on a planned meeting.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.evaluation_factories import issue_live_link
from tests.fixtures.evaluation_report import build
from tests.live import LiveInstance, gunicorn_instance, loopback_page

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_evaluation_journey")

PASSWORD = "la phrase de passe de la coordination"
EMAIL = "coordination@fictif.example"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("evaluation"), smtp_server.port) as instance:
        instance.env["DIRECTORY_PASSWORD"] = PASSWORD
        instance.flask("user", "create", EMAIL, "--role", "admin")
        instance.flask("evaluations", "import", str(build.OUTPUT))
        yield instance


@pytest.fixture
def browser_page(browser: Browser, live: LiveInstance) -> Iterator[Page]:
    with loopback_page(browser, live.url) as page:
        yield page


def _answer(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_link_then_answers_then_the_report_is_updated(browser_page: Page, live: LiveInstance):
    page = browser_page
    token = issue_live_link(live)
    _answer_in_english(page, token)
    page.get_by_role("link", name="Français").click()
    page.get_by_role("link", name="Connexion").click()
    page.get_by_label("Adresse courriel").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Rapports d'évaluation").click()
    _read_the_report(page, live)
    page.goto("/rapports/couverture")
    expect(page.locator("tr[data-region='02'] td[data-sector='PC']")).to_have_text("0")
    expect(page.locator("tr[data-region='02'] td[data-sector='PC']")).to_have_class(
        "numeric coverage-zero"
    )
    expect(page.get_by_role("heading", name="Manques relevés par les rencontres")).to_be_visible()


def _answer_in_english(page: Page, token: str) -> None:
    page.goto(f"/evaluations/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluation de la rencontre")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting evaluation")
    expect(page.get_by_text("You answer as: Referring practitioner (on the file)")).to_be_visible()

    _answer(page, "Did this meeting address the safety issues of the women and children?", "Yes")
    _answer(page, "Does this meeting improve your practice?", "Maybe or don't know")
    _answer(page, "Is clinical concertation a strategy to develop?", "Yes")
    _answer(page, "Do you know the partners' mandates better?", "A lot")
    _answer(page, "My contribution to the discussion", "Not very satisfactory")
    _answer(page, "Were there divergences during the meeting?", "No")
    page.get_by_label("What helped the meeting?").fill(
        "The substance-use expert's view of the risks."
    )
    page.get_by_label("What was difficult?").fill("Call the mother back at 418 555-0123.")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.locator(".field-error")).to_contain_text("a phone number (« 418 555-0123 »)")
    # The answers already given are kept on the page.
    expect(
        page.get_by_role("group", name="Were there divergences during the meeting?").get_by_label(
            "No", exact=True
        )
    ).to_be_checked()
    page.get_by_label("What was difficult?").fill("Too little time for seven people.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")

    page.goto(f"/evaluations/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This questionnaire has already been answered"
    )


def _read_the_report(page: Page, live: LiveInstance) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports d'évaluation")
    expect(page.locator(".basis").first).to_contain_text(
        "Calculé sur 251 questionnaires portant sur 64 rencontres."
    )
    expect(page.locator(".basis").nth(1)).to_contain_text(
        "Sources : 250 questionnaires importés, 1 rempli en ligne."
    )
    security = page.locator("#tableau-5 tr[data-key='security']")
    expect(security).to_contain_text("199 (86,9 %)")  # 198 + 1 yes of 229
    expect(page.locator("#tableau-5 figure > svg")).to_be_visible()
    expect(page.locator("#tableau-5 figure > svg")).to_contain_text("86,9 %")

    page.get_by_label("Région").select_option("02")
    page.get_by_label("Première rencontre ou suivi").select_option("first")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(f"{live.url}/rapports?region=02&from=&to=&meeting_type=&round=first")
    expect(page.locator(".basis").first).to_contain_text("portant sur 7 rencontres.")
    csv_link = page.locator("#tableau-2").get_by_role("link", name="Télécharger ce tableau (CSV)")
    with page.expect_download() as download:
        csv_link.click()
    assert download.value.suggested_filename == "tableau-2.csv"
    exported = download.value.path().read_text(encoding="utf-8")
    assert exported.startswith("code,libellé,nombre,pourcentage,base du pourcentage")
