"""Account requests: the public form, new organisations kept unpublished until an admin
approves, the admins' queue (approve, reject, publish) and the invitation that follows."""

from __future__ import annotations

import re

from sqlalchemy import select

from directory.accounts.models import AccountRequest, User
from directory.audit.models import AuditEntry
from directory.extensions import db
from directory.organisations.models import Organisation
from tests.factories import create_organisation, create_user
from tests.web import login, post_form, text

NEW_NAME = "Maison Zéphyrine fictive"
PASSWORD = "une phrase assez longue"


def _request(client, **fields: str):
    data = {
        "name": "Zoé Fictive",
        "email": "zoe@fictif.example",
        "organisation": "nouvel-organisme",
        "new_name": NEW_NAME,
        "new_type": "community",
        "new_region": "04",
        "new_municipality": "",
        "new_description": "Hébergement fictif pour les tests.",
        "message": "Bonjour, nous aimerions tenir notre fiche à jour.",
        **fields,
    }
    return post_form(client, "/demande-de-compte", data)


def _new_organisation() -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.name == NEW_NAME))
    assert found is not None
    return found


def _pending() -> AccountRequest:
    found = db.session.scalar(select(AccountRequest).where(AccountRequest.status == "pending"))
    assert found is not None
    return found


def _region_count(client, code: str) -> int:
    page = client.get("/").get_data(as_text=True)
    match = re.search(rf'href="/regions/{code}">.*?class="region-count">\s*(\d+)', page, re.DOTALL)
    assert match is not None
    return int(match.group(1))


def test_the_login_page_links_to_the_request_form(client):
    assert 'href="/demande-de-compte"' in client.get("/connexion").get_data(as_text=True)
    assert client.get("/demande-de-compte").status_code == 200


def test_a_proposed_organisation_stays_hidden_until_approved(client):
    count_before = _region_count(client, "04")
    assert _request(client).status_code == 302
    organisation = _new_organisation()
    slug = organisation.slug
    assert not organisation.published
    assert client.get(f"/organismes/{slug}").status_code == 404
    assert client.get(f"/api/v1/organizations/{slug}").status_code == 404
    assert slug not in client.get("/api/v1/suggest?q=zephyrine").get_data(as_text=True)
    listing = client.get("/api/v1/organizations?region=04&per_page=100").get_data(as_text=True)
    assert slug not in listing
    assert NEW_NAME not in text(client.get("/regions/04"))
    assert _region_count(client, "04") == count_before
    create_user("admin-demandes@fictif.example", role="admin")
    login(client, "admin-demandes@fictif.example")
    assert NEW_NAME in text(client.get("/admin/demandes/"))
    request_id = _pending().id
    post_form(client, f"/admin/demandes/{request_id}/approuver", {}, page="/admin/demandes/")
    visitor = client.application.test_client()
    assert visitor.get(f"/organismes/{slug}").status_code == 200
    assert slug in visitor.get("/api/v1/suggest?q=zephyrine").get_data(as_text=True)
    assert _region_count(visitor, "04") == count_before + 1


def test_approval_journey_from_request_to_the_editors_account_page(client, mailbox):
    create_user("admin-parcours@fictif.example", role="admin")
    assert _request(client).status_code == 302
    organisation_id = _new_organisation().id
    request_id = _pending().id
    login(client, "admin-parcours@fictif.example")
    response = post_form(
        client, f"/admin/demandes/{request_id}/approuver", {}, page="/admin/demandes/"
    )
    assert response.status_code == 302
    assert "Demande approuvée : zoe@fictif.example." in text(client.get("/admin/demandes/"))
    [message] = mailbox.to("zoe@fictif.example")
    link = mailbox.link_in(message)
    editor = client.application.test_client()
    assert "zoe@fictif.example" in text(editor.get(link))
    response = post_form(editor, link, {"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    account = text(editor.get("/compte"))
    assert NEW_NAME in account
    user = db.session.scalar(select(User).where(User.email == "zoe@fictif.example"))
    assert user.role == "editor"
    assert [org.id for org in user.organisations] == [organisation_id]
    decided = db.session.get(AccountRequest, request_id)
    assert decided.status == "approved"
    assert decided.decided_at is not None
    audit = db.session.scalar(
        select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    )
    assert audit.action == "publish"
    assert audit.changes == {"published": [False, True]}


def test_a_request_for_an_existing_organisation_binds_it(client, mailbox):
    create_organisation("demande-existante", name="Organisme existant fictif")
    create_user("admin-existant@fictif.example", role="admin")
    assert _request(client, organisation="demande-existante", new_name="").status_code == 302
    request_id = _pending().id
    login(client, "admin-existant@fictif.example")
    post_form(client, f"/admin/demandes/{request_id}/approuver", {}, page="/admin/demandes/")
    user = db.session.scalar(select(User).where(User.email == "zoe@fictif.example"))
    assert [org.slug for org in user.organisations] == ["demande-existante"]
    assert len(mailbox.to("zoe@fictif.example")) == 1


def test_an_existing_editor_account_is_reused(client):
    first = create_organisation("demande-premier", name="Premier fictif")
    create_user("zoe@fictif.example", organisations=[first])
    create_user("admin-reutilise@fictif.example", role="admin")
    assert _request(client).status_code == 302
    request_id = _pending().id
    login(client, "admin-reutilise@fictif.example")
    post_form(client, f"/admin/demandes/{request_id}/approuver", {}, page="/admin/demandes/")
    users = db.session.scalars(select(User).where(User.email == "zoe@fictif.example")).all()
    assert len(users) == 1
    assert {org.name for org in users[0].organisations} == {"Premier fictif", NEW_NAME}


def test_rejecting_archives_the_proposed_organisation(client):
    create_user("admin-rejet@fictif.example", role="admin")
    assert _request(client).status_code == 302
    request_id, slug = _pending().id, _new_organisation().slug
    login(client, "admin-rejet@fictif.example")
    post_form(client, f"/admin/demandes/{request_id}/rejeter", {}, page="/admin/demandes/")
    assert db.session.get(AccountRequest, request_id).status == "rejected"
    assert _new_organisation().archived_at is not None
    assert db.session.scalar(select(User).where(User.email == "zoe@fictif.example")) is None
    assert NEW_NAME not in text(client.get("/admin/demandes/"))
    assert client.application.test_client().get(f"/organismes/{slug}").status_code == 404


def test_admins_publish_an_unpublished_organisation(client):
    create_organisation("demande-a-publier", name="À publier fictif", published=False)
    create_user("admin-publier@fictif.example", role="admin")
    login(client, "admin-publier@fictif.example")
    assert "À publier fictif" in text(client.get("/admin/demandes/"))
    organisation_id = db.session.scalar(
        select(Organisation.id).where(Organisation.slug == "demande-a-publier")
    )
    response = post_form(
        client,
        f"/admin/demandes/organismes/{organisation_id}/publier",
        {},
        page="/admin/demandes/",
    )
    assert response.status_code == 302
    visitor = client.application.test_client()
    assert visitor.get("/organismes/demande-a-publier").status_code == 200


def test_a_new_organisation_needs_a_name_and_a_region(client):
    response = _request(client, new_name="", new_region="")
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in text(response)
    assert db.session.scalar(select(AccountRequest)) is None
    assert db.session.scalar(select(Organisation).where(Organisation.published.is_(False))) is None


def test_the_admin_queue_is_for_admins_only(client):
    assert client.get("/admin/demandes/").status_code == 302
    create_user("editeur-demandes@fictif.example", organisations=[create_organisation("dq")])
    login(client, "editeur-demandes@fictif.example")
    assert client.get("/admin/demandes/").status_code == 403
    assert "/admin/demandes/" not in client.get("/compte").get_data(as_text=True)


def test_the_honeypot_stores_nothing(client):
    response = _request(client, website="https://spam.example")
    assert response.status_code == 302
    assert db.session.scalar(select(AccountRequest)) is None
    assert db.session.scalar(select(Organisation).where(Organisation.name == NEW_NAME)) is None


def test_requests_are_rate_limited_per_sender(client):
    for number in range(3):
        assert _request(client, new_name=f"Organisme fictif {number}").status_code == 302
    response = _request(client, new_name="Organisme fictif de trop")
    assert response.status_code == 429
    assert "plusieurs demandes en peu de temps" in text(response)
    names = db.session.scalars(select(Organisation.name).where(Organisation.published.is_(False)))
    assert "Organisme fictif de trop" not in list(names)
