"""Two application hosts on one PostgreSQL (the scale-out recipe in the README): each with its
own instance folder, the same SECRET_KEY, the PostgreSQL search backend. An edit saved through
host A is found by a search on host B right after the save's answer; sessions and login
throttles live in the database too, so they hold across hosts."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from tests.live import (
    HttpClient,
    LiveInstance,
    another_host,
    found_slugs,
    gunicorn_instance,
    logged_in,
    rename_listing,
)

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL"), reason="two hosts share a PostgreSQL database"
    ),
    # One worker runs the whole module (make test: --dist loadgroup): its hosts start once.
    pytest.mark.xdist_group("test_search_hosts"),
]

PASSWORD = "une phrase de passe pour deux hôtes"
EDIT = "/gestion/organismes/gapi/modifier"


@pytest.fixture(scope="module")
def hosts(
    tmp_path_factory: pytest.TempPathFactory, smtp_server
) -> Iterator[tuple[LiveInstance, LiveInstance]]:
    with gunicorn_instance(
        tmp_path_factory.mktemp("host-a"), smtp_server.port, workers=2, search_backend="postgres"
    ) as host_a:
        host_a.env["DIRECTORY_PASSWORD"] = PASSWORD
        host_a.flask(
            "user", "create", "hotes@fictif.example", "--role", "editor", "--organization", "gapi"
        )
        with another_host(host_a, tmp_path_factory.mktemp("host-b")) as host_b:
            yield host_a, host_b


def _login(host: LiveInstance) -> HttpClient:
    return logged_in(host.url, "hotes@fictif.example", PASSWORD)


def _rename(client: HttpClient, name: str) -> int:
    return rename_listing(client, EDIT, name)


def _found(host: LiveInstance, words: str) -> list[str]:
    return found_slugs(host.url, words)


def test_an_edit_on_host_a_is_found_on_host_b_at_once(hosts):
    host_a, host_b = hosts
    assert _found(host_b, "tournesol") == []
    assert _rename(_login(host_a), "Groupe fictif Tournesol") == 302
    # No sync, no wait: the documents were written in the save's own transaction.
    assert _found(host_b, "tournesol") == ["gapi"]
    assert _found(host_a, "tournesol") == ["gapi"]
    # And the other way round: an edit on B replaces the name A finds.
    assert _rename(_login(host_b), "Groupe fictif Verveine") == 302
    assert _found(host_a, "verveine") == ["gapi"]
    assert _found(host_a, "tournesol") == []


def test_both_hosts_report_the_shared_index(hosts):
    for host in hosts:
        status, body = HttpClient(host.url).request("/healthz")
        assert status == 200
        search = json.loads(body)["search"]
        assert search["index"] == "ok"
        assert search["pending_updates"] == 0


def test_no_index_is_written_in_either_instance_folder(hosts):
    for host in hosts:
        folder = host.env["DIRECTORY_INSTANCE_PATH"]
        assert not os.path.exists(os.path.join(folder, "search"))  # noqa: PTH110, PTH118


def test_a_session_opened_on_host_a_is_valid_on_host_b(hosts):
    host_a, host_b = hosts
    client = _login(host_a)
    # The same cookies, sent to the other host (as a proxy alternating between them would).
    client.base = host_b.url
    status, _ = client.request(EDIT)
    assert status == 200
