"""Configuration defaults, overridden from the environment (declared in `directory.settings`)."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

from directory import settings
from directory.matching.types import Weights

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPOSITORY_ROOT / "seed"
MAX_CONTENT_LENGTH = 1024 * 1024  # 1 MB per request body (larger: 413)


def default_instance_path() -> Path:
    """The instance folder: `DIRECTORY_INSTANCE_PATH` or `instance/` beside the package."""
    return settings.path("DIRECTORY_INSTANCE_PATH") or REPOSITORY_ROOT / "instance"


def database_url(instance_path: Path) -> str:
    """`DATABASE_URL` (PostgreSQL in production) or the SQLite file under the instance folder."""
    url = settings.text("DATABASE_URL")
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
    elif url.startswith("postgresql"):
        # An unreachable server fails fast (health checks, requests) instead of hanging.
        options["connect_args"] = {"connect_timeout": 5}
    return options


def secret_key(instance_path: Path) -> str:
    """`SECRET_KEY` from the environment, else a random key kept in the instance folder."""
    key = settings.text("SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


DEVELOPMENT_URL = "http://127.0.0.1:5000"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def public_url() -> str:
    """The site's canonical address for every e-mailed link: `PUBLIC_URL`, else
    `PREFERRED_URL_SCHEME://SERVER_NAME`, else the development server's address.

    Never the request's Host header: a forged Host would put a stranger's site in a
    password-reset link.
    """
    url = settings.text("PUBLIC_URL")
    server_name = settings.text("SERVER_NAME")
    if not url and server_name:
        url = f"{settings.choice('PREFERRED_URL_SCHEME')}://{server_name}"
    url = (url or DEVELOPMENT_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise settings.SettingError(
            "PUBLIC_URL",
            f"adresse http(s) avec un nom d’hôte attendue, pas {url!r}",
            f"must be an http(s) address with a host, not {url!r}",
        )
    return url


def trusted_hosts(url: str) -> list[str]:
    """Host names the application answers to (Flask's `TRUSTED_HOSTS`): `TRUSTED_HOSTS`
    (comma-separated; a leading dot accepts subdomains), else the public address's host and
    the loopback names (health checks and the local proxy). Any other Host gets a 400."""
    hosts = settings.items("TRUSTED_HOSTS")
    if hosts:
        return hosts
    return list(dict.fromkeys([urlsplit(url).hostname or "", *LOOPBACK_HOSTS]))


def search_backend(url: str) -> str:
    """`SEARCH_BACKEND` (`whoosh` or `postgres`); by default `postgres` when the database is
    PostgreSQL (the index lives in the database every host shares), `whoosh` otherwise."""
    name = settings.choice("SEARCH_BACKEND")
    if not name:
        return "postgres" if url.startswith("postgresql") else "whoosh"
    return name


def build_config(instance_path: Path) -> dict[str, object]:
    """The application's configuration for a given instance folder."""
    return {
        "SECRET_KEY": secret_key(instance_path),
        **web_config(),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url(instance_path)),
        "SEED_DIR": settings.path("DIRECTORY_SEED_DIR") or SEED_DIR,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_TRANSLATION_DIRECTORIES": str(REPOSITORY_ROOT / "translations"),
        "BABEL_DEFAULT_TIMEZONE": "America/Toronto",
        "LANGUAGES": ("fr", "en"),
        # Where the quick-exit control sends the visitor. The default is a neutral page
        # served here, because no outside site is reachable in every deployment.
        "QUICK_EXIT_URL": settings.text("QUICK_EXIT_URL"),
        "PER_PAGE": 20,
        # Where the search index lives: "whoosh" (files in the instance folder) or "postgres"
        # (tables in the database, shared by every host).
        "SEARCH_BACKEND": search_backend(database_url(instance_path)),
        # The Whoosh backend's files.
        "SEARCH_INDEX_DIR": settings.path("SEARCH_INDEX_DIR") or instance_path / "search",
        # Keep the index in step with every commit: Whoosh applies the commit's outbox rows
        # right after it (best effort, never an error to the user; `flask search sync` applies
        # what is left); PostgreSQL rewrites the documents in the same transaction. Off, both
        # leave outbox rows for `flask search sync`.
        "SEARCH_AUTO_INDEX": True,
        # How long that may wait for the index's write lock or the database's locks.
        "SEARCH_LOCK_TIMEOUT_SECONDS": 2.0,
        # /healthz calls the index lagging when an outbox row is older than this.
        "SEARCH_MAX_LAG_SECONDS": 300,
        "API_MAX_PER_PAGE": 100,
        # Request bodies: a case or an edit is a few KB; anything larger is a 413.
        "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
        # The matching engine's soft-criteria weights (directory.matching.types.Weights).
        "MATCHING_WEIGHTS": asdict(Weights()),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure by default; `make run` turns it off for its plain-HTTP local server.
        "SESSION_COOKIE_SECURE": settings.boolean("SESSION_COOKIE_SECURE"),
        "SESSION_IDLE_MINUTES": settings.integer("SESSION_IDLE_MINUTES"),
        # However active, a session ends this long after the login.
        "SESSION_MAX_HOURS": settings.integer("SESSION_MAX_HOURS"),
        # `flask accounts prune` deletes login attempts older than this.
        "LOGIN_ATTEMPTS_KEEP_DAYS": 30,
        # Login throttling (accounts.throttling): attempts per account *and* client (a known
        # browser of the account, else the client's address), and per client over accounts.
        "LOGIN_WINDOW_MINUTES": 15,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 10,
        "LOGIN_MAX_FAILURES_PER_IP": 30,
        # Reset links asked for one address, and by one client, per window.
        "RESET_WINDOW_MINUTES": 60,
        "RESET_MAX_PER_ACCOUNT": 3,
        "RESET_MAX_PER_CLIENT": 10,
        # "Forgot password" answers after this long whether or not a message goes out.
        "RESET_ANSWER_SECONDS": 0.3,
        "INVITATION_VALID_HOURS": 72,
        "RESET_VALID_HOURS": 2,
        # A meeting's evaluation link stays open this long after the meeting was held.
        "QUESTIONNAIRE_VALID_DAYS": 30,
        # A meeting invitation's reply link closes when the meeting starts, or after this long.
        "INVITATION_REPLY_VALID_DAYS": 21,
        # argon2id cost; the test suite lowers it (same algorithm, faster hashes).
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        **mail_config(),
    }


def web_config() -> dict[str, object]:
    """Addresses, proxies and transport security: see the README's production section."""
    url = public_url()
    return {
        "PUBLIC_URL": url,
        "TRUSTED_HOSTS": trusted_hosts(url),
        # How many reverse proxies in front of the application set X-Forwarded-For and
        # X-Forwarded-Proto (0: none, the client talks to gunicorn directly).
        "TRUSTED_PROXIES": settings.integer("TRUSTED_PROXIES"),
        # Strict-Transport-Security on answers served over HTTPS; 0 turns it off.
        "HSTS_SECONDS": settings.integer("HSTS_SECONDS"),
    }


def mail_config() -> dict[str, object]:
    """SMTP settings. Without `MAIL_SERVER`, mails are printed to the console (development)."""
    return {
        "MAIL_SERVER": settings.text("MAIL_SERVER"),
        "MAIL_PORT": settings.integer("MAIL_PORT"),
        "MAIL_USE_STARTTLS": settings.boolean("MAIL_USE_STARTTLS"),
        "MAIL_USERNAME": settings.text("MAIL_USERNAME"),
        "MAIL_PASSWORD": settings.text("MAIL_PASSWORD"),
        "MAIL_SENDER": settings.text("MAIL_SENDER"),
    }
