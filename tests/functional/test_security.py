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
