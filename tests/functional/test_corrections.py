"""Corrections suggested by visitors: the public form (CSRF, honeypot, rate limit per sender),
the e-mail to the editors, and the queue each role sees."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from directory.corrections.models import CorrectionSuggestion
from directory.extensions import db
from tests.factories import create_organisation, create_user
from tests.web import csrf_token, login, post_form, text

MESSAGE = "Le numéro de téléphone a changé depuis le printemps."


def _suggest(client, slug: str, **fields: str):
    data = {"message": MESSAGE, "reply_email": "", "website": "", **fields}
    return post_form(client, f"/organismes/{slug}/correction", data, page=f"/organismes/{slug}")


def _stored() -> list[CorrectionSuggestion]:
    return list(db.session.scalars(select(CorrectionSuggestion)))


def test_the_form_is_on_every_public_organisation_page(client):
    create_organisation("corr-formulaire")
    page = client.get("/organismes/corr-formulaire").get_data(as_text=True)
    assert 'action="/organismes/corr-formulaire/correction#correction"' in page
    assert "Laissez ce champ vide" in page
    assert 'class="honeypot"' in page


def test_a_suggestion_is_queued_and_the_editors_are_told(client, mailbox):
    organisation = create_organisation("corr-a")
    create_user("editeur-corr@fictif.example", organisations=[organisation])
    response = _suggest(client, "corr-a", reply_email="visiteur@fictif.example")
    assert response.status_code == 302
    assert "Merci ! Votre suggestion a été transmise" in text(client.get("/organismes/corr-a"))
    [suggestion] = _stored()
    assert suggestion.message == MESSAGE
    assert suggestion.reply_email == "visiteur@fictif.example"
    assert suggestion.status == "open"
    assert len(suggestion.sender_key) == 64
    assert "127.0.0.1" not in suggestion.sender_key
    sender_key = suggestion.sender_key
    [notice] = mailbox.to("editeur-corr@fictif.example")
    assert mailbox.link_in(notice) == "/corrections/"
    login(client, "editeur-corr@fictif.example")
    queue = client.get("/corrections/").get_data(as_text=True)
    assert MESSAGE in queue
    assert "visiteur@fictif.example" in queue
    assert sender_key not in queue


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"message": "Trop bref"}, "Entre 10 et 2000 caractères."),
        ({"message": "x" * 2001}, "Entre 10 et 2000 caractères."),
        ({"message": "   "}, "Ce champ est obligatoire."),
        ({"reply_email": "pas-une-adresse"}, "Adresse courriel invalide"),
    ],
)
def test_invalid_suggestions_are_refused_with_a_message(client, fields, error):
    create_organisation("corr-invalide")
    response = _suggest(client, "corr-invalide", **fields)
    assert response.status_code == 400
    assert error in text(response)
    assert _stored() == []


def test_a_suggestion_without_the_csrf_token_is_refused(client):
    create_organisation("corr-csrf")
    response = client.post("/organismes/corr-csrf/correction", data={"message": MESSAGE})
    assert response.status_code == 400
    assert _stored() == []


def test_the_honeypot_answers_like_success_and_stores_nothing(client, mailbox):
    organisation = create_organisation("corr-robot")
    create_user("editeur-robot@fictif.example", organisations=[organisation])
    response = _suggest(client, "corr-robot", website="https://pourriel.example")
    assert response.status_code == 302
    assert "Merci ! Votre suggestion a été transmise" in text(client.get("/organismes/corr-robot"))
    assert _stored() == []
    assert mailbox.messages == []


def test_a_sender_may_suggest_five_corrections_an_hour(client):
    create_organisation("corr-limite")
    for _ in range(5):
        assert _suggest(client, "corr-limite").status_code == 302
    response = _suggest(client, "corr-limite")
    assert response.status_code == 429
    assert "Réessayez dans une heure" in text(response)
    assert db.session.scalar(select(func.count()).select_from(CorrectionSuggestion)) == 5
    # Another address is counted apart.
    token = csrf_token(client, "/organismes/corr-limite")
    other = client.post(
        "/organismes/corr-limite/correction",
        data={"csrf_token": token, "message": MESSAGE},
        environ_overrides={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other.status_code == 302


def test_unpublished_listings_take_no_suggestion(client):
    create_organisation("corr-cachee", published=False)
    token = csrf_token(client, "/connexion")
    response = client.post(
        "/organismes/corr-cachee/correction", data={"csrf_token": token, "message": MESSAGE}
    )
    assert response.status_code == 404


def _queue_setup(client):
    a = create_organisation("corr-org-a", name="Organisme A fictif")
    create_organisation("corr-org-b", name="Organisme B fictif")
    sub = create_organisation("corr-org-a-antenne", name="Antenne de A fictive")
    sub.parent = a
    db.session.flush()
    create_user("editeur-a@fictif.example", organisations=[a])
    create_user("admin-corr@fictif.example", role="admin")
    create_user("anim-corr@fictif.example", role="facilitator")
    for slug, message in (
        ("corr-org-a", "Message pour A : horaire changé."),
        ("corr-org-b", "Message pour B : courriel changé."),
        ("corr-org-a-antenne", "Message pour l'antenne de A."),
    ):
        assert _suggest(client, slug, message=message).status_code == 302
    return {s.organisation.slug: s.id for s in _stored()}


def test_editors_see_and_close_their_organisations_suggestions_only(client):
    ids = _queue_setup(client)
    login(client, "editeur-a@fictif.example")
    queue = text(client.get("/corrections/"))
    assert "Message pour A : horaire changé." in queue
    assert "Message pour l'antenne de A." in queue
    assert "Message pour B" not in queue
    forbidden = post_form(client, f"/corrections/{ids['corr-org-b']}/traitee", {}, page="/compte")
    assert forbidden.status_code == 403
    done = post_form(client, f"/corrections/{ids['corr-org-a']}/traitee", {}, page="/compte")
    assert done.status_code == 302
    dismissed = post_form(
        client, f"/corrections/{ids['corr-org-a-antenne']}/rejet", {}, page="/compte"
    )
    assert dismissed.status_code == 302
    statuses = {s.organisation.slug: s.status for s in _stored()}
    assert statuses == {
        "corr-org-a": "resolved",
        "corr-org-a-antenne": "dismissed",
        "corr-org-b": "open",
    }
    assert "Message pour A" not in text(client.get("/corrections/"))


def test_admins_see_every_suggestion(client):
    _queue_setup(client)
    login(client, "admin-corr@fictif.example")
    queue = text(client.get("/corrections/"))
    assert "Message pour A" in queue
    assert "Message pour B" in queue


def test_facilitators_and_visitors_have_no_queue(client):
    ids = _queue_setup(client)
    anonymous = client.get("/corrections/")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/connexion")
    login(client, "anim-corr@fictif.example")
    assert client.get("/corrections/").status_code == 403
    closing = post_form(client, f"/corrections/{ids['corr-org-a']}/traitee", {}, page="/compte")
    assert closing.status_code == 403


def test_a_suggested_script_is_shown_as_text(client):
    create_organisation("corr-xss")
    create_user("admin-xss@fictif.example", role="admin")
    payload = "<script>alert('xss')</script> et <img src=x onerror=alert(1)>"
    assert _suggest(client, "corr-xss", message=payload).status_code == 302
    login(client, "admin-xss@fictif.example")
    page = client.get("/corrections/").get_data(as_text=True)
    assert "<script>alert(" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page


def test_a_mail_failure_does_not_lose_the_suggestion(app, client, monkeypatch, caplog):
    organisation = create_organisation("corr-panne")
    create_user("editeur-panne@fictif.example", organisations=[organisation])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_PORT", closed_port)
    assert _suggest(client, "corr-panne").status_code == 302
    assert len(_stored()) == 1
    assert "correction notice" in caplog.text
