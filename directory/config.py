"""Configuration defaults, overridden from the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict
from pathlib import Path

from directory.matching.types import Weights

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPOSITORY_ROOT / "seed"


def default_instance_path() -> Path:
    """The instance folder: `DIRECTORY_INSTANCE_PATH` or `instance/` beside the package."""
    return Path(os.environ.get("DIRECTORY_INSTANCE_PATH", REPOSITORY_ROOT / "instance"))


def database_url(instance_path: Path) -> str:
    """`DATABASE_URL` (PostgreSQL in production) or the SQLite file under the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'directory.sqlite3'}"
    # Hosting platforms hand out `postgres://` URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str) -> dict[str, object]:
    # SQL parameters stay out of error messages and logs: a failed write of a confidential
    # site must not print its address into a traceback.
    options: dict[str, object] = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        # Wait for another worker's write lock instead of failing at once.
        options["connect_args"] = {"timeout": 15}
    return options


def secret_key(instance_path: Path) -> str:
    """`SECRET_KEY` from the environment, else a random key kept in the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def build_config(instance_path: Path) -> dict[str, object]:
    """The application's configuration for a given instance folder."""
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url(instance_path)),
        "SEED_DIR": Path(os.environ.get("DIRECTORY_SEED_DIR", SEED_DIR)),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_TRANSLATION_DIRECTORIES": str(REPOSITORY_ROOT / "translations"),
        "BABEL_DEFAULT_TIMEZONE": "America/Toronto",
        "LANGUAGES": ("fr", "en"),
        # Where the quick-exit control sends the visitor. The default is a neutral page
        # served here, because no outside site is reachable in every deployment.
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL", "/jardinage"),
        "PER_PAGE": 20,
        "SEARCH_AUTO_INDEX": True,  # reindex listings after each commit that changes them
        "API_MAX_PER_PAGE": 100,
        # The matching engine's soft-criteria weights (directory.matching.types.Weights).
        "MATCHING_WEIGHTS": asdict(Weights()),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure by default; `make run` turns it off for its plain-HTTP local server.
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "1") != "0",
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "LOGIN_WINDOW_MINUTES": 15,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 10,
        "LOGIN_MAX_FAILURES_PER_IP": 30,
        "INVITATION_VALID_HOURS": 72,
        "RESET_VALID_HOURS": 2,
        # A meeting's evaluation link stays open this long after the meeting was held.
        "QUESTIONNAIRE_VALID_DAYS": 30,
        # argon2id cost; the test suite lowers it (same algorithm, faster hashes).
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        **mail_config(),
    }


def mail_config() -> dict[str, object]:
    """SMTP settings. Without `MAIL_SERVER`, mails are printed to the console (development)."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_STARTTLS": os.environ.get("MAIL_USE_STARTTLS", "0") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Filet <ne-pas-repondre@filet.invalid>"),
    }
