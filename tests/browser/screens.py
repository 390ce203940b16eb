"""Every page of the interface as a person reaches it: the list the accessibility checks
(`test_design.py`) and the screenshots (`scripts/screenshots.py`) walk.

To add a page, add one `Screen` to SCREENS. A screen is a path, the role that opens it, and
optionally what that person does once there (submit an empty form to show its errors, open a
record, describe a case) and the HTTP status of the page shown in the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.evaluation_factories import issue_live_link
from tests.fixtures.evaluation_report import build as evaluation_report
from tests.live import HttpClient, LiveInstance, form_fields, loopback_context

PASSWORD = "une phrase de passe pour les captures"
ORGANISATION = "gapi"
ACCOUNTS = {
    "admin": "coordination@fictif.example",
    "facilitator": "animatrice@fictif.example",
    "editor": "editrice@fictif.example",
}
WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHT = 900


def submit(label: str) -> Callable[[Page], None]:
    """Press the button named `label` (an empty form shows its error summary)."""

    def action(page: Page) -> None:
        page.get_by_role("button", name=label).click()
        page.wait_for_load_state()

    return action


def _open_first_service(page: Page) -> None:
    services = page.locator("section[aria-labelledby='services-title']")
    services.get_by_role("link", name="Modifier").first.click()
    expect(page.get_by_label("Heures d'ouverture")).to_be_visible()


def _service_with_errors(page: Page) -> None:
    _open_first_service(page)
    page.get_by_label("Nom du service").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()


def _conflict(page: Page) -> None:
    """Someone else saves the organisation while this page holds the form: a 409 page."""
    base = page.url.split("/gestion/")[0]
    other = HttpClient(base)
    other.post_form("/connexion", {"email": ACCOUNTS["editor"], "password": PASSWORD})
    path = f"/gestion/organismes/{ORGANISATION}/modifier"
    fields = dict(form_fields(other.request(path)[1]))
    fields["description"] = (fields.get("description") or "") + " Mise à jour fictive."
    other.request(path, list(fields.items()))
    page.get_by_label("Type").select_option("institutional")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("table.conflict")).to_be_visible()


def _propose(page: Page) -> None:
    """A facilitator describes a case in Roberval (02) with PSM and PC: the proposed panel."""
    page.get_by_label("Région").select_option("02")
    page.get_by_label("Municipalité (facultatif)").fill("Roberval")
    page.get_by_label("PSM – Santé mentale").check()
    page.get_by_label("PC – Dépendances").check()
    page.get_by_label("La victime (services aux femmes et aux enfants, VCF)").check()
    # A consultation: the referrer's organisation on the file (Tableau 1 of the report).
    page.get_by_label("Organismes déjà au dossier").select_option(
        label="Centre de Femmes au Quatre-Temps d'Alma"
    )
    page.get_by_label("Type de rencontre").select_option("consultation")
    page.get_by_role("button", name="Proposer des experts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposition d'experts")


# Questionnaire links issued by `prepare` (a link's secret cannot be known in advance).
LINKS: dict[str, str] = {}


def _questionnaire(page: Page) -> None:
    page.goto(f"/evaluations/{LINKS['questionnaire']}")


def _questionnaire_errors(page: Page) -> None:
    _questionnaire(page)
    page.get_by_label("Qu'est-ce qui a été difficile ?").fill("Rappeler au 418 555-0123.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()


def _plan(page: Page) -> None:
    _propose(page)
    page.get_by_role("button", name="Confirmer et planifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concertation planifiée")


@dataclass(frozen=True)
class Screen:
    name: str  # the screenshot's file name and the test id
    path: str
    role: str = "anonymous"  # or a key of ACCOUNTS
    action: Callable[[Page], None] | None = None
    status: int = 200  # of the page shown in the end (an error page must not pass unseen)

    @property
    def id(self) -> str:
        return self.name


SCREENS: list[Screen] = [
    # Public pages
    Screen("home", "/"),
    Screen("region", "/regions/06"),
    Screen("region-sector", "/regions/02/secteurs/VCH"),
    Screen("sector", "/secteurs/PSM"),
    Screen("organisation", f"/organismes/{ORGANISATION}"),
    Screen("organisation-shelter", "/organismes/maison-flora-tristan"),
    Screen(
        "correction-errors",
        f"/organismes/{ORGANISATION}",
        action=submit("Envoyer la suggestion"),
        status=400,
    ),
    Screen("about", "/a-propos"),
    Screen("not-found", "/organismes/inconnu", status=404),
    Screen("login", "/connexion"),
    Screen("login-errors", "/connexion", action=submit("Se connecter")),
    Screen("forgot-password", "/mot-de-passe/oubli"),
    Screen("invalid-link", "/mot-de-passe/nouveau/inconnu", status=404),
    Screen("account-request", "/demande-de-compte"),
    Screen(
        "account-request-errors",
        "/demande-de-compte",
        action=submit("Envoyer la demande"),
        status=400,
    ),
    # Signed in
    Screen("home-signed-in", "/", "admin"),
    Screen("organisation-facilitator", f"/organismes/{ORGANISATION}", "facilitator"),
    Screen("organisation-editor", f"/organismes/{ORGANISATION}", "editor"),
    Screen("account-facilitator", "/compte", "facilitator"),
    Screen("account-editor", "/compte", "editor"),
    Screen("account-admin", "/compte", "admin"),
    Screen("account-password-errors", "/compte", "editor", submit("Changer le mot de passe"), 400),
    Screen("manage-index", "/gestion/", "admin"),
    Screen("manage-overview", f"/gestion/organismes/{ORGANISATION}", "editor"),
    Screen("manage-organisation", f"/gestion/organismes/{ORGANISATION}/modifier", "editor"),
    Screen(
        "manage-conflict", f"/gestion/organismes/{ORGANISATION}/modifier", "editor", _conflict, 409
    ),
    Screen("manage-service", f"/gestion/organismes/{ORGANISATION}", "editor", _open_first_service),
    Screen(
        "manage-service-errors",
        f"/gestion/organismes/{ORGANISATION}",
        "editor",
        _service_with_errors,
        400,
    ),
    Screen("manage-new-site", f"/gestion/organismes/{ORGANISATION}/lieux/nouveau", "editor"),
    Screen("manage-expertise", f"/gestion/organismes/{ORGANISATION}/expertise", "editor"),
    Screen("manage-history", f"/gestion/organismes/{ORGANISATION}/historique", "admin"),
    Screen("manage-archives", f"/gestion/organismes/{ORGANISATION}/archives", "editor"),
    Screen("corrections", "/corrections/", "admin"),
    Screen("admin-accounts", "/admin/comptes/", "admin"),
    Screen("admin-invite", "/admin/comptes/inviter", "admin"),
    Screen(
        "admin-invite-errors",
        "/admin/comptes/inviter",
        "admin",
        submit("Envoyer l'invitation"),
        400,
    ),
    Screen("admin-requests", "/admin/demandes/", "admin"),
    Screen("admin-verification", "/admin/verification/", "admin"),
    Screen("admin-verification-region", "/admin/verification/?region=02", "admin"),
    # Search and meetings: checked now; restyled in the design's second pass.
    Screen("search", "/recherche?q=refuge"),
    Screen("search-near", "/recherche?q=h%C3%A9bergement+femmes&near=Roberval&radius_km=50"),
    Screen("search-nothing", "/recherche?q=zzzz+introuvable"),
    Screen("shortlist", "/liste"),
    Screen("meetings", "/concertations/", "facilitator"),
    Screen("meeting-new", "/concertations/nouvelle", "facilitator"),
    Screen(
        "meeting-new-errors",
        "/concertations/nouvelle",
        "facilitator",
        submit("Proposer des experts"),
        400,
    ),
    Screen("meeting-proposal", "/concertations/nouvelle", "facilitator", _propose),
    Screen("meeting", "/concertations/nouvelle", "facilitator", _plan),
    # Evaluation: the questionnaire (no account), the reports and the gap map
    Screen("questionnaire", "/evaluations/merci", action=_questionnaire),
    Screen("questionnaire-errors", "/evaluations/merci", action=_questionnaire_errors, status=400),
    Screen("questionnaire-thanks", "/evaluations/merci"),
    Screen("evaluation-reports", "/rapports", "admin"),
    Screen("evaluation-reports-filtered", "/rapports?region=06&round=follow_up", "facilitator"),
    Screen("evaluation-reports-errors", "/rapports?region=99&from=hier", "admin", status=400),
    Screen("coverage", "/rapports/couverture"),
    Screen("coverage-signed-in", "/rapports/couverture", "facilitator"),
]


def prepare(live: LiveInstance) -> None:
    """Accounts for every role, and records that fill the signed-in pages: an edit in the
    history (a code-valued field), a suggested correction, a pending account request, the
    project's reconstructed questionnaires and a questionnaire link."""
    live.env["DIRECTORY_PASSWORD"] = PASSWORD
    live.flask("user", "create", ACCOUNTS["admin"], "--role", "admin")
    live.flask("user", "create", ACCOUNTS["facilitator"], "--role", "facilitator")
    live.flask(
        "user", "create", ACCOUNTS["editor"], "--role", "editor", "--organization", ORGANISATION
    )
    live.flask("evaluations", "import", str(evaluation_report.OUTPUT))
    LINKS["questionnaire"] = issue_live_link(live)
    editor = HttpClient(live.url)
    editor.post_form("/connexion", {"email": ACCOUNTS["editor"], "password": PASSWORD})
    path = f"/gestion/organismes/{ORGANISATION}/modifier"
    fields = dict(form_fields(editor.request(path)[1]))
    editor.request(path, list({**fields, "type": "institutional"}.items()))
    editor.request(path, list({**fields, "version": str(int(fields["version"]) + 1)}.items()))
    public = HttpClient(live.url)
    public.post_form(
        f"/organismes/{ORGANISATION}/correction",
        {"message": "Le service accueille aussi les pères (suggestion fictive)."},
        page=f"/organismes/{ORGANISATION}",
    )
    public.post_form(
        "/demande-de-compte",
        {
            "name": "Personne fictive",
            "email": "demande@fictif.example",
            "organisation": ORGANISATION,
            "message": "Je tiens la fiche de notre organisme (demande fictive).",
        },
    )


def signed_in_states(browser: Browser, live: LiveInstance, outside: list[str]) -> dict[str, dict]:
    """A browser storage state per role (cookies after signing in), so each screen opens
    signed in without logging in again."""
    states: dict[str, dict] = {"anonymous": {"cookies": [], "origins": []}}
    for role, email in ACCOUNTS.items():
        context = loopback_context(browser, live.url, outside)
        page = context.new_page()
        page.goto("/connexion")
        page.get_by_label("Adresse courriel").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
        states[role] = context.storage_state()
        context.close()
    return states


def new_context(
    browser: Browser, live: LiveInstance, *, width: int, state: dict, outside: list[str]
) -> BrowserContext:
    """A browser `width` pixels wide, signed in as `state` says (see `signed_in_states`)."""
    return loopback_context(
        browser, live.url, outside, viewport={"width": width, "height": HEIGHT}, storage_state=state
    )


def open_screen(context: BrowserContext, screen: Screen) -> Page:
    """A new tab of `context` showing the screen, after the screen's action if it has one."""
    page = context.new_page()
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: (
            statuses.append(response.status)
            if response.request.is_navigation_request() and response.frame == page.main_frame
            else None
        ),
    )
    page.goto(screen.path)
    if screen.action:
        screen.action(page)
    page.wait_for_load_state("load")
    assert statuses, f"{screen.name}: no page was loaded"
    assert statuses[-1] == screen.status, f"{screen.name}: HTTP {statuses[-1]}"
    return page
