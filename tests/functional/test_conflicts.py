"""Two people editing the same listing: the later save gets a 409 showing both versions,
and nothing is overwritten — whether the version check or the database catches it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from directory.audit.models import AuditEntry
from directory.extensions import db
from directory.organisations.models import Organisation
from tests.factories import create_organisation, create_user
from tests.web import csrf_token, login, text

FORM = "/gestion/organismes/org-k/modifier"
FIELDS = {"type": "community", "description": "", "alternate_name": "", "email": "", "website": ""}


def _loaded_form(client) -> dict[str, str]:
    page = client.get(FORM).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert version is not None
    return {"csrf_token": csrf_token(client, FORM), "version": version.group(1)}


@pytest.fixture
def two_editors(app, client):
    organisation = create_organisation("org-k", name="Organisme K (fictif)")
    organisation_id = organisation.id
    create_user("premiere@fictif.example", organisations=[organisation])
    create_user("seconde@fictif.example", organisations=[organisation])
    other = app.test_client()
    login(client, "premiere@fictif.example")
    login(other, "seconde@fictif.example")
    return client, other, organisation_id


def test_second_save_gets_a_409_with_both_versions(two_editors):
    first, second, organisation_id = two_editors
    loaded_first, loaded_second = _loaded_form(first), _loaded_form(second)
    response = first.post(FORM, data={**loaded_first, **FIELDS, "name": "Nom de la première"})
    assert response.status_code == 302
    response = second.post(FORM, data={**loaded_second, **FIELDS, "name": "Nom de la seconde"})
    assert response.status_code == 409
    page = text(response)
    assert "Quelqu’un d’autre a modifié cette fiche" in page
    assert "Nom de la première" in page  # theirs, from the database
    assert "Nom de la seconde" in page  # yours, kept in the form
    body = response.get_data(as_text=True)
    assert 'name="version" type="hidden" value="2"' in body
    assert db.session.get(Organisation, organisation_id).name == "Nom de la première"
    listing_changes = db.session.query(AuditEntry).filter(AuditEntry.organisation_id.is_not(None))
    assert listing_changes.count() == 1  # one save; the rest are the two logins
    # Saving the pre-filled form again (now with the current version) goes through.
    retry = {"csrf_token": loaded_second["csrf_token"], "version": "2"}
    response = second.post(FORM, data={**retry, **FIELDS, "name": "Nom de la seconde"})
    assert response.status_code == 302
    assert db.session.get(Organisation, organisation_id).name == "Nom de la seconde"


def test_conflict_page_in_english(two_editors):
    first, second, _organisation_id = two_editors
    loaded_first, loaded_second = _loaded_form(first), _loaded_form(second)
    first.post(FORM, data={**loaded_first, **FIELDS, "name": "Première"})
    second.set_cookie("lang", "en")
    response = second.post(FORM, data={**loaded_second, **FIELDS, "name": "Seconde"})
    assert response.status_code == 409
    assert "Someone else changed this listing" in text(response)


def test_a_write_racing_past_the_version_check_is_a_409_not_a_500(two_editors):
    """The version matched when read, but another transaction bumped it before our UPDATE:
    SQLAlchemy's version counter raises StaleDataError, which must become a conflict."""
    first, _second, organisation_id = two_editors
    loaded = _loaded_form(first)
    bumped: list[bool] = []

    def bump_behind_the_orm(session: Session, _context: object, _instances: object) -> None:
        if bumped or not any(isinstance(item, Organisation) for item in session.dirty):
            return  # only the flush of our edit, after the version check passed
        bumped.append(True)
        session.connection().execute(
            sql("UPDATE organisations SET version = version + 1 WHERE id = :id"),
            {"id": organisation_id.hex},
        )

    event.listen(Session, "before_flush", bump_behind_the_orm)
    try:
        response = first.post(FORM, data={**loaded, **FIELDS, "name": "Écrasera-t-il ?"})
    finally:
        event.remove(Session, "before_flush", bump_behind_the_orm)
    assert bumped == [True]
    assert response.status_code == 409
    assert "Organisme K (fictif)" in text(response)
    assert db.session.get(Organisation, organisation_id).name == "Organisme K (fictif)"


def test_api_patch_conflict_returns_the_current_values(two_editors):
    first, _second, organisation_id = two_editors
    token = csrf_token(first, FORM)
    path = f"/api/v1/organizations/{organisation_id}"
    headers = {"X-CSRFToken": token}
    assert first.patch(path, json={"version": 1, "name": "A"}, headers=headers).status_code == 200
    response = first.patch(path, json={"version": 1, "name": "B"}, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["current"]["name"] == "A"
    assert response.get_json()["error"]["status"] == 409
