"""Editors keep their listings true through /gestion: edits show on the public page, rights
are checked on every route, input is validated, archives and verification work."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.accounts import operations as account_operations
from directory.audit.models import AuditEntry
from directory.expertise.models import Expert, ExpertiseOffer, OfferLanguage
from directory.extensions import db
from directory.organisations.models import Contact, Location, Organisation, Service
from directory.search import service as search_service
from directory.search.query import SearchRequest
from tests.factories import add_phone, create_organisation, create_user, indexed
from tests.web import csrf_token, login, post_form, text


def _version(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'id="version" name="version" type="hidden" value="(\d*)"', page)
    assert match is not None, page[:3000]
    return match.group(1)


def _save(client, path: str, data: dict[str, object]):
    """Post the form at `path` with the version it shows, as a browser would."""
    return post_form(client, path, {"version": _version(client, path), **data})


@pytest.fixture
def editor_a(client):
    organisation = create_organisation("org-a", name="Organisme A (fictif)")
    create_user("editrice-a@fictif.example", organisations=[organisation])
    ids = {"id": organisation.id, "service_id": organisation.services[0].id}
    login(client, "editrice-a@fictif.example")
    return ids


ORGANISATION = {
    "name": "Organisme A renommé (fictif)",
    "alternate_name": "OARF",
    "description": "Aide aux femmes, fictive.",
    "type": "community",
    "email": "info@fictif.example",
    "website": "https://fictif.example",
}


@pytest.mark.usefixtures("editor_a")
def test_editor_edits_organisation_shown_publicly_and_audited(client):
    response = _save(client, "/gestion/organismes/org-a/modifier", ORGANISATION)
    assert response.status_code == 302
    assert "Modifications enregistrées." in text(client.get(response.headers["Location"]))
    page = text(client.get("/organismes/org-a"))
    assert "Organisme A renommé (fictif)" in page
    assert "info@fictif.example" in page
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.entity == "organisation"
    assert entry.changes["name"] == ["Organisme A (fictif)", "Organisme A renommé (fictif)"]
    assert entry.changes["email"] == [None, "info@fictif.example"]
    history = text(client.get("/gestion/organismes/org-a/historique"))
    assert "Organisme A renommé (fictif)" in history
    assert "Rétablir" not in history  # editors cannot revert


def test_editor_edits_service_site_and_contact(client, editor_a):
    service_path = f"/gestion/organismes/org-a/services/{editor_a['service_id']}"
    response = _save(
        client,
        service_path,
        {
            "name": "Écoute fictive",
            "description": "Écoute 24 h",
            "status": "active",
            "sectors": ["VCF", "MT"],
            "areas": ["02", "03"],
            "languages": ["fr", "es"],
            "modes": ["phone", "chat"],
        },
    )
    assert response.status_code == 302, text(response)[-4000:]
    service = db.session.get(Service, editor_a["service_id"])
    assert service.language_codes == ["es", "fr"]
    assert service.mode_codes == ["phone", "chat"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "service")).one()
    assert entry.changes["languages"] == [[], ["es", "fr"]]
    assert entry.changes["sectors"] == [["VCF"], ["MT", "VCF"]]
    site = {
        "name": "Point de service fictif",
        "region_code": "02",
        "municipality": "Roberval",
        "address": "12 rue Fictive",
        "postal_code": "g8h1a1",
    }
    assert post_form(client, "/gestion/organismes/org-a/lieux/nouveau", site).status_code == 302
    contact = {"name": "Camille Fictive", "title": "Intervenante", "phone": "4185550123"}
    response = post_form(client, "/gestion/organismes/org-a/contacts/nouveau", contact)
    assert response.status_code == 302
    page = text(client.get("/organismes/org-a"))
    assert "Écoute fictive" in page
    assert "12 rue Fictive" in page
    assert "G8H 1A1" in page
    assert "Roberval" in page
    assert "Camille Fictive" in page
    assert "(418) 555-0123" in page


@pytest.mark.usefixtures("editor_a")
def test_confidential_site_address_stays_private(client):
    form_page = text(client.get("/gestion/organismes/org-a/lieux/nouveau"))
    assert "jamais affichée publiquement" in form_page
    site = {
        "region_code": "02",
        "address": "99 rue Secrète-Fictive",
        "postal_code": "G8H 1A1",
        "confidential": "y",
    }
    assert post_form(client, "/gestion/organismes/org-a/lieux/nouveau", site).status_code == 302
    assert "Secrète-Fictive" not in client.get("/organismes/org-a").get_data(as_text=True)
    assert "Secrète-Fictive" not in client.get("/api/v1/organizations/org-a").get_data(as_text=True)


@pytest.mark.usefixtures("editor_a")
def test_editor_edits_phone_expertise_and_experts(client):
    response = post_form(
        client,
        "/gestion/organismes/org-a/telephones/nouveau",
        {"number": "418 555 0142", "type": "hotline", "description": "Ligne fictive"},
    )
    assert response.status_code == 302
    assert "(418) 555-0142" in text(client.get("/organismes/org-a"))
    offer = {
        "sectors": ["VCF"],
        "regions": ["02"],
        "joins_remotely": "y",
        "languages": ["fr", "en"],
        "invitations_per_90_days": "3",
        "notes": "Disponible le mardi.",
    }
    response = post_form(client, "/gestion/organismes/org-a/expertise", offer)
    assert response.status_code == 302
    response = _save(client, "/gestion/organismes/org-a/expertise", {**offer, "notes": "Mardi."})
    assert response.status_code == 302
    stored = db.session.scalars(select(ExpertiseOffer)).one()
    assert sorted(stored.language_codes) == ["en", "fr"]
    assert stored.notes == "Mardi."
    assert stored.invitations_per_90_days == 3
    expert = {"name": "Dre Fictive", "email": "dre@fictif.example", "sectors": ["VCF"]}
    response = post_form(client, "/gestion/organismes/org-a/experts/nouveau", expert)
    assert response.status_code == 302
    assert "Dre Fictive" in text(client.get("/gestion/organismes/org-a"))
    negative = post_form(
        client, "/gestion/organismes/org-a/expertise", {**offer, "invitations_per_90_days": "-1"}
    )
    assert negative.status_code == 400


@pytest.mark.parametrize(
    ("path", "data", "field", "french", "english"),
    [
        (
            "telephones/nouveau",
            {"number": "123", "type": "voice"},
            "number",
            "Numéro de téléphone invalide",
            "Invalid phone number",
        ),
        (
            "modifier",
            {**ORGANISATION, "website": "javascript:alert(1)"},
            "website",
            "Adresse web invalide",
            "Invalid web address",
        ),
        (
            "lieux/nouveau",
            {"region_code": "02", "postal_code": "12345"},
            "postal_code",
            "Code postal invalide",
            "Invalid postal code",
        ),
        (
            "modifier",
            {**ORGANISATION, "email": "pas-un-courriel"},
            "email",
            "Adresse courriel invalide",
            "Invalid e-mail address",
        ),
    ],
)
@pytest.mark.usefixtures("editor_a")
def test_invalid_input_is_refused_with_a_message(client, path, data, field, french, english):  # noqa: PLR0913 - parametrized
    full = f"/gestion/organismes/org-a/{path}"
    response = post_form(client, full, {"version": "1", **data})
    assert response.status_code == 400
    assert french in text(response)
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    client.set_cookie("lang", "en")
    response = post_form(client, full, {"version": "1", **data})
    assert response.status_code == 400
    assert english.lower() in text(response).lower()
    listing_changes = select(AuditEntry).where(AuditEntry.organisation_id.is_not(None))
    assert db.session.scalars(listing_changes).first() is None


def _manage_routes(slug: str, service_id: object) -> list[tuple[str, str]]:
    base = f"/gestion/organismes/{slug}"
    item = f"{base}/services/{service_id}"
    gets = ["", "/modifier", "/services/nouveau", "/lieux/nouveau", "/expertise", "/historique",
            "/archives", f"/services/{service_id}"]  # fmt: skip
    posts = ["/modifier", "/confirmer", "/archiver", "/restaurer", "/expertise",
             "/contacts/nouveau", "/historique/1/retablir"]  # fmt: skip
    routes = [("GET", base + path) for path in gets]
    routes += [("POST", base + path) for path in posts]
    routes += [("POST", f"{item}/archiver"), ("POST", f"{item}/restaurer"), ("POST", item)]
    return routes


@pytest.mark.usefixtures("editor_a")
def test_editor_of_a_cannot_reach_b(client):
    other = create_organisation("org-b", name="Organisme B (fictif)")
    other_id, other_service = other.id, other.services[0].id
    token = csrf_token(client, "/gestion/")
    for method, path in _manage_routes("org-b", other_service):
        response = client.open(path, method=method, data={"csrf_token": token, "version": "1"})
        assert response.status_code == 403, (method, path)
    # B's service through A's URL does not exist.
    crossed = f"/gestion/organismes/org-a/services/{other_service}"
    assert client.get(crossed).status_code == 404
    assert client.post(f"{crossed}/archiver", data={"csrf_token": token}).status_code == 404
    response = client.patch(
        f"/api/v1/organizations/{other_id}",
        json={"version": 1, "name": "Piraté"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 403
    assert db.session.get(Organisation, other_id).name == "Organisme B (fictif)"
    assert db.session.get(Service, other_service).archived_at is None
    listed = text(client.get("/gestion/"))
    assert "Organisme A (fictif)" in listed
    assert "Organisme B (fictif)" not in listed


def test_anonymous_and_facilitators_are_kept_out(client):
    create_organisation("org-c")
    assert client.get("/gestion/organismes/org-c").status_code == 302
    assert client.get("/gestion/").status_code == 302
    create_user("animatrice@fictif.example", role="facilitator")
    login(client, "animatrice@fictif.example")
    assert client.get("/gestion/").status_code == 403
    assert client.get("/gestion/organismes/org-c").status_code == 403
    assert client.get("/gestion/organismes/inconnu").status_code == 404


def test_state_changes_need_post_and_csrf(client, editor_a):
    assert client.get("/gestion/organismes/org-a/confirmer").status_code == 405
    response = client.post("/gestion/organismes/org-a/confirmer")
    assert response.status_code == 400
    assert db.session.get(Organisation, editor_a["id"]).verification_status == "unverified"


def test_editor_sees_sub_programmes(client, editor_a):
    child = create_organisation("org-a-antenne", name="Antenne A (fictif)")
    child.parent_id = editor_a["id"]
    db.session.flush()
    assert "Antenne A (fictif)" in text(client.get("/gestion/"))
    assert "/gestion/organismes/org-a-antenne" in text(client.get("/gestion/organismes/org-a"))
    assert client.get("/gestion/organismes/org-a-antenne").status_code == 200


def test_admin_lists_all_with_a_name_filter(client):
    create_organisation("org-d", name="Organisme Delta (fictif)")
    create_user("admin@fictif.example", role="admin")
    login(client, "admin@fictif.example")
    page = text(client.get("/gestion/?q=delta"))
    assert "Organisme Delta (fictif)" in page
    assert "Organisme A" not in page
    assert client.get("/gestion/?page=2").status_code == 200
    assert "Gestion des fiches" in text(client.get("/compte"))


def test_archive_hides_and_admin_restores(app, client, db_session):
    organisation = create_organisation("org-e", name="Organisme Epsilon (fictif)")
    organisation_id, service_id = organisation.id, organisation.services[0].id
    create_user("editrice-e@fictif.example", organisations=[organisation])
    create_user("admin-e@fictif.example", role="admin")
    with indexed(app, db_session, organisation):
        login(client, "editrice-e@fictif.example")
        base = "/gestion/organismes/org-e"
        response = post_form(client, f"{base}/services/{service_id}/archiver", {}, page=base)
        assert response.status_code == 302
        assert "Service fictif" not in text(client.get("/organismes/org-e"))
        archives = text(client.get(f"{base}/archives"))
        assert "Service fictif" in archives
        assert "Rétablir" not in archives
        restore = f"{base}/services/{service_id}/restaurer"
        assert post_form(client, restore, {}, page=base).status_code == 403
        post_form(client, "/deconnexion", {}, page="/compte")
        login(client, "admin-e@fictif.example")
        assert post_form(client, f"{base}/archiver", {}, page=base).status_code == 302
        anonymous = app.test_client()
        assert anonymous.get("/organismes/org-e").status_code == 404
        assert anonymous.get(f"/api/v1/organizations/{organisation_id}").status_code == 404
        with app.test_request_context():
            search_service.index_document(db_session, [organisation_id])
            hits = search_service.search(SearchRequest(text="epsilon"))
        assert all(hit.payload["slug"] != "org-e" for hit in hits.hits)
        assert post_form(client, f"{base}/restaurer", {}, page=base).status_code == 302
        assert post_form(client, restore, {}, page=base).status_code == 302
        assert "Service fictif" in text(anonymous.get("/organismes/org-e"))
        with app.test_request_context():
            search_service.index_document(db_session, [organisation_id])
            hits = search_service.search(SearchRequest(text="epsilon"))
        assert any(hit.payload["slug"] == "org-e" for hit in hits.hits)
    listing_changes = select(AuditEntry.action).where(AuditEntry.organisation_id.is_not(None))
    actions = db.session.scalars(listing_changes.order_by(AuditEntry.id)).all()
    assert actions == ["archive", "archive", "restore", "restore"]


def test_archived_contact_and_phone_leave_the_public_page_and_can_be_restored(
    app, client, editor_a
):
    organisation = db.session.get(Organisation, editor_a["id"])
    phone = add_phone(organisation, "418-555-0177")
    contact = Contact(organisation_id=organisation.id, name="Contact Fictif")
    db.session.add(contact)
    db.session.flush()
    phone_id, contact_id = phone.id, contact.id
    base = "/gestion/organismes/org-a"
    post_form(client, f"{base}/telephones/{phone_id}/archiver", {}, page=base)
    post_form(client, f"{base}/contacts/{contact_id}/archiver", {}, page=base)
    page = text(client.get("/organismes/org-a"))
    assert "418-555-0177" not in page
    assert "Contact Fictif" not in page
    archives = text(client.get(f"{base}/archives"))
    assert "418-555-0177" in archives
    assert "Contact Fictif" in archives
    create_user("admin-telephone@fictif.example", role="admin")
    admin = app.test_client()
    login(admin, "admin-telephone@fictif.example")
    assert (
        post_form(admin, f"{base}/telephones/{phone_id}/restaurer", {}, page=base).status_code
        == 302
    )
    assert "418-555-0177" in text(client.get("/organismes/org-a"))


def test_confirm_verification_shows_the_date(client, editor_a):
    assert "Non vérifié par l'organisme" in text(client.get("/organismes/org-a"))
    base = "/gestion/organismes/org-a"
    assert "Confirmer l'exactitude de cette fiche" in text(client.get(base))
    assert post_form(client, f"{base}/confirmer", {}, page=base).status_code == 302
    organisation = db.session.get(Organisation, editor_a["id"])
    assert organisation.verification_status == "verified"
    assert organisation.last_verified_by == "editrice-a@fictif.example"
    assert "Vérifié le" in text(client.get("/organismes/org-a"))
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "verify")).one()
    assert entry.changes["verification_status"] == ["unverified", "verified"]


@pytest.mark.usefixtures("editor_a")
def test_names_are_escaped_on_public_and_manage_pages(client):
    payload = "<script>alert(1)</script>"
    response = _save(
        client, "/gestion/organismes/org-a/modifier", {**ORGANISATION, "name": payload}
    )
    assert response.status_code == 302
    for path in ("/organismes/org-a", "/gestion/organismes/org-a", "/gestion/"):
        body = client.get(path).get_data(as_text=True)
        assert payload not in body, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path


def test_expert_details_only_for_facilitators_and_admins(client, app):
    organisation = create_organisation("org-f")
    create_organisation("org-g")
    db.session.add(
        Expert(
            organisation_id=organisation.id,
            name="Expert Fictif",
            email="expert@fictif.example",
            phone="(418) 555-0188",
        )
    )
    other = db.session.scalars(select(Organisation).where(Organisation.slug == "org-g")).one()
    create_user("animatrice-f@fictif.example", role="facilitator")
    create_user("admin-f@fictif.example", role="admin")
    create_user("editrice-g@fictif.example", organisations=[other])
    db.session.flush()
    assert "expert@fictif.example" not in client.get("/organismes/org-f").get_data(as_text=True)
    assert "expert@fictif.example" not in client.get("/api/v1/organizations/org-f").get_data(
        as_text=True
    )
    for email, visible in (
        ("editrice-g@fictif.example", False),
        ("animatrice-f@fictif.example", True),
        ("admin-f@fictif.example", True),
    ):
        browser = app.test_client()
        login(browser, email)
        body = browser.get("/organismes/org-f").get_data(as_text=True)
        assert ("expert@fictif.example" in body) is visible, email
        assert ("(418) 555-0188" in body) is visible, email
        api = browser.get("/api/v1/organizations/org-f").get_data(as_text=True)
        assert "expert@fictif.example" not in api


@pytest.mark.usefixtures("editor_a")
def test_edit_link_only_for_editors_of_the_listing(client):
    assert "Modifier cette fiche" in text(client.get("/organismes/org-a"))
    create_organisation("org-h")
    assert "Modifier cette fiche" not in text(client.get("/organismes/org-h"))


def test_api_patch_updates_and_validates(client, editor_a):
    organisation_id = editor_a["id"]
    owner = create_user(
        "jeton@fictif.example", organisations=[db.session.get(Organisation, organisation_id)]
    )
    token = account_operations.issue_api_token(owner)
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/organizations/{organisation_id}"
    response = client.patch(path, json={"version": 1, "name": "Nom par API"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["name"] == "Nom par API"
    assert response.get_json()["version"] == 2
    stale = client.patch(path, json={"version": 1, "name": "Trop tard"}, headers=headers)
    assert stale.status_code == 409
    assert stale.get_json()["current"]["name"] == "Nom par API"
    assert stale.get_json()["current"]["version"] == 2
    bad = client.patch(path, json={"version": 2, "website": "javascript:alert(1)"}, headers=headers)
    assert bad.status_code == 400
    assert bad.get_json()["error"]["parameter"] == "website"
    unknown = client.patch(path, json={"version": 2, "slug": "x"}, headers=headers)
    assert unknown.get_json()["error"]["parameter"] == "slug"
    anonymous = client.application.test_client()
    assert anonymous.patch(path, json={"version": 2, "name": "X"}).status_code == 401


def test_api_patch_with_session_needs_the_csrf_header(client, editor_a):
    path = f"/api/v1/organizations/{editor_a['id']}"
    assert client.patch(path, json={"version": 1, "name": "Sans jeton"}).status_code == 400
    token = csrf_token(client, "/gestion/")
    response = client.patch(
        path, json={"version": 1, "name": "Avec jeton"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert db.session.get(Organisation, editor_a["id"]).name == "Avec jeton"


def test_new_location_resolves_the_municipality_in_its_region(client, editor_a):
    bad = {"region_code": "06", "municipality": "Roberval"}
    response = post_form(client, "/gestion/organismes/org-a/lieux/nouveau", bad)
    assert response.status_code == 400
    assert "Aucune municipalité de ce nom" in text(response)
    good = {"region_code": "02", "municipality": "roberval"}
    assert post_form(client, "/gestion/organismes/org-a/lieux/nouveau", good).status_code == 302
    site = db.session.scalars(
        select(Location).where(
            Location.organisation_id == editor_a["id"], Location.municipality_id.is_not(None)
        )
    ).one()
    assert site.municipality.name == "Roberval"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_manage_page_renders_for_an_admin(client, language):
    organisation = create_organisation("org-z", name="Organisme Z (fictif)")
    organisation_id = organisation.id
    add_phone(organisation, "418-555-0111")
    db.session.add(Expert(organisation_id=organisation.id, name="Expert Z"))
    db.session.add(
        ExpertiseOffer(
            organisation_id=organisation.id,
            languages=[OfferLanguage(code="fr"), OfferLanguage(code="en")],
        )
    )
    create_user("admin-z@fictif.example", role="admin")
    login(client, "admin-z@fictif.example")
    base = "/gestion/organismes/org-z"
    post_form(client, f"{base}/confirmer", {}, page=base)
    client.set_cookie("lang", language)
    organisation = db.session.get(Organisation, organisation_id)
    items = {
        "services": organisation.services[0].id,
        "lieux": organisation.locations[0].id,
        "telephones": organisation.phones[0].id,
        "experts": db.session.scalars(select(Expert.id)).one(),
    }
    paths = ["/gestion/", base, f"{base}/modifier", f"{base}/expertise", f"{base}/historique",
             f"{base}/archives", "/organismes/org-z"]  # fmt: skip
    paths += [f"{base}/{part}/nouveau" for part in ("services", "lieux", "contacts")]
    paths += [f"{base}/{part}/{item_id}" for part, item_id in items.items()]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert body.count("<h1") == 1, path
        assert f'<html lang="{language}"' in body, path
    post_form(client, f"{base}/services/{items['services']}/archiver", {}, page=base)
    assert "Service fictif" in text(client.get(f"{base}/archives"))
    assert "Expert Z" in text(client.get("/organismes/org-z"))
