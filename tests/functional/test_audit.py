"""The audit trail: every change recorded with its author and values; admins revert updates."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.audit.models import AuditEntry
from directory.extensions import db
from directory.organisations.models import Organisation
from tests.factories import create_organisation, create_user
from tests.web import csrf_token, login, post_form, text

BASE = "/gestion/organismes/org-r"
FIELDS = {"type": "community", "alternate_name": "", "email": "", "website": ""}


def _words(response) -> str:
    """The page's text without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))


def _edit(client, version: int, **values: str):
    token = csrf_token(client, f"{BASE}/modifier")
    data = {"csrf_token": token, "version": str(version), **FIELDS, **values}
    return client.post(f"{BASE}/modifier", data=data)


@pytest.fixture
def edited(client):
    """org-r renamed once by its editor; the client is signed in as that editor."""
    organisation = create_organisation("org-r", name="Nom d'origine (fictif)")
    organisation_id = organisation.id
    create_user("editeur-r@fictif.example", name="Éditeur R", organisations=[organisation])
    create_user("admin-r@fictif.example", role="admin")
    login(client, "editeur-r@fictif.example")
    assert _edit(client, 1, name="Nom modifié", description="Texte").status_code == 302
    entry_id = db.session.scalars(select(AuditEntry.id).where(AuditEntry.action == "update")).one()
    return {"id": organisation_id, "entry_id": entry_id}


def test_update_is_recorded_with_author_and_before_after(client, edited):
    entry = db.session.get(AuditEntry, edited["entry_id"])
    assert entry.action == "update"
    assert entry.user.email == "editeur-r@fictif.example"
    assert entry.entity == "organisation"
    assert entry.entity_id == str(edited["id"])
    assert entry.changes == {
        "name": ["Nom d'origine (fictif)", "Nom modifié"],
        "description": ["", "Texte"],
    }
    page = _words(client.get(f"{BASE}/historique"))
    assert "Éditeur R" in page
    assert "Nom d'origine (fictif) → Nom modifié" in page


@pytest.mark.usefixtures("edited")
def test_history_lists_newest_first(client):
    assert _edit(client, 2, name="Troisième nom", description="Texte").status_code == 302
    page = _words(client.get(f"{BASE}/historique"))
    assert page.index("Troisième nom") < page.index("Nom d'origine (fictif) →")


def test_admin_reverts_an_update_and_the_revert_is_audited(client, edited):
    post_form(client, "/deconnexion", {}, page="/compte")
    login(client, "admin-r@fictif.example")
    history = client.get(f"{BASE}/historique").get_data(as_text=True)
    assert f"/historique/{edited['entry_id']}/retablir" in history
    path = f"{BASE}/historique/{edited['entry_id']}/retablir"
    response = post_form(client, path, {}, page=f"{BASE}/historique")
    assert response.status_code == 302
    organisation = db.session.get(Organisation, edited["id"])
    assert organisation.name == "Nom d'origine (fictif)"
    assert organisation.description == ""
    revert = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "revert")).one()
    assert revert.changes["name"] == ["Nom modifié", "Nom d'origine (fictif)"]
    assert db.session.get(AuditEntry, edited["entry_id"]).reverted_by_id == revert.id
    assert "Nom d'origine (fictif)" in text(client.get("/organismes/org-r"))
    # Reverting twice is refused.
    again = post_form(client, path, {}, page=f"{BASE}/historique")
    assert again.status_code == 409


def test_revert_is_refused_when_the_fields_changed_since(client, edited):
    assert _edit(client, 2, name="Encore un autre nom", description="Texte").status_code == 302
    post_form(client, "/deconnexion", {}, page="/compte")
    login(client, "admin-r@fictif.example")
    path = f"{BASE}/historique/{edited['entry_id']}/retablir"
    response = post_form(client, path, {}, page=f"{BASE}/historique")
    assert response.status_code == 409
    assert db.session.get(Organisation, edited["id"]).name == "Encore un autre nom"


def test_editor_cannot_revert(client, edited):
    history = client.get(f"{BASE}/historique").get_data(as_text=True)
    assert "/retablir" not in history
    path = f"{BASE}/historique/{edited['entry_id']}/retablir"
    assert post_form(client, path, {}, page=f"{BASE}/historique").status_code == 403
    assert db.session.get(Organisation, edited["id"]).name == "Nom modifié"


def test_entries_of_another_organisation_are_not_reachable(client, edited):
    create_organisation("org-s")
    post_form(client, "/deconnexion", {}, page="/compte")
    login(client, "admin-r@fictif.example")
    path = f"/gestion/organismes/org-s/historique/{edited['entry_id']}/retablir"
    assert post_form(client, path, {}, page=f"{BASE}/historique").status_code == 404


@pytest.mark.usefixtures("edited")
def test_editors_see_only_their_organisations_history(app):
    other = create_organisation("org-t")
    create_user("editeur-t@fictif.example", organisations=[other])
    browser = app.test_client()
    login(browser, "editeur-t@fictif.example")
    assert browser.get(f"{BASE}/historique").status_code == 403
    body = browser.get("/gestion/organismes/org-t/historique").get_data(as_text=True)
    assert not re.search(r"Nom modifié", body)
