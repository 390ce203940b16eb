"""Security properties of every response and of the account forms."""

from __future__ import annotations

from directory.extensions import db
from tests.factories import create_user
from tests.functional.test_safety import _starting_points
from tests.web import login, post_form

REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def test_security_headers_on_every_response(app, client):
    create_user("entetes@fictif.example", role="admin")
    login(client, "entetes@fictif.example")
    for path in _starting_points(app):
        response = client.get(path)
        response.close()
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, path
        assert "frame-ancestors 'none'" in csp, path
        for name, value in REQUIRED_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
        # A shared computer keeps no copy of a page (confidential addresses, expert contacts),
        # nor of anything answered to a signed-in person.
        if not path.startswith("/static/"):
            assert response.headers.get("Cache-Control") == "no-store", path


def test_forms_refuse_a_post_without_csrf_token(client):
    create_user("csrf@fictif.example", role="admin")
    db.session.commit()  # into the test's outer transaction: the 400 below rolls back its own
    response = client.post(
        "/connexion", data={"email": "csrf@fictif.example", "password": "peu importe"}
    )
    assert response.status_code == 400
    login(client, "csrf@fictif.example")
    assert client.post("/deconnexion").status_code == 400
    assert client.get("/compte").status_code == 200  # still signed in


def test_cookie_authenticated_api_writes_need_the_csrf_header(client):
    create_user("api-csrf@fictif.example", role="admin")
    login(client, "api-csrf@fictif.example")
    response = client.post("/api/v1/organizations", json={})
    assert response.status_code == 400
    assert response.is_json


def test_login_next_parameter_cannot_send_to_another_site(client):
    create_user("redirige@fictif.example", role="facilitator")
    for target in ("https://example.com/", "//example.com/", "/\\example.com"):
        response = post_form(
            client,
            f"/connexion?next={target}",
            {"email": "redirige@fictif.example", "password": "phrase de passe fictive 2026"},
            page="/connexion",
        )
        assert response.headers["Location"] == "/compte", target
        post_form(client, "/deconnexion", {}, page="/compte")


def test_names_typed_by_users_are_rendered_escaped(client, mailbox):
    create_user("xss@fictif.example", role="admin")
    login(client, "xss@fictif.example")
    payload = "<script>alert('filet')</script>"
    post_form(
        client,
        "/admin/comptes/inviter",
        {"email": "cible-xss@fictif.example", "name": payload, "role": "facilitator"},
    )
    page = client.get("/admin/comptes/").get_data(as_text=True)
    assert payload not in page
    assert "&lt;script&gt;alert(&#39;filet&#39;)&lt;/script&gt;" in page
    assert mailbox.to("cible-xss@fictif.example")


def test_pages_are_not_stored_and_anonymous_public_json_may_be(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/une/page/inexistante").headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get("/api/v1/organizations").headers
    create_user("cache@fictif.example", role="admin")
    login(client, "cache@fictif.example")
    for path in ("/api/v1/organizations", "/api/v1/organizations/gapi", "/api/v1/inexistant"):
        response = client.get(path)
        assert response.is_json
        assert response.headers.get("Cache-Control") == "no-store", path
        assert "Authorization" in response.headers.get("Vary", ""), path


def test_bearer_token_answers_are_not_stored(client):
    from directory.accounts import operations  # noqa: PLC0415 - one test needs it

    token = operations.issue_api_token(create_user("jeton-cache@fictif.example", role="admin"))
    response = client.get("/api/v1/organizations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Behind a TLS-terminating proxy: the scheme comes from X-Forwarded-Proto.
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    proxied = client.get(
        "/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.4"}
    )
    assert "Strict-Transport-Security" in proxied.headers


def test_errors_raised_before_any_view_carry_the_headers(client):
    answers = [
        client.get("/", headers={"Host": "inconnu.example"}),  # unknown Host: 400
        client.get("/une/page/inexistante"),  # no route: 404
        client.put("/a-propos"),  # wrong method: 405
        client.get("/api/v1/search?page=abc"),  # bad parameter: 400 JSON
    ]
    for response in answers:
        assert response.status_code >= 400
        for name, value in REQUIRED_HEADERS.items():
            assert response.headers.get(name) == value, (response.status_code, name)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
