"""Throttling that stops a guesser without locking anyone else out: per account and client,
per client, behind reverse proxies, known browsers, and password-reset limits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.accounts import views as account_views
from directory.accounts.models import LoginAttempt
from directory.core.timing import finish_no_sooner_than
from directory.extensions import db
from tests.factories import PASSWORD, create_user
from tests.web import csrf_token, text

PROXY = "10.0.0.2"


def _login(client, email: str, password: str, *, client_address: str | None = None):
    """A login POST; `client_address` arrives the way a reverse proxy forwards it."""
    token = csrf_token(client, "/connexion")
    headers, environ = {}, {}
    if client_address:
        headers["X-Forwarded-For"] = client_address
        environ["REMOTE_ADDR"] = PROXY
    return client.post(
        "/connexion",
        data={"csrf_token": token, "email": email, "password": password},
        headers=headers,
        environ_overrides=environ,
    )


@pytest.fixture
def behind_proxy(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)


def test_a_guesser_does_not_lock_the_holder_out(app, client):
    create_user("titulaire@fictif.example", role="admin")
    for _ in range(12):
        _login(client, "titulaire@fictif.example", "mauvais essai")
    assert _login(client, "titulaire@fictif.example", PASSWORD).status_code == 429
    # The holder, on another network, signs in with her password.
    holder = app.test_client()
    token = csrf_token(holder, "/connexion")
    response = holder.post(
        "/connexion",
        data={"csrf_token": token, "email": "titulaire@fictif.example", "password": PASSWORD},
        environ_overrides={"REMOTE_ADDR": "198.51.100.20"},
    )
    assert response.status_code == 302


@pytest.mark.usefixtures("behind_proxy")
def test_behind_a_proxy_one_guesser_blocks_only_itself(client):
    create_user("collegue@fictif.example", role="facilitator")
    for number in range(31):
        _login(client, f"inconnu{number}@fictif.example", "x", client_address="203.0.113.9")
    blocked = _login(client, "collegue@fictif.example", PASSWORD, client_address="203.0.113.9")
    assert blocked.status_code == 429
    # Every other visitor comes through the same proxy address and is not affected.
    response = _login(client, "collegue@fictif.example", PASSWORD, client_address="203.0.113.50")
    assert response.status_code == 302


@pytest.mark.usefixtures("behind_proxy")
def test_a_forged_forwarded_for_does_not_escape_the_limit(client):
    """The client can prepend addresses; only the one the proxy appended counts."""
    create_user("forge@fictif.example", role="facilitator")
    for number in range(11):
        _login(client, "forge@fictif.example", "x", client_address=f"192.0.2.{number}, 203.0.113.7")
    response = _login(client, "forge@fictif.example", PASSWORD, client_address="203.0.113.7")
    assert response.status_code == 429


def test_without_trusted_proxies_forwarded_for_is_ignored(client):
    create_user("direct@fictif.example", role="facilitator")
    for number in range(11):
        _login(client, "direct@fictif.example", "x", client_address=f"192.0.2.{number}")
    # The headers were not believed: every attempt came from the proxy's own address.
    assert (
        _login(client, "direct@fictif.example", PASSWORD, client_address="192.0.2.99").status_code
        == 429
    )
    attempts = db.session.scalars(select(LoginAttempt.client_key)).all()
    assert len(attempts) == 10  # the eleventh was refused before any check
    assert len(set(attempts)) == 1


def test_a_known_browser_signs_in_while_its_network_is_blocked(app, client):
    """The holder signed in before from this browser; a stranger on the same network then
    exhausts every limit. Her browser is still let in."""
    create_user("maison@fictif.example", role="facilitator")
    holder = app.test_client()
    assert _login(holder, "maison@fictif.example", PASSWORD).status_code == 302
    assert holder.get_cookie("filet_appareil") is not None
    for number in range(31):
        _login(client, "maison@fictif.example" if number < 11 else f"x{number}@fictif.example", "x")
    assert _login(client, "maison@fictif.example", PASSWORD).status_code == 429
    assert _login(holder, "maison@fictif.example", PASSWORD).status_code == 302


def test_a_known_browser_of_another_account_gets_no_pass(client):
    create_user("une@fictif.example", role="facilitator")
    create_user("autre-compte@fictif.example", role="facilitator")
    assert _login(client, "une@fictif.example", PASSWORD).status_code == 302
    for _ in range(10):
        _login(client, "autre-compte@fictif.example", "x")
    assert _login(client, "autre-compte@fictif.example", PASSWORD).status_code == 429


def test_a_successful_login_clears_the_account_failures_from_that_client(client):
    create_user("oublieuse@fictif.example", role="facilitator")
    for _ in range(9):
        _login(client, "oublieuse@fictif.example", "presque")
    assert _login(client, "oublieuse@fictif.example", PASSWORD).status_code == 302
    for _ in range(9):
        assert _login(client, "oublieuse@fictif.example", "encore").status_code == 200
    assert _login(client, "oublieuse@fictif.example", PASSWORD).status_code == 302


def test_login_attempts_keep_no_client_address(client):
    _login(client, "trace@fictif.example", "x", client_address=None)
    [attempt] = db.session.scalars(select(LoginAttempt)).all()
    assert "127.0.0.1" not in attempt.client_key
    assert len(attempt.client_key) == 64
    assert not hasattr(attempt, "ip")


def _forgot(client, email: str, client_address: str | None = None):
    token = csrf_token(client, "/mot-de-passe/oubli")
    environ = {"REMOTE_ADDR": client_address} if client_address else {}
    return client.post(
        "/mot-de-passe/oubli",
        data={"csrf_token": token, "email": email},
        environ_overrides=environ,
    )


@pytest.mark.parametrize("exists", [True, False])
def test_reset_requests_are_limited_per_address_whether_or_not_it_exists(client, mailbox, exists):
    if exists:
        create_user("limite-lien@fictif.example", role="facilitator")
    for number in range(3):
        response = _forgot(client, "limite-lien@fictif.example", f"198.51.100.{number}")
        assert response.status_code == 302
    refused = _forgot(client, "limite-lien@fictif.example", "198.51.100.99")
    assert refused.status_code == 429
    assert "Trop de demandes de lien" in text(refused)
    expected = 3 if exists else 0  # an unknown address starts no send: nothing arrives late
    assert len(mailbox.wait_for("limite-lien@fictif.example", expected)) == expected


def test_reset_requests_are_limited_per_client(client):
    for number in range(10):
        assert _forgot(client, f"personne{number}@fictif.example").status_code == 302
    assert _forgot(client, "encore-une@fictif.example").status_code == 429
    assert _forgot(client, "encore-une@fictif.example", "198.51.100.7").status_code == 302


def test_the_reset_answer_waits_the_same_fixed_time_for_known_and_unknown(app, client, monkeypatch):
    """Both answers wait RESET_ANSWER_SECONDS from the request's start: the time says nothing.
    (How long that wait is, on a clock of their own: tests/unit/core/test_timing.py.)"""
    monkeypatch.setitem(app.config, "RESET_ANSWER_SECONDS", 0.4)
    waits = []

    def recorded(started, seconds, *, waiting_for=None):
        waits.append((seconds, waiting_for is not None))
        finish_no_sooner_than(started, seconds, waiting_for=waiting_for)

    monkeypatch.setattr(account_views, "finish_no_sooner_than", recorded)
    create_user("connue@fictif.example", role="facilitator")
    csrf_token(client, "/mot-de-passe/oubli")
    for email in ("connue@fictif.example", "inconnue@fictif.example"):
        assert _forgot(client, email).status_code == 302
    # The known address's message is waited for, up to the same fixed time only.
    assert waits == [(0.4, True), (0.4, False)]
