"""Deny by default: every route × every role gets the expected status.

Roles: anonymous, the editor of organisation A, the editor of organisation B, a facilitator,
an admin. Every route of the application must appear in MATRIX (a test checks it), so a new
route cannot ship without saying who may use it. POSTs carry a valid CSRF token: what is
tested here is authorisation, not CSRF (see test_security.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from directory.accounts.models import AccountRequest, User
from directory.audit.models import AuditEntry
from directory.confidentiality.models import ConfidentialityRelease
from directory.corrections.models import CorrectionSuggestion
from directory.db import utcnow
from directory.extensions import db
from directory.meetings.models import Meeting
from directory.organisations.models import Location, Service
from directory.seeding import seed_id
from tests.evaluation_factories import issue_link
from tests.factories import create_organisation, create_user
from tests.web import csrf_token, login

CORRECTION = "Le numéro de téléphone de l'accueil a changé."
ROLES = ("anonymous", "editor_a", "editor_b", "facilitator", "admin")
LOGIN = 302  # anonymous visitors are sent to the login page


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int = 200) -> dict[str, int]:
    return {**everyone(status), "anonymous": LOGIN}


def admins_only(status: int = 200) -> dict[str, int]:
    return {
        "anonymous": LOGIN,
        "editor_a": 403,
        "editor_b": 403,
        "facilitator": 403,
        "admin": status,
    }


def facilitators(status: int = 200) -> dict[str, int]:
    """Facilitators and admins (case meetings); editors are refused."""
    return {**admins_only(status), "facilitator": status}


def editors_of_a(status: int = 200, *, admin: int | None = None) -> dict[str, int]:
    """Only A's editor and admins may; B's editor and the facilitator are refused."""
    return {
        "anonymous": LOGIN,
        "editor_a": status,
        "editor_b": 403,
        "facilitator": 403,
        "admin": status if admin is None else admin,
    }


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # with {a}, {b}, {user}, … filled from the world fixture
    expect: dict[str, int]
    data: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


MATRIX: list[Case] = [
    Case("GET", "/", everyone()),
    Case("GET", "/a-propos", everyone()),
    Case("GET", "/jardinage", everyone()),
    Case("GET", "/healthz", everyone()),
    Case("GET", "/langue/en?next=/", everyone(302)),
    Case("GET", "/liste", everyone()),
    Case("GET", "/recherche?q=refuge", everyone()),
    Case("GET", "/regions/02", everyone()),
    Case("GET", "/regions/02/secteurs/VCF", everyone()),
    Case("GET", "/secteurs/VCF", everyone()),
    Case("GET", "/organismes/{a}", everyone()),
    Case("GET", "/static/css/app.css", everyone()),
    Case("GET", "/api/v1/organizations", everyone()),
    Case("GET", "/api/v1/organizations/{a}", everyone()),
    Case("GET", "/api/v1/search?q=refuge", everyone()),
    Case("GET", "/api/v1/suggest?q=ref", everyone()),
    Case("GET", "/api/v1/openapi.json", everyone()),
    Case("GET", "/connexion", everyone()),
    Case("POST", "/connexion", everyone(), {"email": "personne@fictif.example", "password": "x"}),
    Case("POST", "/deconnexion", everyone(302)),
    Case("GET", "/mot-de-passe/oubli", everyone()),
    Case("POST", "/mot-de-passe/oubli", everyone(302), {"email": "personne@fictif.example"}),
    Case("GET", "/mot-de-passe/nouveau/inconnu", everyone(404)),
    Case("POST", "/mot-de-passe/nouveau/inconnu", everyone(404), {"password": "x"}),
    Case("GET", "/compte", signed_in()),
    Case("POST", "/compte/mot-de-passe", signed_in(400), {"current": "faux"}),
    Case("GET", "/admin/comptes/", admins_only()),
    Case("GET", "/admin/comptes/inviter", admins_only()),
    Case("POST", "/admin/comptes/inviter", admins_only(400), {"email": "pas-valide"}),
    Case("POST", "/admin/comptes/{facilitator}/desactiver", admins_only(302)),
    Case("POST", "/admin/comptes/{facilitator}/reactiver", admins_only(302)),
    Case("POST", "/admin/comptes/{facilitator}/invitation", admins_only(302)),
    Case("POST", "/admin/comptes/{facilitator}/role", admins_only(302), {"role": "admin"}),
    # Verification, corrections and account requests
    Case("GET", "/admin/verification/", admins_only()),
    Case("GET", "/admin/verification/?region=02", admins_only()),
    Case("POST", "/organismes/{a}/correction", everyone(302), {"message": CORRECTION}),
    Case(
        "POST", "/organismes/{unpublished_slug}/correction", everyone(404), {"message": CORRECTION}
    ),
    Case("GET", "/corrections/", {**signed_in(), "facilitator": 403}),
    Case("POST", "/corrections/{suggestion}/traitee", editors_of_a(302)),
    Case("POST", "/corrections/{suggestion}/rejet", editors_of_a(302)),
    Case("GET", "/demande-de-compte", everyone()),
    Case("POST", "/demande-de-compte", everyone(400), {"email": "pas-valide"}),
    Case("GET", "/admin/demandes/", admins_only()),
    Case("POST", "/admin/demandes/{request}/approuver", admins_only(302)),
    Case("POST", "/admin/demandes/{request}/rejeter", admins_only(302)),
    Case("POST", "/admin/demandes/organismes/{unpublished}/publier", admins_only(302)),
    # A second person's approval to make a confidential site public
    Case("GET", "/admin/confidentialite/", admins_only()),
    Case("POST", "/admin/confidentialite/{release}/approuver", admins_only(302)),
    Case("POST", "/admin/confidentialite/{release}/refuser", admins_only(302)),
    # Listing management (/gestion)
    Case("GET", "/gestion/", {**signed_in(), "facilitator": 403}),
    Case("GET", "/gestion/organismes/{a}", editors_of_a()),
    Case("GET", "/gestion/organismes/{a}/modifier", editors_of_a()),
    Case("POST", "/gestion/organismes/{a}/modifier", editors_of_a(400), {"name": ""}),
    Case("GET", "/gestion/organismes/{a}/services/nouveau", editors_of_a()),
    Case("POST", "/gestion/organismes/{a}/lieux/nouveau", editors_of_a(400), {"region": "nope"}),
    Case("GET", "/gestion/organismes/{a}/services/{a_service}", editors_of_a()),
    Case("POST", "/gestion/organismes/{a}/services/{a_service}", editors_of_a(400), {"name": ""}),
    # B's record through A's URL: unknown there, even to an admin.
    Case("GET", "/gestion/organismes/{a}/services/{b_service}", editors_of_a(404)),
    Case("POST", "/gestion/organismes/{a}/services/{b_service}/archiver", editors_of_a(404)),
    Case("POST", "/gestion/organismes/{a}/services/{a_service}/archiver", editors_of_a(302)),
    Case("POST", "/gestion/organismes/{a}/services/{archived_service}/restaurer", admins_only(302)),
    Case("GET", "/gestion/organismes/{a}/expertise", editors_of_a()),
    Case(
        "POST",
        "/gestion/organismes/{a}/expertise",
        editors_of_a(400),
        {"invitations_per_90_days": "-1"},
    ),
    Case("POST", "/gestion/organismes/{a}/confirmer", editors_of_a(302)),
    Case("POST", "/gestion/organismes/{a}/archiver", admins_only(302)),
    Case("POST", "/gestion/organismes/{archived}/restaurer", admins_only(302)),
    Case("GET", "/gestion/organismes/{a}/archives", editors_of_a()),
    Case("GET", "/gestion/organismes/{a}/historique", editors_of_a()),
    Case("POST", "/gestion/organismes/{a}/historique/{entry}/retablir", admins_only(302)),
    Case(
        "PATCH",
        "/api/v1/organizations/{a_id}",
        {**editors_of_a(), "anonymous": 401},
        json={"version": 1, "description": "Description revue."},
    ),
    # Case meetings (concertations): facilitators and admins only
    Case("GET", "/concertations/", facilitators()),
    Case("GET", "/concertations/nouvelle", facilitators()),
    Case("POST", "/concertations/proposition", facilitators(400), {"region": "nope"}),
    Case("POST", "/concertations/confirmer", facilitators(400), {"region": "nope"}),
    Case("GET", "/concertations/{meeting}", facilitators()),
    Case(
        "POST",
        "/api/v1/match",
        {**facilitators(), "anonymous": 401},
        json={
            "region": "02",
            "cooccurrences": ["PSM"],
            "followed": ["victim"],
            "meeting_type": "consultation",  # the referrer's organisation on the file
            "on_file_organization_ids": [str(seed_id("centre-de-femmes-au-quatre-temps-alma"))],
        },
    ),
    # Evaluation: the questionnaire needs no account (its link is the key); reports
    Case("GET", "/evaluations/{link}", everyone()),
    Case("POST", "/evaluations/{link}", everyone(400), {}),  # nothing answered
    Case("GET", "/evaluations/jeton-inconnu", everyone(404)),
    Case("POST", "/evaluations/jeton-inconnu", everyone(404), {"security": "oui"}),
    Case("GET", "/evaluations/merci", everyone()),
    Case("GET", "/rapports", facilitators()),
    Case("GET", "/rapports?region=99", facilitators(400)),
    Case("GET", "/rapports/tableaux/tableau-5.csv", facilitators()),
    Case("GET", "/rapports/tableaux/inconnu.csv", facilitators(404)),
    Case("GET", "/api/v1/reports/evaluation", {**facilitators(), "anonymous": 401}),
    Case("GET", "/rapports/couverture", everyone()),
    Case("GET", "/rapports/couverture.csv", everyone()),
    Case("GET", "/api/v1/reports/coverage", everyone()),
]


@pytest.fixture
def world() -> dict[str, str]:
    """Organisations A and B, one account per role; ids and slugs for the paths."""
    a = create_organisation("matrice-a", region="02", description="Description d'origine.")
    b = create_organisation("matrice-b", region="03")
    archived = create_organisation("matrice-archivee", archived_at=utcnow())
    create_user("editeur-a@fictif.example", organisations=[a, archived])
    create_user("editeur-b@fictif.example", organisations=[b])
    facilitator = create_user("animatrice@fictif.example", role="facilitator")
    create_user("admin@fictif.example", role="admin")
    values = {
        "a": a.slug,
        "b": b.slug,
        "a_id": str(a.id),
        "archived": archived.slug,
        "facilitator": str(facilitator.id),
    }
    meeting = _meeting(facilitator)
    values["meeting"] = str(meeting.id)
    values["link"] = issue_link(meeting).token
    values.update(extra_world_values(a, b))
    db.session.commit()  # into the test's outer transaction: a refused request rolls back
    return values


def extra_world_values(a: Any, _b: Any) -> dict[str, str]:
    """Ids of records the routes act on: a suggestion about A, a pending request for a new
    (unpublished) organisation."""
    suggestion = CorrectionSuggestion(organisation=a, message=CORRECTION, sender_key="0" * 64)
    unpublished = create_organisation("matrice-nouvelle", published=False)
    request = AccountRequest(
        name="Demandeuse", email="demande@fictif.example", organisation=unpublished
    )
    db.session.add_all([suggestion, request])
    db.session.flush()
    entry = AuditEntry(
        organisation_id=a.id,
        entity="organisation",
        entity_id=str(a.id),
        action="update",
        changes={"description": ["", a.description]},
    )
    db.session.add(entry)
    db.session.flush()
    shelter = Location(organisation_id=a.id, region_code="02", confidential=True)
    db.session.add(shelter)
    db.session.flush()
    release = ConfidentialityRelease(
        location_id=shelter.id, organisation_id=a.id, requested_by_id=a_editor_id(a)
    )
    db.session.add(release)
    archived_service = Service(name="Service archivé", archived_at=utcnow(), organisation_id=a.id)
    db.session.add(archived_service)
    db.session.flush()
    return {
        "archived_service": str(archived_service.id),
        "release": str(release.id),
        "a_service": str(a.services[0].id),
        "b_service": str(_b.services[0].id),
        "entry": str(entry.id),
        "suggestion": str(suggestion.id),
        "request": str(request.id),
        "unpublished": str(unpublished.id),
        "unpublished_slug": unpublished.slug,
    }


def a_editor_id(a: Any) -> Any:
    """A's editor: who asked to make A's shelter public."""
    return (
        db.session.scalars(
            select(User).where(
                User.email == "editeur-a@fictif.example", User.organisations.contains(a)
            )
        )
        .one()
        .id
    )


def _meeting(facilitator: Any) -> Meeting:
    """A meeting the facilitator planned (its creator and admins may open it)."""
    meeting = Meeting(
        created_by_id=facilitator.id,
        region_code="02",
        cooccurrences=["PSM"],
        followed=["victim"],
        meeting_type="consultation",
        mode="remote",
        language="fr",
        max_experts=3,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


ACCOUNTS = {
    "editor_a": "editeur-a@fictif.example",
    "editor_b": "editeur-b@fictif.example",
    "facilitator": "animatrice@fictif.example",
    "admin": "admin@fictif.example",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", MATRIX, ids=lambda case: case.id)
def test_route_answers_each_role_as_expected(app, world, case: Case, role: str):
    client = app.test_client()
    if role != "anonymous":
        login(client, ACCOUNTS[role])
    path = case.path.format(**world)
    if case.method == "GET":
        response = client.get(path)
    elif case.json is not None:
        token = csrf_token(client, "/connexion")
        response = client.open(
            path, method=case.method, json=case.json, headers={"X-CSRFToken": token}
        )
    else:
        token = csrf_token(client, "/connexion")
        response = client.open(path, method=case.method, data={"csrf_token": token, **case.data})
    response.close()
    expected = case.expect[role]
    assert response.status_code == expected, f"{role}: {case.id} → {response.status_code}"
    if expected == LOGIN and role == "anonymous" and case.expect.get("admin") != LOGIN:
        assert response.headers["Location"].startswith("/connexion"), response.headers["Location"]


def test_every_route_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for case in MATRIX:
        path = case.path.split("?")[0].format_map(_AnyValue())
        endpoint, _ = adapter.match(path, method=case.method)
        covered.add((endpoint, case.method))
    every = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(every - covered) == []


class _AnyValue(dict[str, str]):
    """Fills every placeholder with a UUID (routes are matched, not called)."""

    def __missing__(self, key: str) -> str:
        return "1" if key == "entry" else "00000000-0000-0000-0000-000000000000"
