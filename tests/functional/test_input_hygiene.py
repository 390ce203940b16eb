"""Malformed input is a clear 400, never a 500: huge or odd page numbers, NUL bytes and
other control characters in paths, query strings, forms and JSON, CR/LF in `next`; and no
request can write a forged line into the log."""

from __future__ import annotations

import io
import logging

import pytest

from directory.core.logs import EscapeControlCharacters, printable
from directory.core.views import safe_next
from tests.factories import create_user
from tests.web import csrf_token, login

HUGE = str(10**20)


@pytest.mark.parametrize(
    "path",
    [
        f"/regions/02?page={HUGE}",
        f"/secteurs/VCF?page={HUGE}",
        f"/recherche?q=refuge&page={HUGE}",
        "/regions/02?page=%D9%A3",  # an Arabic-Indic digit: int() takes it, we do not
        "/regions/02?page=-1",
        "/regions/02?page=1_0",
    ],
)
def test_out_of_range_pages_of_html_pages_are_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "page" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/organizations?page={HUGE}",
        f"/api/v1/organizations?per_page={HUGE}",
        f"/api/v1/search?q=refuge&page={HUGE}",
        "/api/v1/search?page=" + "9" * 5000,  # beyond Python's int parsing limit
    ],
)
def test_out_of_range_integers_in_the_api_are_a_400_naming_them(client, path):
    response = client.get(path)
    assert response.status_code == 400
    parameter = response.get_json()["error"]["parameter"]
    assert parameter in {"page", "per_page"}


def test_signed_in_lists_bound_their_pages_too(client):
    create_user("pages@fictif.example", role="admin")
    login(client, "pages@fictif.example")
    for path in ("/gestion/", "/concertations/", "/gestion/organismes/gapi/historique"):
        assert client.get(f"{path}?page={HUGE}").status_code == 400, path


@pytest.mark.parametrize(
    "path",
    [
        "/organismes/gapi%00",
        "/regions/0%002",
        "/recherche?q=ref%00uge",
        "/api/v1/organizations/gapi%00",
        "/api/v1/search?q=%00",
        "/api/v1/suggest?q=a%1Bb",
        "/langue/en?next=/%0D%0ASet-Cookie:%20pris=1",
    ],
)
def test_control_characters_in_urls_are_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers or "pris" not in response.headers["Set-Cookie"]
    if path.startswith("/api/"):
        assert response.get_json()["error"]["parameter"] in {"path", "q"}


def test_a_nul_byte_in_a_login_or_form_field_is_a_400(client):
    token = csrf_token(client, "/connexion")
    response = client.post(
        "/connexion", data={"csrf_token": token, "email": "a\x00@fictif.example", "password": "x"}
    )
    assert response.status_code == 400
    assert "email" in response.get_data(as_text=True)
    response = client.post(
        "/organismes/gapi/correction",
        data={"csrf_token": token, "message": "Le numéro\x00 a changé depuis longtemps."},
    )
    assert response.status_code == 400


def test_line_breaks_and_tabs_in_form_text_are_kept(client):
    token = csrf_token(client, "/organismes/gapi")
    response = client.post(
        "/organismes/gapi/correction",
        data={"csrf_token": token, "message": "Première ligne\r\n\tdeuxième ligne fictive"},
    )
    assert response.status_code == 302


def test_an_escaped_nul_in_a_json_body_is_a_400_naming_the_body(client):
    create_user("json-nul@fictif.example", role="admin")
    login(client, "json-nul@fictif.example")
    token = csrf_token(client, "/compte")
    body = '{"version": 1, "name": "Nom\\u0000fictif"}'
    response = client.patch(
        "/api/v1/organizations/gapi",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "body"
    # An escaped backslash followed by "u0000" is plain text, not a control character.
    text = '{"version": 1, "description": "C:\\\\u0000 est un chemin fictif"}'
    response = client.patch(
        "/api/v1/organizations/gapi",
        data=text,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code in {200, 409}


@pytest.mark.parametrize(
    "target",
    ["/recherche\r\nSet-Cookie: x=1", "/\x00", "/ok\n", "https://example.com/"],
)
def test_safe_next_refuses_control_characters_and_other_sites(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


def test_log_lines_cannot_be_forged():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(EscapeControlCharacters())
    logger = logging.getLogger("tests.forgery")
    logger.addHandler(handler)
    try:
        logger.error("error on %s", "/x\n2026-01-01 INFO forged: admin logged in\r")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().count("\n") == 1
    assert "\\n2026-01-01 INFO forged" in stream.getvalue()
    assert printable("a\x00b") == "a\\x00b"


def test_the_application_installs_the_escaping_on_its_log_handlers(app):  # noqa: ARG001
    handlers = logging.getLogger().handlers
    assert handlers
    assert all(
        any(isinstance(f, EscapeControlCharacters) for f in handler.filters)
        for handler in handlers
        if type(handler).__name__ != "LogCaptureHandler"
    )
