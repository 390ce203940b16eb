"""A separate instance of the application served by real gunicorn workers.

Its own database (a SQLite file, or a fresh PostgreSQL database on the suite's server when
DATABASE_URL is set) is migrated, seeded and indexed through the `flask` CLI, so journeys
that write (editing, conflicts, throttling) never touch the suite's shared database.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from directory.config import REPOSITORY_ROOT
from tests import databases

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _database(instance: Path) -> Iterator[str | None]:
    """None for SQLite (the instance folder's file), else the URL of a fresh PostgreSQL DB."""
    url = databases.suite_url()
    if url is None:
        yield None
        return
    name = f"filet_live_{secrets.token_hex(4)}"
    try:
        yield databases.create_database(url, name)
    finally:
        databases.drop_database(url, name)
    del instance


@dataclass
class LiveInstance:
    url: str
    env: dict[str, str]

    def flask(self, *args: str, input_text: str | None = None) -> str:
        """Run a `flask --app wsgi` command against this instance; its output."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=REPOSITORY_ROOT,
            env=self.env,
            input=input_text,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


def _wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = "gunicorn exited during start-up"
            raise RuntimeError(msg)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    msg = "gunicorn did not start"
    raise RuntimeError(msg)


@contextmanager
def gunicorn_instance(
    instance: Path, smtp_port: int, *, workers: int = 3, search_backend: str | None = None
) -> Iterator[LiveInstance]:
    """Migrate, seed and index a fresh instance, then serve it with `workers` gunicorn workers.

    `search_backend` sets SEARCH_BACKEND (default: the database's own default)."""
    with _database(instance) as database_url:
        env = {
            **os.environ,
            "DIRECTORY_INSTANCE_PATH": str(instance),
            "SECRET_KEY": secrets.token_hex(16),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            # Plain HTTP on loopback: the Secure flag is checked on the app's responses elsewhere.
            "SESSION_COOKIE_SECURE": "0",
        }
        env.pop("DATABASE_URL", None)
        env.pop("SEARCH_BACKEND", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        if search_backend:
            env["SEARCH_BACKEND"] = search_backend
        live = LiveInstance(url="", env=env)
        live.flask("db", "upgrade")
        live.flask("db", "seed")
        live.flask("search", "reindex")
        with _served(env, workers) as served:
            yield served


@contextmanager
def another_host(live: LiveInstance, instance: Path, *, workers: int = 2) -> Iterator[LiveInstance]:
    """A second application host on the same database: its own instance folder, the same
    SECRET_KEY and settings, as a scaled-out deployment behind a proxy would run it."""
    env = {**live.env, "DIRECTORY_INSTANCE_PATH": str(instance)}
    with _served(env, workers) as served:
        yield served


@contextmanager
def _served(env: dict[str, str], workers: int) -> Iterator[LiveInstance]:
    """Serve the application described by `env` with gunicorn on a free loopback port."""
    port = _free_port()
    env = {**env, "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    live = LiveInstance(url=f"http://127.0.0.1:{port}", env=env)
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
    process = subprocess.Popen(command, cwd=REPOSITORY_ROOT, env=env)  # noqa: S603
    try:
        _wait_for(port, process)
        yield live
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class HttpClient:
    """A cookie-keeping HTTP client for a live instance (each instance = one browser)."""

    base: str
    jar: CookieJar = field(default_factory=CookieJar)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self, path: str, data: dict[str, str] | list[tuple[str, str]] | None = None
    ) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self._opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self, path: str) -> str:
        status, page = self.request(path)
        match = CSRF.search(page)
        assert match is not None, (status, page[:500])
        return html.unescape(match.group(1))

    def post_form(
        self, path: str, data: dict[str, str], *, page: str | None = None
    ) -> tuple[int, str]:
        return self.request(path, {"csrf_token": self.csrf(page or path), **data})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


class _FormParser(HTMLParser):
    """The values a browser would submit from the page's last POST form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        name = values.get("name")
        if tag == "form" and values.get("method", "").lower() == "post":
            self.fields = []
        elif tag == "input" and name:
            kind = values.get("type", "text")
            if kind not in {"checkbox", "radio"} or "checked" in values:
                self.fields.append((name, values.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in values:
            self.fields.append((self._select, values.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(page: str) -> list[tuple[str, str]]:
    parser = _FormParser()
    parser.feed(page)
    return [(name, value.removeprefix("\n")) for name, value in parser.fields]


def logged_in(url: str, email: str, password: str) -> HttpClient:
    """A client logged in on the instance at `url`."""
    client = HttpClient(url)
    status, _ = client.post_form("/connexion", {"email": email, "password": password})
    assert status == 302
    return client


def rename_listing(client: HttpClient, edit_path: str, name: str) -> int:
    """Save the listing's edit form unchanged but for its name; the answer's status."""
    fields = [(k, v) for k, v in form_fields(client.request(edit_path)[1]) if k != "name"]
    status, _ = client.request(edit_path, [*fields, ("name", name)])
    return status


def found_slugs(url: str, words: str) -> list[str]:
    """The listings the search API at `url` finds for `words`, in order."""
    status, body = HttpClient(url).request(f"/api/v1/search?q={urllib.parse.quote(words)}")
    assert status == 200
    return [hit["organization"]["slug"] for hit in json.loads(body)["results"]]


def loopback_context(
    browser: Browser, base_url: str, outside: list[str], **options: Any
) -> BrowserContext:
    """A French-Canadian browser context whose requests may not leave `base_url`: any other
    request is aborted and recorded in `outside` (the caller asserts it stays empty).
    `options` go to `new_context` (viewport, storage_state…)."""
    context = browser.new_context(base_url=base_url, locale="fr-CA", **options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base_url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    return context


@contextmanager
def loopback_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A tab of a fresh `loopback_context`; leaving the block fails if anything left loopback."""
    outside: list[str] = []
    context = loopback_context(browser, base_url, outside)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert outside == [], f"requests outside loopback: {outside}"
