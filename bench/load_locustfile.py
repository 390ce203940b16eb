"""Locust users for bench/load.py (run by it; not on its own).

Visitors browse, search, call the API and sign in and out; editors save their listing.
Every save the application acknowledged (302) is written to LOAD_ACKNOWLEDGED, so that
bench/load.py can check afterwards that none of them was lost.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import uuid
from html.parser import HTMLParser

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: PTH123, SIM115
ACKNOWLEDGED = os.environ["LOAD_ACKNOWLEDGED"]
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
WORDS = ("refuge", "hébergement", "toxicomanie", "DPJ", "santé mentale", "violence", "femmes",
         "jeunesse", "aide", "Roberval", "Montréal", "dépendance", "CALACS", "écoute")  # fmt: skip
_editors = itertools.count()


class _Form(HTMLParser):
    """The fields a browser would submit from the page's last POST form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        name = values.get("name")
        if tag == "form" and values.get("method", "").lower() == "post":
            self.fields = {}
        elif tag == "input" and name and values.get("type") not in {"checkbox", "radio"}:
            self.fields[name] = values.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.fields[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in values:
            self.fields[self._select] = values.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _csrf(page: str) -> str:
    match = CSRF.search(page)
    return html.unescape(match.group(1)) if match else ""


class Visitor(HttpUser):
    """A caseworker: browses, searches, uses the API; now and then a facilitator signs in."""

    weight = 9
    wait_time = between(1, 5)

    @task(4)
    def browse(self) -> None:
        slug = random.choice(ACCOUNTS["slugs"])
        region = random.choice(ACCOUNTS["regions"])
        self.client.get("/", name="/")
        self.client.get(f"/regions/{region}", name="/regions/[code]")
        self.client.get(f"/organismes/{slug}", name="/organismes/[slug]")

    @task(3)
    def search(self) -> None:
        word = random.choice(WORDS)
        self.client.get(f"/recherche?q={word}", name="/recherche?q=")

    @task(2)
    def api(self) -> None:
        word = random.choice(WORDS)
        region = random.choice(ACCOUNTS["regions"])
        self.client.get(f"/api/v1/search?q={word}", name="/api/v1/search?q=")
        self.client.get(f"/api/v1/organizations?region={region}", name="/api/v1/organizations")

    @task(1)
    def sign_in_and_out(self) -> None:
        email = random.choice(ACCOUNTS["facilitators"])
        token = _csrf(self.client.get("/connexion", name="/connexion").text)
        with self.client.post(
            "/connexion",
            data={"csrf_token": token, "email": email, "password": ACCOUNTS["password"]},
            allow_redirects=False,
            catch_response=True,
            name="/connexion",
        ) as response:
            if response.status_code != 302:  # noqa: PLR2004
                response.failure(f"login answered {response.status_code}")
                return
        token = _csrf(self.client.get("/compte", name="/compte").text)
        self.client.post(
            "/deconnexion", data={"csrf_token": token}, allow_redirects=False,
            name="/deconnexion",
        )  # fmt: skip


class Editor(HttpUser):
    """An organisation's editor keeping her listing true: one save every few seconds."""

    weight = 1
    wait_time = between(1, 5)

    def on_start(self) -> None:
        number = next(_editors) % len(ACCOUNTS["editors"])
        self.email, self.slug = ACCOUNTS["editors"][number]
        token = _csrf(self.client.get("/connexion", name="/connexion").text)
        self.client.post(
            "/connexion",
            data={"csrf_token": token, "email": self.email, "password": ACCOUNTS["password"]},
            allow_redirects=False,
            name="/connexion",
        )

    @task
    def save(self) -> None:
        path = f"/gestion/organismes/{self.slug}/modifier"
        form = _Form()
        form.feed(self.client.get(path, name="/gestion/organismes/[slug]/modifier").text)
        marker = f"Description fictive {uuid.uuid4().hex}"
        data = {**form.fields, "description": marker}
        with self.client.post(
            path, data=data, allow_redirects=False, catch_response=True,
            name="/gestion/organismes/[slug]/modifier",
        ) as response:  # fmt: skip
            if response.status_code == 302:  # noqa: PLR2004 - the save was acknowledged
                with open(ACKNOWLEDGED, "a", encoding="utf-8") as out:  # noqa: PTH123
                    out.write(json.dumps({"slug": self.slug, "description": marker}) + "\n")
            elif response.status_code == 409:  # noqa: PLR2004 - a conflict is a correct answer
                response.success()
            else:
                response.failure(f"save answered {response.status_code}")
