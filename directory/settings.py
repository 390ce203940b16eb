"""Every setting read from the environment, declared once, parsed by one function per type.

`SETTINGS` is the single list: name, type, documented default and meaning. The README's
« Configuration » table is `markdown_table()`, and a test holds the two equal (its failure
prints the table to paste). A value that does not parse stops the application at start with
an error, in French and in English, that names the variable: never a silent fallback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["text", "secret", "boolean", "integer", "choice", "list", "path"]

TRUE_SPELLINGS = ("1", "true", "yes", "on")
FALSE_SPELLINGS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Setting:
    """One environment variable. `default` is the value used when the variable is unset or
    empty (None: computed, see `default_text`); `default_text` is the README's wording."""

    name: str
    kind: Kind
    default: str | int | bool | None
    default_text: str
    description: str
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int | None = None


SETTINGS: tuple[Setting, ...] = (
    # Where things are.
    Setting(
        "DIRECTORY_INSTANCE_PATH",
        "path",
        None,
        "`instance/` beside the package",
        "Instance folder: SQLite database, generated secret key, Whoosh index.",
    ),
    Setting(
        "DIRECTORY_SEED_DIR",
        "path",
        None,
        "`seed/` beside the package",
        "Folder of the seed data loaded by `flask db seed`.",
    ),
    Setting(
        "DATABASE_URL",
        "text",
        None,
        "`directory.sqlite3` in the instance folder",
        "Database; `postgres://` and `postgresql://` URLs get the psycopg driver.",
    ),
    Setting(
        "SECRET_KEY",
        "secret",
        None,
        "generated once into `instance/secret_key`",
        "Signs sessions and keyed hashes; set it (the same on every host) in production.",
    ),
    # Addresses and transport.
    Setting(
        "PUBLIC_URL",
        "text",
        None,
        "`PREFERRED_URL_SCHEME://SERVER_NAME`, else `http://127.0.0.1:5000`",
        "The site's address (http or https, with a host): every e-mailed link is built on it.",
    ),
    Setting(
        "SERVER_NAME",
        "text",
        "",
        "unset",
        "Host name of the public address when `PUBLIC_URL` is unset.",
    ),
    Setting(
        "PREFERRED_URL_SCHEME",
        "choice",
        "https",
        "`https`",
        "Scheme of the public address built from `SERVER_NAME`: `http` or `https`.",
        choices=("http", "https"),
    ),
    Setting(
        "TRUSTED_HOSTS",
        "list",
        None,
        "the host of `PUBLIC_URL`, `localhost`, `127.0.0.1`",
        "Host names answered (comma-separated; a leading dot accepts subdomains); others: 400.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        "integer",
        0,
        "`0`",
        "Reverse proxies in front that set `X-Forwarded-For` and `X-Forwarded-Proto`.",
    ),
    Setting(
        "HSTS_SECONDS",
        "integer",
        31_536_000,
        "`31536000` (a year)",
        "`Strict-Transport-Security` max-age on HTTPS answers; `0` turns the header off.",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        "boolean",
        default=True,
        default_text="`true`",
        description="Session cookie sent over HTTPS only; `make run` (plain HTTP) turns it off.",
    ),
    Setting(
        "SESSION_IDLE_MINUTES",
        "integer",
        30,
        "`30`",
        "A session ends after this many minutes without a request.",
        minimum=1,
    ),
    Setting(
        "SESSION_MAX_HOURS",
        "integer",
        12,
        "`12`",
        "However active, a session ends this many hours after the login.",
        minimum=1,
    ),
    # Search.
    Setting(
        "SEARCH_BACKEND",
        "choice",
        None,
        "`postgres` on PostgreSQL, else `whoosh`",
        "Where the search index lives: `whoosh` (files) or `postgres` (database tables).",
        choices=("whoosh", "postgres"),
    ),
    Setting(
        "SEARCH_INDEX_DIR",
        "path",
        None,
        "`search/` in the instance folder",
        "Folder of the Whoosh index (Whoosh backend only).",
    ),
    Setting(
        "QUICK_EXIT_URL",
        "text",
        "/jardinage",
        "`/jardinage` (a neutral page served here)",
        "Where the « Quitter rapidement » control sends the visitor.",
    ),
    # Mail.
    Setting(
        "MAIL_SERVER",
        "text",
        "",
        "unset: messages are printed to the console",
        "SMTP server for invitations, password resets, reminders and alerts.",
    ),
    Setting("MAIL_PORT", "integer", 25, "`25`", "SMTP port.", minimum=1, maximum=65_535),
    Setting(
        "MAIL_USE_STARTTLS",
        "boolean",
        default=False,
        default_text="`false`",
        description="Upgrade the SMTP connection with STARTTLS.",
    ),
    Setting("MAIL_USERNAME", "text", "", "unset", "SMTP login (none when unset)."),
    Setting("MAIL_PASSWORD", "secret", "", "unset", "SMTP password."),
    Setting(
        "MAIL_SENDER",
        "text",
        "Filet <ne-pas-repondre@filet.invalid>",
        "`Filet <ne-pas-repondre@filet.invalid>`",
        "`From` address of every message.",
    ),
    # Commands.
    Setting(
        "DIRECTORY_PASSWORD",
        "secret",
        "",
        "unset: the command prompts",
        "Password of the account `flask user create` makes (scripts, no prompt).",
    ),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}


class SettingError(ValueError):
    """A setting's value does not parse: the message names it, in French then in English."""

    def __init__(self, name: str, french: str, english: str) -> None:
        super().__init__(f"{name} : {french} / {name}: {english}")
        self.name = name


def _declared(name: str, *kinds: Kind) -> Setting:
    setting = BY_NAME[name]  # a KeyError here is an undeclared setting: declare it above
    if setting.kind not in kinds:
        raise TypeError(f"{name} is declared as {setting.kind}, not read as {'/'.join(kinds)}")
    return setting


def _raw(setting: Setting) -> str | None:
    """The variable's value, stripped (secrets are kept as given); None when unset or blank."""
    value = os.environ.get(setting.name)
    if value is None or not value.strip():
        return None
    return value if setting.kind == "secret" else value.strip()


def text(name: str) -> str | None:
    """A free text (or secret) setting; its declared default when unset (None: computed)."""
    setting = _declared(name, "text", "secret")
    raw = _raw(setting)
    if raw is None:
        return setting.default if isinstance(setting.default, str) else None
    return raw


def boolean(name: str) -> bool:
    """1/true/yes/on or 0/false/no/off, in any case; anything else is an error."""
    setting = _declared(name, "boolean")
    raw = _raw(setting)
    if raw is None:
        return bool(setting.default)
    if raw.lower() in TRUE_SPELLINGS:
        return True
    if raw.lower() in FALSE_SPELLINGS:
        return False
    raise SettingError(
        name,
        f"valeur booléenne attendue ({', '.join(TRUE_SPELLINGS)} ou "
        f"{', '.join(FALSE_SPELLINGS)}), pas {raw!r}",
        f"expected a boolean ({', '.join(TRUE_SPELLINGS)} or "
        f"{', '.join(FALSE_SPELLINGS)}), not {raw!r}",
    )


def integer(name: str) -> int:
    """A whole number within the setting's bounds; anything else is an error."""
    setting = _declared(name, "integer")
    raw = _raw(setting)
    if raw is None:
        return int(setting.default or 0)
    if not (raw.isascii() and raw.isdecimal()):
        raise SettingError(
            name, f"nombre entier attendu, pas {raw!r}", f"expected a whole number, not {raw!r}"
        )
    value = int(raw)
    if value < setting.minimum or (setting.maximum is not None and value > setting.maximum):
        if setting.maximum is not None:
            french = f"entre {setting.minimum} et {setting.maximum}"
            english = f"between {setting.minimum} and {setting.maximum}"
        else:
            french, english = f"d’au moins {setting.minimum}", f"of at least {setting.minimum}"
        raise SettingError(
            name,
            f"nombre entier {french} attendu, pas {value}",
            f"expected a whole number {english}, not {value}",
        )
    return value


def choice(name: str) -> str | None:
    """One of the setting's choices, in any case; None when unset and the default is computed."""
    setting = _declared(name, "choice")
    raw = _raw(setting)
    if raw is None:
        return setting.default if isinstance(setting.default, str) else None
    if raw.lower() not in setting.choices:
        raise SettingError(
            name,
            f"une valeur parmi {', '.join(setting.choices)} attendue, pas {raw!r}",
            f"expected one of {', '.join(setting.choices)}, not {raw!r}",
        )
    return raw.lower()


def items(name: str) -> list[str]:
    """A comma-separated list, blanks dropped; empty when unset."""
    raw = _raw(_declared(name, "list"))
    return [item.strip() for item in (raw or "").split(",") if item.strip()]


def path(name: str) -> Path | None:
    """A folder; None when unset (the caller knows the default)."""
    raw = _raw(_declared(name, "path"))
    return Path(raw) if raw is not None else None


def markdown_table() -> str:
    """The README's « Configuration » table."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [
        f"| `{setting.name}` | {setting.default_text} | {setting.description} |"
        for setting in SETTINGS
    ]
    return "\n".join(rows)
