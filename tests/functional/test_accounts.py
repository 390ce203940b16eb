"""Accounts: login and logout, server-side sessions, invitations and resets by e-mail,
throttling, disabling, API tokens and the operator CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.accounts import operations
from directory.accounts.models import LoginAttempt, LoginSession, User
from directory.core.models import ThrottleWindow
from directory.db import utcnow
from directory.extensions import db
from tests.factories import PASSWORD, create_organisation, create_user
from tests.web import csrf_token, login, post_form, text


def test_login_page_is_linked_from_every_page_header(client):
    for path in ("/", "/recherche", "/a-propos", "/regions/02"):
        assert 'href="/connexion"' in client.get(path).get_data(as_text=True)


def test_login_starts_a_new_session_and_logout_ends_it_server_side(client):
    create_user("editrice@fictif.example", organisations=[create_organisation("org-a")])
    csrf_token(client)  # a pre-login session exists (CSRF token)
    before = client.get_cookie("session").value
    response = login(client, "editrice@fictif.example")
    assert response.headers["Location"] == "/compte"
    after = client.get_cookie("session")
    assert after.value != before
    assert "Mon espace" in text(client.get("/compte"))
    stolen = after.value
    post_form(client, "/deconnexion", {}, page="/compte")
    assert db.session.scalar(select(LoginSession)) is None
    # Replaying the cookie captured before logout is refused: its session row is gone.
    client.set_cookie("session", stolen)
    assert client.get("/compte").status_code == 302


def test_session_cookie_flags(client):
    create_user("flags@fictif.example", role="admin")
    response = login(client, "flags@fictif.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_refused_with_a_message_and_logged_without_the_password(client, caplog):
    create_user("mauvais@fictif.example", role="facilitator")
    response = post_form(
        client, "/connexion", {"email": "mauvais@fictif.example", "password": "pas-le-bon-mot"}
    )
    assert response.status_code == 200
    assert "Adresse courriel ou mot de passe incorrect." in text(response)
    assert "pas-le-bon-mot" not in caplog.text
    assert "failed login" in caplog.text
    attempt = db.session.scalar(select(LoginAttempt))
    assert attempt is not None
    assert not attempt.succeeded


def test_login_is_throttled_per_account_after_ten_failures(client):
    create_user("cible@fictif.example", role="admin")
    for _ in range(10):
        bad = {"email": "cible@fictif.example", "password": "essai incorrect"}
        assert post_form(client, "/connexion", bad).status_code == 200
    # Even the right password is refused while the window lasts.
    response = post_form(
        client, "/connexion", {"email": "cible@fictif.example", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in text(response)
    # Once the failures are older than the window, the account can log in again.
    for window in db.session.scalars(select(ThrottleWindow)):
        window.window_start -= timedelta(minutes=31)
    db.session.flush()
    login(client, "cible@fictif.example")


def test_login_is_throttled_per_address_after_thirty_failures(client):
    for number in range(30):
        bad = {"email": f"inconnu{number}@fictif.example", "password": "essai incorrect"}
        assert post_form(client, "/connexion", bad).status_code == 200
    create_user("autre@fictif.example", role="admin")
    response = post_form(
        client, "/connexion", {"email": "autre@fictif.example", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_idle_sessions_expire(client, app):
    create_user("idle@fictif.example", role="facilitator")
    login(client, "idle@fictif.example")
    for row in db.session.scalars(select(LoginSession)):
        row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.flush()
    assert client.get("/compte").status_code == 302
    assert db.session.scalar(select(LoginSession)) is None


def test_invitation_by_email_then_password_then_signed_in(client, mailbox):
    slug = create_organisation("org-invite").slug
    create_user("admin@fictif.example", role="admin")
    login(client, "admin@fictif.example")
    response = post_form(
        client,
        "/admin/comptes/inviter",
        {
            "email": "Nouvelle@Fictif.example",
            "name": "Nouvelle",
            "role": "editor",
            "organisations": [slug],
        },
    )
    assert response.status_code == 302
    [message] = mailbox.to("nouvelle@fictif.example")
    link = mailbox.link_in(message)
    invited = client.application.test_client()
    page = invited.get(link)
    assert "nouvelle@fictif.example" in text(page)
    response = post_form(
        invited, link, {"password": "une phrase assez longue", "confirm": "une phrase assez longue"}
    )
    assert response.status_code == 302
    assert "Organisme fictif org-invite" in text(invited.get("/compte"))
    # The link works once only.
    assert client.application.test_client().get(link).status_code == 404


def test_invitation_form_validates_in_french_and_english(client):
    create_user("admin2@fictif.example", role="admin")
    login(client, "admin2@fictif.example")
    response = post_form(
        client, "/admin/comptes/inviter", {"email": "pas-une-adresse", "role": "editor"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Adresse courriel invalide" in page
    assert "Un éditeur doit être rattaché à au moins un organisme." in page
    client.set_cookie("lang", "en")
    response = post_form(
        client, "/admin/comptes/inviter", {"email": "pas-une-adresse", "role": "editor"}
    )
    assert "Invalid e-mail address" in text(response)


def test_password_reset_by_email_ends_other_sessions(client, app, mailbox):
    create_user("oubli@fictif.example", role="facilitator")
    other = app.test_client()
    login(other, "oubli@fictif.example")
    response = post_form(client, "/mot-de-passe/oubli", {"email": "oubli@fictif.example"})
    assert response.status_code == 302
    [message] = mailbox.wait_for("oubli@fictif.example")
    link = mailbox.link_in(message)
    post_form(
        client, link, {"password": "nouvelle phrase secrète", "confirm": "nouvelle phrase secrète"}
    )
    assert other.get("/compte").status_code == 302  # the other browser is signed out
    login(app.test_client(), "oubli@fictif.example", "nouvelle phrase secrète")


def test_reset_request_does_not_reveal_whether_an_account_exists(client, mailbox):
    response = post_form(client, "/mot-de-passe/oubli", {"email": "personne@fictif.example"})
    assert response.status_code == 302
    assert "Si un compte existe" in text(client.get(response.headers["Location"]))
    assert mailbox.messages == []


def test_change_password_invalidates_other_sessions(client, app):
    create_user("change@fictif.example", role="facilitator")
    other = app.test_client()
    login(other, "change@fictif.example")
    login(client, "change@fictif.example")
    response = post_form(
        client,
        "/compte/mot-de-passe",
        {
            "current": PASSWORD,
            "password": "encore une autre phrase",
            "confirm": "encore une autre phrase",
        },
        page="/compte",
    )
    assert response.status_code == 302
    assert client.get("/compte").status_code == 200
    assert other.get("/compte").status_code == 302


def test_disabled_account_is_signed_out_and_cannot_log_in(client, app):
    create_user("admin3@fictif.example", role="admin")
    target_id = create_user("cesse@fictif.example", role="facilitator").id
    victim = app.test_client()
    login(victim, "cesse@fictif.example")
    login(client, "admin3@fictif.example")
    post_form(client, f"/admin/comptes/{target_id}/desactiver", {}, page="/admin/comptes/")
    assert victim.get("/compte").status_code == 302
    response = post_form(
        victim, "/connexion", {"email": "cesse@fictif.example", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "incorrect" in text(response)


def test_api_bearer_token_acts_with_its_owner_rights(client):
    user = create_user("jeton@fictif.example", role="facilitator")
    token = operations.issue_api_token(user)
    response = client.get("/api/v1/organizations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    bad = client.get("/api/v1/organizations", headers={"Authorization": "Bearer faux"})
    assert bad.status_code == 401
    assert bad.get_json()["error"]["parameter"] == "Authorization"


def test_cli_creates_users_and_prints_tokens(app, monkeypatch):
    runner = app.test_cli_runner()
    create_organisation("org-cli")
    monkeypatch.setenv("DIRECTORY_PASSWORD", "mot de passe en ligne de commande")
    result = runner.invoke(
        args=[
            "user",
            "create",
            "cli@fictif.example",
            "--role",
            "editor",
            "--organization",
            "org-cli",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "cli@fictif.example"))
    assert [organisation.slug for organisation in user.organisations] == ["org-cli"]
    user_id = user.id
    result = runner.invoke(args=["user", "token", "cli@fictif.example"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert operations.api_token_user(token).id == user_id
    refused = runner.invoke(args=["user", "create", "x@fictif.example", "--role", "editor"])
    assert refused.exit_code != 0
    assert "--organization" in refused.output


@pytest.mark.parametrize("path", ["/compte", "/admin/comptes/", "/admin/comptes/inviter"])
def test_private_pages_send_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")
