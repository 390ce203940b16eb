"""Configuration from the environment: one SQLite file for the server and every command."""

from __future__ import annotations

from directory import config


def test_default_database_is_the_sqlite_file_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DIRECTORY_INSTANCE_PATH", raising=False)
    instance = config.default_instance_path()
    assert instance == config.REPOSITORY_ROOT / "instance"
    assert config.database_url(instance) == f"sqlite:///{instance / 'directory.sqlite3'}"


def test_postgres_urls_get_the_psycopg_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal/filet")
    assert config.database_url(tmp_path) == "postgresql+psycopg://u:p@db.internal/filet"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/filet")
    assert config.database_url(tmp_path) == "postgresql+psycopg://u@localhost/filet"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@localhost/filet")
    assert config.database_url(tmp_path) == "postgresql+psycopg://u@localhost/filet"


def test_secret_key_from_environment_or_kept_in_the_instance(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert config.secret_key(tmp_path) == "from-env"
    monkeypatch.delenv("SECRET_KEY")
    generated = config.secret_key(tmp_path)
    assert len(generated) == 64
    assert config.secret_key(tmp_path) == generated
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
