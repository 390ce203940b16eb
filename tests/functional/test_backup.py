"""`flask backup create` and `flask backup restore`, run as an operator would (real
processes): a backup restored into an empty database gives back every table, row for row,
on SQLite and on PostgreSQL; restoring needs --yes and a backup of the right kind."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from directory.config import REPOSITORY_ROOT, database_url, search_backend
from tests import seedfacts
from tests.live import _database

# One worker runs the whole module (--dist loadgroup): its module fixture is set up once.
pytestmark = pytest.mark.xdist_group("test_backup")


@dataclass
class Instance:
    path: Path
    env: dict[str, str]

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=REPOSITORY_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    @property
    def url(self) -> str:
        return self.env.get("DATABASE_URL") or database_url(self.path)


@contextmanager
def _instance(folder: Path) -> Iterator[Instance]:
    """An instance folder with its own empty database (SQLite file or PostgreSQL DB)."""
    folder.mkdir(parents=True)
    with _database(folder) as url:
        env = {**os.environ, "DIRECTORY_INSTANCE_PATH": str(folder), "SECRET_KEY": "k" * 32}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        yield Instance(folder, env)


def _every_table(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, in primary-key order."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        tables = {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in metadata.sorted_tables
        }
    engine.dispose()
    return tables


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    """A seeded instance with accounts, a token, audit rows, and a search outbox row (Whoosh)
    or search documents written with the listings (PostgreSQL)."""
    with _instance(tmp_path_factory.mktemp("sauvegarde") / "a") as instance:
        instance.env["DIRECTORY_PASSWORD"] = "une phrase de passe de sauvegarde"
        instance.flask("db", "upgrade")
        instance.flask("db", "seed")
        instance.flask("user", "create", "admin@fictif.example", "--role", "admin")
        instance.flask("user", "token", "admin@fictif.example")
        instance.flask(
            "user", "create", "e@fictif.example", "--role", "editor", "--organization", "gapi"
        )
        yield instance


def test_a_backup_restored_into_an_empty_database_gives_back_every_table(original, tmp_path):
    backup = tmp_path / "sauvegarde.bin"
    created = original.flask("backup", "create", "--output", str(backup))
    assert "Backup written" in created.stdout
    assert backup.stat().st_mode & 0o077 == 0  # readable by its owner only
    with _instance(tmp_path / "b") as empty:
        restored = empty.flask("backup", "restore", str(backup), "--yes")
        assert "search index rebuilt" in restored.stdout
        before, after = _every_table(original.url), _every_table(empty.url)
        assert sorted(after) == sorted(before)
        if search_backend(original.url) == "whoosh":
            # Pending index updates are covered by the rebuild that follows a restore.
            assert before["search_outbox"]
        else:
            # Written with the listings; the restore's rebuild gives them back row for row.
            assert before["search_outbox"] == []
            assert len(before["search_documents"]) >= seedfacts.listings()
        assert after.pop("search_outbox") == []
        for table, rows in after.items():
            assert rows == before[table], table
        assert len(before["organisations"]) == seedfacts.listings()
        assert len(before["api_tokens"]) == 1
        assert before["audit_entries"]
        # The restored instance works: its index holds the directory.
        if search_backend(original.url) == "whoosh":
            assert (empty.path / "search" / "current").exists()
        assert "0 pending updates" in empty.flask("search", "sync").stdout


def test_the_default_backup_goes_to_the_instance_folder(original):
    created = original.flask("backup", "create")
    folder = original.path / "backups"
    [written] = list(folder.iterdir())
    assert str(written) in created.stdout
    assert written.name.startswith("filet-")


def test_restoring_needs_yes_and_a_backup_of_the_right_kind(original, tmp_path):
    backup = tmp_path / "sauvegarde.bin"
    original.flask("backup", "create", "--output", str(backup))
    before = _every_table(original.url)
    refused = original.flask("backup", "restore", str(backup), check=False)
    assert refused.returncode != 0
    assert "--yes" in refused.stderr
    stranger = tmp_path / "pas-une-sauvegarde.bin"
    stranger.write_bytes(secrets.token_bytes(64))
    wrong = original.flask("backup", "restore", str(stranger), "--yes", check=False)
    assert wrong.returncode != 0
    assert "nothing restored" in wrong.stderr
    missing = original.flask("backup", "restore", str(tmp_path / "absente"), "--yes", check=False)
    assert missing.returncode != 0
    assert _every_table(original.url) == before
