"""Helpers to drive forms the way a browser does: read the CSRF token, post, sign in."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import PASSWORD

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, path: str = "/connexion") -> str:
    """The CSRF token a page at `path` hands to its forms (one per session)."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF.search(page)
    assert match is not None, f"no CSRF token on {path}"
    return html.unescape(match.group(1) or match.group(2))


def post_form(
    client: FlaskClient, path: str, data: dict[str, object], *, page: str | None = None
) -> TestResponse:
    """Post `data` with the CSRF token read from `page` (default: the form's own page)."""
    token = csrf_token(client, page or path)
    return client.post(path, data={"csrf_token": token, **data})


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    response = post_form(client, "/connexion", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def text(response: TestResponse) -> str:
    """The page as a reader sees it: entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))
