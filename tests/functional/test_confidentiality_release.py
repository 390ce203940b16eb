"""Making a confidential site public takes a second person: the editor (or an admin) who
unticks "confidential" only asks; another administrator approves; the editors and the
administrators are told by e-mail; until the approval the site stays confidential."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from directory.audit.models import AuditEntry
from directory.confidentiality.models import ConfidentialityRelease
from directory.extensions import db
from directory.organisations.models import Location
from tests.factories import add_site, create_organisation, create_user
from tests.live import form_fields
from tests.web import login, post_form, text

ADDRESS = "88 rue de l'Abri-Fictif"
SLUG = "refuge-a-liberer"


@pytest.fixture
def shelter(client):
    """A fictional shelter with a confidential site, its editor signed in; two admins."""
    organisation = create_organisation(SLUG, name="Refuge fictif à libérer")
    site = add_site(
        organisation, region_code="02", address=ADDRESS, postal_code="G8H 1B2", confidential=True
    )
    create_user("editrice-refuge@fictif.example", organisations=[organisation])
    create_user("admin-un@fictif.example", role="admin")
    create_user("admin-deux@fictif.example", role="admin")
    site_id = site.id
    db.session.commit()  # into the test's transaction: a refused request rolls back its own
    login(client, "editrice-refuge@fictif.example")
    return site_id


def _site_form(site_id) -> str:
    return f"/gestion/organismes/{SLUG}/lieux/{site_id}"


def _untick(client, site_id):
    path = _site_form(site_id)
    fields = [(k, v) for k, v in form_fields(client.get(path).get_data(as_text=True))]
    data = [(k, v) for k, v in fields if k != "confidential"]
    return client.post(path, data=MultiDict(data))


def _switch(client, email: str) -> None:
    post_form(client, "/deconnexion", {}, page="/compte")
    login(client, email)


def _public_page(app) -> str:
    return text(app.test_client().get(f"/organismes/{SLUG}"))


def test_unticking_confidential_asks_and_keeps_the_site_confidential(app, client, mailbox, shelter):
    response = _untick(client, shelter)
    assert response.status_code == 302
    overview = text(client.get(response.headers["Location"]))
    assert "demande l'approbation" in overview
    assert "Rendre public : en attente d'approbation" in overview
    assert db.session.get(Location, shelter).confidential is True
    assert ADDRESS not in _public_page(app)
    [release] = db.session.scalars(select(ConfidentialityRelease)).all()
    assert release.status == "pending"
    recipients = {message["To"] for message in mailbox.messages}
    assert recipients == {
        "editrice-refuge@fictif.example",
        "admin-un@fictif.example",
        "admin-deux@fictif.example",
    }
    for message in mailbox.messages:
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "Abri-Fictif" not in body  # the alert never carries the address
        assert "/admin/confidentialite/" in body
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "release_request"))
    assert entry.one().entity_id == str(shelter)


def test_a_second_admin_approves_and_the_address_becomes_public(app, client, mailbox, shelter):
    _untick(client, shelter)
    release_id = db.session.scalars(select(ConfidentialityRelease.id)).one()
    path = f"/admin/confidentialite/{release_id}/approuver"
    # The editor cannot approve.
    assert post_form(client, path, {}, page="/compte").status_code == 403
    _switch(client, "admin-un@fictif.example")
    page = text(client.get("/admin/confidentialite/"))
    assert "Refuge fictif à libérer" in page
    assert ADDRESS in page  # the approver sees what would become public
    mailbox.messages.clear()
    response = post_form(client, path, {}, page="/admin/confidentialite/")
    assert response.status_code == 302
    assert db.session.get(Location, shelter).confidential is False
    assert ADDRESS in _public_page(app)
    assert db.session.get(ConfidentialityRelease, release_id).status == "approved"
    assert "editrice-refuge@fictif.example" in {message["To"] for message in mailbox.messages}
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "location"))
    assert {"release_request", "release_approve"} <= set(actions)


def test_the_admin_who_asked_cannot_approve_alone(app, client, shelter):
    _switch(client, "admin-un@fictif.example")
    _untick(client, shelter)
    release_id = db.session.scalars(select(ConfidentialityRelease.id)).one()
    assert "Votre demande" in text(client.get("/admin/confidentialite/"))
    path = f"/admin/confidentialite/{release_id}/approuver"
    response = post_form(client, path, {}, page="/admin/confidentialite/")
    assert response.status_code == 403
    assert db.session.get(Location, shelter).confidential is True
    assert ADDRESS not in _public_page(app)
    _switch(client, "admin-deux@fictif.example")
    assert post_form(client, path, {}, page="/admin/confidentialite/").status_code == 302
    assert db.session.get(Location, shelter).confidential is False


def test_a_refused_release_keeps_the_site_confidential(app, client, shelter):
    _untick(client, shelter)
    release_id = db.session.scalars(select(ConfidentialityRelease.id)).one()
    _switch(client, "admin-deux@fictif.example")
    path = f"/admin/confidentialite/{release_id}/refuser"
    assert post_form(client, path, {}, page="/admin/confidentialite/").status_code == 302
    assert db.session.get(ConfidentialityRelease, release_id).status == "rejected"
    assert db.session.get(Location, shelter).confidential is True
    assert ADDRESS not in _public_page(app)
    # Decided: no second decision.
    again = post_form(client, f"/admin/confidentialite/{release_id}/approuver", {}, page="/compte")
    assert again.status_code == 404


def test_asking_twice_makes_one_request(client, mailbox, shelter):
    _untick(client, shelter)
    count = len(mailbox.messages)
    _untick(client, shelter)
    assert db.session.scalars(select(ConfidentialityRelease)).all().__len__() == 1
    assert len(mailbox.messages) == count


def test_other_changes_of_the_form_are_saved_meanwhile(client, shelter):
    path = _site_form(shelter)
    fields = [(k, v) for k, v in form_fields(client.get(path).get_data(as_text=True))]
    data = [(k, v) for k, v in fields if k not in {"confidential", "name"}] + [("name", "Accueil")]
    assert client.post(path, data=MultiDict(data)).status_code == 302
    site = db.session.get(Location, shelter)
    assert site.name == "Accueil"
    assert site.confidential is True


def test_reverting_to_public_also_needs_the_second_person(client, shelter):
    """An admin reverts the update that made a public site confidential: that is making it
    public, so it becomes a request too."""
    site = db.session.get(Location, shelter)
    site.confidential = False
    db.session.flush()
    _switch(client, "admin-un@fictif.example")
    path = _site_form(shelter)
    fields = form_fields(client.get(path).get_data(as_text=True))
    client.post(path, data=MultiDict([*fields, ("confidential", "y")]))
    assert db.session.get(Location, shelter).confidential is True
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.entity == "location")
    ).one()
    revert = f"/gestion/organismes/{SLUG}/historique/{entry.id}/retablir"
    post_form(client, revert, {}, page=f"/gestion/organismes/{SLUG}/historique")
    assert db.session.get(Location, shelter).confidential is True
    assert db.session.scalars(select(ConfidentialityRelease.status)).one() == "pending"
