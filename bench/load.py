"""Load test: locust (headless) against gunicorn (3 workers) on a throw-away PostgreSQL.

    bash scripts/with-postgres.sh .venv/bin/python bench/load.py [--users 50] [--minutes 3]
    bash scripts/with-postgres.sh .venv/bin/python bench/load.py --drill

It refuses any database but a loopback one (scripts/with-postgres.sh's). In a temporary
instance folder it migrates and seeds the database, adds a GENERATED, CLEARLY FICTIONAL
directory (bench/search_bench.py's generator: "Ressource fictive …", no address, phone or
e-mail) with one editor account per listing it hands to the load and facilitator accounts,
builds the index, serves it with gunicorn (3 sync workers) on 127.0.0.1 and runs locust:
`--users` users (think time 1–5 s) who browse, search, call the API, sign in and out, and
save listings (bench/load_locustfile.py). It prints requests per second, p50/p95/p99 and
errors, per kind of request and overall, and the load average.

`--drill`: during the run one gunicorn worker is killed with SIGKILL, then PostgreSQL is
restarted. Afterwards every save the application acknowledged (a 302) is looked for in
the database: in the listing, and in the audit trail. "Lost" must be 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from directory.config import REPOSITORY_ROOT, SEED_DIR

BENCH = Path(__file__).resolve().parent
PASSWORD = "phrase de passe fictive du test de charge"  # noqa: S105 - fictional accounts
EDITORS = 60
FACILITATORS = 10
SERVICES = 3000


class LoadError(RuntimeError):
    pass


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url or make_url(url).host not in {"127.0.0.1", "localhost"}:
        raise LoadError("run me through scripts/with-postgres.sh (a throw-away local PostgreSQL)")
    return url


def _flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPOSITORY_ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise LoadError(done.stdout + done.stderr)
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(env: dict[str, str], instance: Path) -> dict[str, object]:
    """Migrate, seed, generate the fictional directory and accounts; the accounts file."""
    _flask(env, "db", "upgrade")
    _flask(env, "db", "seed")
    sys.path.insert(0, str(BENCH))
    os.environ.update(
        {k: env[k] for k in ("DIRECTORY_INSTANCE_PATH", "DATABASE_URL", "SECRET_KEY")}
    )
    import search_bench  # noqa: PLC0415 - the search benchmark's generator, same data

    from directory import create_app  # noqa: PLC0415
    from directory.accounts import operations  # noqa: PLC0415
    from directory.extensions import db  # noqa: PLC0415
    from directory.organisations.models import Organisation  # noqa: PLC0415

    app = create_app({"INSTANCE_PATH": instance, "SEARCH_AUTO_INDEX": False})
    with app.app_context():
        search_bench.generate_directory(SERVICES, 7, search_bench.load_vocabulary(SEED_DIR))
        fictional = db.session.scalars(
            select(Organisation).where(Organisation.name.like("Ressource fictive%"))
            .order_by(Organisation.slug).limit(EDITORS)
        ).all()  # fmt: skip
        editors = []
        for number, organisation in enumerate(fictional):
            email = f"editeur-{number}@charge.fictif.example"
            operations.create_user(email, "editor", password=PASSWORD, organisations=[organisation])
            editors.append((email, organisation.slug))
        facilitators = [f"animatrice-{n}@charge.fictif.example" for n in range(FACILITATORS)]
        for email in facilitators:
            operations.create_user(email, "facilitator", password=PASSWORD)
        slugs = list(db.session.scalars(select(Organisation.slug)))
        db.session.commit()
        db.engine.dispose()
    _flask(env, "search", "reindex")
    regions = [f"{code:02d}" for code in range(1, 18)]
    return {"password": PASSWORD, "editors": editors, "facilitators": facilitators,
            "slugs": slugs, "regions": regions}  # fmt: skip


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "--workers", "3", "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "wsgi:app"]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPOSITORY_ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.2)
    process.kill()
    raise LoadError("gunicorn did not start")


def _workers(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                found.append(int(entry.name))
    return sorted(found)


def _restart_postgres(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        data = connection.execute(text("SHOW data_directory")).scalar_one()
    engine.dispose()
    pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    started = time.monotonic()
    # The server's output goes to a file: a pipe kept open by it would never reach its end.
    log = str(Path(data).parent / "server.log")
    command = [*as_postgres, str(pg_ctl), "-D", data, "-l", log, "-m", "fast", "-w", "restart"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    return f"PostgreSQL restarted (fast shutdown) in {time.monotonic() - started:.1f} s"


def drill(gunicorn: subprocess.Popen[bytes], url: str, minutes: float, log: list[str]) -> None:
    """A quarter into the run: SIGKILL one worker; halfway: restart PostgreSQL."""
    started = time.monotonic()
    time.sleep(minutes * 60 / 4)
    victim = _workers(gunicorn.pid)[0]
    os.kill(victim, signal.SIGKILL)
    log.append(f"t+{time.monotonic() - started:.0f}s: gunicorn worker {victim} killed (SIGKILL)")
    time.sleep(max(0.0, started + minutes * 60 / 2 - time.monotonic()))
    try:
        done = _restart_postgres(url)
    except (OSError, subprocess.SubprocessError) as error:
        done = f"PostgreSQL restart FAILED: {error}"
    log.append(f"t+{time.monotonic() - started:.0f}s: {done}")


def _locust(host: str, users: int, minutes: float, folder: Path, env: dict[str, str]) -> Path:
    prefix = folder / "stats"
    command = [
        str(Path(sys.executable).with_name("locust")), "-f", str(BENCH / "load_locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", "10",
        "--run-time", f"{int(minutes * 60)}s", "--host", host, "--csv", str(prefix),
        "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, cwd=REPOSITORY_ROOT, env=env, check=False)  # noqa: S603
    return prefix.with_name("stats_stats.csv")


def report(stats: Path) -> None:
    print("\n| request | count | errors | req/s | p50 (ms) | p95 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with stats.open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            name = row["Name"] if row["Type"] else "**all requests**"
            rate = float(row["Requests/s"])
            print(
                f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | "
                f"{rate:.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
            )


def lost_saves(url: str, acknowledged: Path) -> tuple[int, int]:
    """(acknowledged saves, acknowledged saves missing from the audit trail).

    The audit row is written in the save's own transaction, and the trail is append-only:
    an acknowledged save whose row is missing was lost.
    """
    lines = acknowledged.read_text(encoding="utf-8").splitlines() if acknowledged.exists() else []
    saves = [json.loads(line)["description"] for line in lines]
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT CAST(changes AS TEXT) FROM audit_entries WHERE action = 'update'")
        )
        audit_text = "\n".join(row[0] for row in rows)
    engine.dispose()
    return len(saves), sum(marker not in audit_text for marker in saves)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--drill", action="store_true", help="kill -9 a worker, restart PostgreSQL")
    options = parser.parse_args()
    url = _database_url()
    folder = Path(tempfile.mkdtemp(prefix="filet-load-")).resolve()
    port = _free_port()
    env = {**os.environ, "DIRECTORY_INSTANCE_PATH": str(folder / "instance"),
           "SECRET_KEY": secrets.token_hex(16), "SESSION_COOKIE_SECURE": "0",
           "PUBLIC_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    try:
        print("Preparing the fictional directory and accounts…")
        accounts = prepare(env, folder / "instance")
        (folder / "accounts.json").write_text(json.dumps(accounts), encoding="utf-8")
        gunicorn = _serve(env, port)
        log: list[str] = []
        locust_env = {**env, "LOAD_ACCOUNTS": str(folder / "accounts.json"),
                      "LOAD_ACKNOWLEDGED": str(folder / "acknowledged.jsonl")}  # fmt: skip
        drilling = threading.Thread(
            target=drill, args=(gunicorn, url, options.minutes, log), daemon=True
        )
        if options.drill:
            drilling.start()
        print(f"Load: {options.users} users, {options.minutes} min, gunicorn with 3 workers…")
        host = f"http://127.0.0.1:{port}"
        stats = _locust(host, options.users, options.minutes, folder, locust_env)
        if options.drill:
            drilling.join()
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        report(stats)
        for line in log:
            print(f"- {line}")
        saves, lost = lost_saves(url, folder / "acknowledged.jsonl")
        print(f"\nAcknowledged saves: {saves}; lost (missing from the audit trail): {lost}")
        print(f"Load average (1, 5, 15 min): {os.getloadavg()}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except LoadError as error:
        sys.exit(f"load test: {error}")
