"""E-mailed links lead to the configured public address, never to the request's Host, and
an unknown Host is refused (Flask's TRUSTED_HOSTS)."""

from __future__ import annotations

import html

import pytest

from directory import config
from tests.factories import create_organisation, create_user
from tests.web import CSRF, csrf_token


def _reset_request(client, email: str, host: str | None = None):
    base = {"base_url": f"http://{host}"} if host else {}
    page = client.get("/mot-de-passe/oubli", **base).get_data(as_text=True)
    match = CSRF.search(page)
    token = html.unescape(match.group(1) or match.group(2)) if match else ""
    return client.post("/mot-de-passe/oubli", data={"csrf_token": token, "email": email}, **base)


def test_an_unknown_host_is_refused_and_no_link_is_sent(client, mailbox):
    create_user("hote@fictif.example", role="facilitator")
    response = _reset_request(client, "hote@fictif.example", host="evil.example")
    assert response.status_code == 400
    assert "Unknown site address" in response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert mailbox.messages == []
    api = client.get("/api/v1/organizations", headers={"Host": "evil.example"})
    assert api.status_code == 400


def test_the_reset_link_uses_the_public_url_whatever_the_host(app, client, mailbox, monkeypatch):
    """Even with host checking off (TRUSTED_HOSTS None), the link is built on PUBLIC_URL."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://filet.example.org/annuaire")
    create_user("lien@fictif.example", role="facilitator")
    response = _reset_request(client, "lien@fictif.example", host="evil.example")
    assert response.status_code == 302
    [message] = mailbox.wait_for("lien@fictif.example")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "evil.example" not in body
    assert "https://filet.example.org/annuaire/mot-de-passe/nouveau/" in body


def test_invitations_and_correction_notices_use_the_public_url(app, client, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://filet.example.org")
    organisation = create_organisation("lien-corr")
    create_user("editeur-lien@fictif.example", organisations=[organisation])
    token = csrf_token(client, "/organismes/lien-corr")
    client.post(
        "/organismes/lien-corr/correction",
        data={"csrf_token": token, "message": "Le numéro a changé depuis un mois."},
    )
    [notice] = mailbox.to("editeur-lien@fictif.example")
    body = notice.get_body(preferencelist=("plain",)).get_content()
    assert "https://filet.example.org/corrections/" in body


@pytest.mark.parametrize(
    ("environment", "url", "hosts"),
    [
        ({}, "http://127.0.0.1:5000", ["127.0.0.1", "localhost"]),
        (
            {"PUBLIC_URL": "https://filet.example.org/"},
            "https://filet.example.org",
            ["filet.example.org", "localhost", "127.0.0.1"],
        ),
        (
            {"SERVER_NAME": "filet.example.org", "PREFERRED_URL_SCHEME": "https"},
            "https://filet.example.org",
            ["filet.example.org", "localhost", "127.0.0.1"],
        ),
        (
            {"PUBLIC_URL": "https://a.example", "TRUSTED_HOSTS": "a.example, .b.example"},
            "https://a.example",
            ["a.example", ".b.example"],
        ),
    ],
)
def test_public_url_and_trusted_hosts_come_from_the_environment(
    monkeypatch, environment, url, hosts
):
    for name in ("PUBLIC_URL", "SERVER_NAME", "PREFERRED_URL_SCHEME", "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = config.web_config()
    assert settings["PUBLIC_URL"] == url
    assert settings["TRUSTED_HOSTS"] == hosts


def test_a_public_url_without_a_host_is_refused_at_start(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "filet.example.org")
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        config.web_config()


def test_flask_server_name_serves_when_no_public_url_is_set(app, monkeypatch):
    from directory.core.urls import external_url  # noqa: PLC0415 - one test needs it

    monkeypatch.setitem(app.config, "SERVER_NAME", "filet.example.org")
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")
    with app.app_context():
        assert external_url("corrections.queue") == "https://filet.example.org/corrections/"
