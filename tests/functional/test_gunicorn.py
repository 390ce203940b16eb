"""Behaviour that must hold across real gunicorn worker processes sharing one database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live import HttpClient, LiveInstance, form_fields, gunicorn_instance

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_gunicorn")

PASSWORD = "une phrase de passe pour gunicorn"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, smtp_server) -> Iterator[LiveInstance]:
    with gunicorn_instance(tmp_path_factory.mktemp("live"), smtp_server.port) as instance:
        instance.env["DIRECTORY_PASSWORD"] = PASSWORD
        instance.flask("user", "create", "admin@fictif.example", "--role", "admin")
        yield instance


def _attempt(live: LiveInstance, password: str) -> int:
    # A new client per attempt: successive requests land on different workers.
    client = HttpClient(live.url)
    status, _page = client.post_form(
        "/connexion", {"email": "admin@fictif.example", "password": password}
    )
    return status


def test_login_throttling_holds_across_workers(live):
    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(pool.map(lambda _n: _attempt(live, "mauvais essai"), range(10)))
    assert statuses == [200] * 10
    # The eleventh attempt, right password, any worker: refused until the window passes.
    assert {_attempt(live, PASSWORD) for _ in range(4)} == {429}


def test_login_and_logout_across_workers(live):
    live.flask("user", "create", "animatrice@fictif.example", "--role", "facilitator")
    client = HttpClient(live.url)
    status, _ = client.post_form(
        "/connexion", {"email": "animatrice@fictif.example", "password": PASSWORD}
    )
    assert status == 302
    assert {client.request("/compte")[0] for _ in range(6)} == {200}
    client.post_form("/deconnexion", {}, page="/compte")
    assert {client.request("/compte")[0] for _ in range(6)} == {302}


def test_simultaneous_saves_of_one_record_one_wins_one_conflicts(live):
    live.flask(
        "user",
        "create",
        "concurrence@fictif.example",
        "--role",
        "editor",
        "--organization",
        "cran-d-arret-roberval",
    )
    clients = [HttpClient(live.url), HttpClient(live.url)]
    for client in clients:
        status, _ = client.post_form(
            "/connexion", {"email": "concurrence@fictif.example", "password": PASSWORD}
        )
        assert status == 302
    _, overview = clients[0].request("/gestion/organismes/cran-d-arret-roberval")
    match = re.search(
        r'href="(/gestion/organismes/cran-d-arret-roberval/services/[0-9a-f-]{36})"', overview
    )
    assert match is not None
    form_path = match.group(1)
    submissions = []
    for number, client in enumerate(clients):
        fields = [(k, v) for k, v in form_fields(client.request(form_path)[1]) if k != "hours"]
        submissions.append((client, [*fields, ("hours", f"Horaire concurrent {number}")]))
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(
            pool.map(lambda item: item[0].request(form_path, item[1])[0], submissions)
        )
    assert statuses == [302, 409]
    _, public = clients[0].request("/organismes/cran-d-arret-roberval")
    assert sum(f"Horaire concurrent {n}" in public for n in (0, 1)) == 1
