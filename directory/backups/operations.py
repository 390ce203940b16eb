"""Create a backup of the database, or restore one into it.

SQLite: the online backup API copies a consistent snapshot while the application keeps
serving (readers and writers wait a moment at most). PostgreSQL: `pg_dump -Fc` (a
consistent snapshot too) and `pg_restore`, the client tools of the `postgresql` package.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from directory.db import utcnow
from directory.extensions import db

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
TIMEOUT_SECONDS = 3600


class BackupError(RuntimeError):
    """The backup or restore could not be done (the message says why)."""


def _url() -> URL:
    return make_url(db.engine.url)


def kind() -> str:
    """ "sqlite" or "postgresql": the database this application uses."""
    return _url().get_backend_name()


def default_path(folder: Path) -> Path:
    """instance/backups/filet-<UTC time>.(sqlite3|dump)."""
    suffix = "sqlite3" if kind() == "sqlite" else "dump"
    return folder / f"filet-{utcnow():%Y%m%dT%H%M%SZ}.{suffix}"


def _sqlite_file() -> Path:
    database = _url().database
    if not database or database == ":memory:":
        raise BackupError("this SQLite database has no file")
    return Path(database)


def _copy_sqlite(source: Path, target: Path) -> None:
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()


def _pg_command(tool: str, *args: str) -> None:
    """Run a PostgreSQL client tool on this database (the password through the environment,
    never on the command line)."""
    url = _url()
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client tools (make)")
    target = url.set(drivername="postgresql", password=None).render_as_string()
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    done = subprocess.run(  # noqa: S603 - our own tool and arguments
        [executable, *args, f"--dbname={target}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-2000:]}")


def create(output: Path) -> Path:
    """Write a consistent copy of the whole database to `output` (created, or replaced)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    if kind() == "sqlite":
        _copy_sqlite(_sqlite_file(), partial)
    else:
        _pg_command(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"
        )
    partial.replace(output)  # a half-written file never carries the final name
    output.chmod(0o600)  # it holds confidential addresses and account data
    logger.info("backup written: %s (%d bytes)", output, output.stat().st_size)
    return output


def _check(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    expected = SQLITE_HEADER if kind() == "sqlite" else PG_DUMP_HEADER
    if not header.startswith(expected):
        other = "PostgreSQL" if kind() == "sqlite" else "SQLite"
        raise BackupError(
            f"{path} is not a {kind()} backup (a {other} one, or another file): nothing restored"
        )


def restore(path: Path) -> None:
    """Replace the whole database with the backup at `path`. The caller rebuilds the index."""
    _check(path)
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old database open
    if kind() == "sqlite":
        _copy_sqlite(path, _sqlite_file())
    else:
        _pg_command(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", str(path),
        )  # fmt: skip
    logger.info("backup restored from %s", path)
