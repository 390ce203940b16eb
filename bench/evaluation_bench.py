"""Evaluation benchmark: importing questionnaires and computing the report at several sizes.

For each size N the script builds a throw-away instance folder in the system's temporary
directory (never the default database): a fresh SQLite database, migrated, with the reference
tables of `seed/`, then a GENERATED, CLEARLY FICTIONAL CSV of N questionnaires (meeting ids
« fictif-… », four questionnaires a meeting, answers drawn at random, deterministic from
`--seed`). It measures:

- the import command (`flask evaluations import`, in-process): checking and storing;
- `GET /api/v1/reports/evaluation` in-process (Flask test client, an admin's API token), on a
  fixed mix of filters: none, a region, a round, a period, a region and a meeting type;
- a baseline: the same table's answer counts read with one SQL `GROUP BY` per item (what the
  report's Tableaux 5–7 need, without the breakdowns or the percentages).

It prints a markdown table (median and p95 in ms, the p95 ratio to the baseline). Run:

    .venv/bin/python bench/evaluation_bench.py [--sizes 1000,10000,50000] [--requests 40] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import logging
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import flask_migrate
from flask import Flask
from sqlalchemy import func, select

from directory import create_app, seeding
from directory.accounts import operations as accounts
from directory.config import SEED_DIR
from directory.evaluations.codes import (
    COOCCURRENCE_GROUPS,
    ITEMS,
    MEETING_TYPES,
    ROUNDS,
    SCALES,
)
from directory.evaluations.models import Questionnaire
from directory.extensions import db

SECTORS = ("VCF", "VCH", "MT", "PSM", "PC", "POLICE", "SCOLAIRE", "SANTE", "DI", "FAMILLE")
FILTERS = ("", "?region=06", "?round=follow_up", "?from=2019-01-01&to=2019-12-31",
           "?region=03&meeting_type=consultation")  # fmt: skip
PER_MEETING = 4


def _row(number: int, rng: random.Random) -> dict[str, str]:
    meeting = number // PER_MEETING
    meeting_rng = random.Random(meeting)  # every row of a meeting agrees on the meeting
    role = rng.choice(("on_file", "on_file", "external_expert"))
    row = {
        "meeting_ref": f"fictif-{meeting:06d}",
        "region": meeting_rng.choice(("02", "03", "06", "06")),
        "meeting_type": meeting_rng.choice(MEETING_TYPES),
        "round": meeting_rng.choice(ROUNDS),
        "cooccurrence": meeting_rng.choice(COOCCURRENCE_GROUPS),
        "meeting_date": (
            date(2018, 1, 1) + timedelta(days=meeting_rng.randrange(2500))
        ).isoformat(),
        "role": role,
        "referrer": rng.choice(("yes", "no")) if role == "on_file" else "",
        "sector": rng.choice(SECTORS),
    }
    for item in ITEMS:
        answers = SCALES[item]
        row[item] = "" if rng.random() < 0.08 else rng.choice(answers)  # noqa: PLR2004
    if role == "external_expert":
        row["practice"] = ""
    return row


def _write_csv(path: Path, size: int, seed: int) -> None:
    rng = random.Random(seed)
    rows = [_row(number, rng) for number in range(size)]
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _timed(call: Callable[[], object], repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _baseline() -> None:
    for item in ITEMS:
        column = getattr(Questionnaire, item)
        db.session.execute(select(column, func.count()).group_by(column)).all()


def bench_size(size: int, args: argparse.Namespace) -> tuple[float, list[float], list[float]]:
    instance = Path(tempfile.mkdtemp(prefix="filet-evaluation-bench-"))
    try:
        database = f"sqlite:///{instance / 'bench.sqlite3'}"
        settings = {"INSTANCE_PATH": instance, "SEARCH_AUTO_INDEX": False}
        app: Flask = create_app({**settings, "SQLALCHEMY_DATABASE_URI": database})
        with app.app_context():
            flask_migrate.upgrade()
            seeding.load_reference(SEED_DIR, progress=lambda _message: None)
            user = accounts.create_user("bench@fictif.example", "admin", password="x" * 16)
            token = accounts.issue_api_token(user)
            db.session.commit()
        source = instance / "questionnaires.csv"
        _write_csv(source, size, args.seed)
        start = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["evaluations", "import", str(source)])
        imported = time.perf_counter() - start
        if result.exit_code != 0:
            raise RuntimeError(result.output)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def report(query: str) -> None:
            response = client.get(f"/api/v1/reports/evaluation{query}", headers=headers)
            if response.status_code != 200:  # noqa: PLR2004 - a bench that must not lie
                raise RuntimeError(response.get_data(as_text=True))

        for query in FILTERS:
            report(query)  # warm-up
        api = []
        for index in range(args.requests):
            api += _timed(lambda index=index: report(FILTERS[index % len(FILTERS)]), 1)
        with app.app_context():
            baseline = _timed(_baseline, args.requests)
            db.engine.dispose()
        return imported, api, baseline
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    print("| questionnaires | import (s) | API p50 (ms) | API p95 (ms) | SQL baseline p50 (ms) | "
          "SQL baseline p95 (ms) | p95 ratio |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(value) for value in args.sizes.split(",")):
        imported, api, baseline = bench_size(size, args)
        print(
            f"| {size:,} | {imported:.1f} | {statistics.median(api):.1f} | {_p95(api):.1f} | "
            f"{statistics.median(baseline):.1f} | {_p95(baseline):.1f} | "
            f"{_p95(api) / _p95(baseline):.1f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main()
