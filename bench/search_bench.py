"""Search benchmark: index build time, index size and query latency at several directory sizes.

For each size N (services) the script builds a throw-away instance folder in the system's
temporary directory (never the default database, never under the repository) and a fresh
database: SQLite in that folder (`--backend whoosh`, the default), or, with `--backend
postgres`, a new database on the PostgreSQL server of `DATABASE_URL` (on loopback only: run
it under `scripts/with-postgres.sh`), dropped at the end. The database is migrated and loaded
with the reference tables of `seed/`, then a GENERATED, CLEARLY FICTIONAL directory of N
services ("Ressource fictive …", no address, phone, e-mail or web site), deterministic from
`--seed`. It then measures, on one fixed mix of queries (plain words, multi-word phrases,
typos, filters, distance from a municipality):

- with `--backend postgres`: the project's search interface on the PostgreSQL backend, and
  the same queries through the HTTP API in-process (`GET /api/v1/search`, Flask test client);
- the project's search interface on the Whoosh backend, and through the API;
- the fair baseline: SQLite FTS5 doing the same work over the same corpus (`search_fts5.py`).

It prints one markdown table per size (build seconds, index MB, p50/p95 latency in ms) and
whether the targets are met. Run it with `make bench-search` (Whoosh), `make bench-search-pg`,
or:

    .venv/bin/python bench/search_bench.py [--sizes 1000,10000,50000] [--queries 200] [--seed 7]
    bash scripts/with-postgres.sh .venv/bin/python bench/search_bench.py --backend postgres
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
import os
import platform
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import flask_migrate
import psycopg
import yaml
from flask import Flask
from psycopg import sql
from search_fts5 import build_fts5, fts5_search
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from directory import create_app, geo, seeding
from directory.config import REPOSITORY_ROOT, SEED_DIR
from directory.extensions import db
from directory.organisations.models import (
    SERVICE_MODES,
    Location,
    Organisation,
    Service,
    ServiceLanguage,
    ServiceMode,
)
from directory.reference.models import Municipality, Population, Region, Sector
from directory.search import service, sync
from directory.search.analysis import stop_words
from directory.search.results import SearchRequest
from directory.text import fold, slugify

# --- Generated directory --------------------------------------------------------------------

BATCH_ORGANISATIONS = 2_000
CONFIDENTIAL_SHARE = 0.2
COMMUNITY_SHARE = 0.7
MIN_WORD_LENGTH = 4
MIN_TYPO_LENGTH = 6
# Realistic service names and the sector each one usually belongs to.
SERVICE_NAMES: dict[str, str] = {
    "Maison d'hébergement": "VCF",
    "Maison d'hébergement de deuxième étape": "VCF",
    "Hébergement d'urgence": "VCF",
    "Centre de femmes": "VCF",
    "Ressource pour conjoints ayant des comportements violents": "VCH",
    "Gestion de la colère": "VCH",
    "Santé mentale": "PSM",
    "Intervention de crise": "PSM",
    "Réadaptation en dépendance": "PC",
    "Protection de la jeunesse": "MT",
    "Intervention jeunesse": "MT",
    "Soutien aux familles": "FAMILLE",
    "Maison de la famille": "FAMILLE",
    "Aide aux victimes d'actes criminels": "AVAC",
    "Centre d'aide et de lutte contre les agressions à caractère sexuel": "AS",
    "Accompagnement judiciaire": "JUSTICE",
    "Soutien aux personnes immigrantes": "IMMIGRATION",
    "Clinique de santé physique": "SANTE",
    "Prévention du décrochage scolaire": "SCOLAIRE",
    "Soutien en déficience intellectuelle": "DI",
    "Sécurité publique": "POLICE",
}
LANGUAGE_CHOICES = (("fr",), ("fr",), ("fr", "en"), ("en",))

# --- Query mix --------------------------------------------------------------------------------

QUERY_MIX = (("plain", 0.40), ("multi", 0.25), ("typo", 0.15), ("filter", 0.10), ("near", 0.10))
RADII_KM = (25, 50, 100)
WARMUP_QUERIES = 10
RESULT_LIMIT = 20
EARTH_RADIUS_KM = 6371.0088
HTTP_OK = 200

# --- Targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    p95_10k_ms: float
    p95_50k_ms: float
    build_50k_s: float


TARGETS = {
    "whoosh": Targets(p95_10k_ms=25.0, p95_50k_ms=80.0, build_50k_s=60.0),
    "postgres": Targets(p95_10k_ms=30.0, p95_50k_ms=80.0, build_50k_s=30.0),
}
SIZE_10K = 10_000
SIZE_50K = 50_000

ENGINE_PG = "PostgreSQL (search interface)"
ENGINE_PG_API = "PostgreSQL via /api/v1/search"
ENGINE_WHOOSH = "Whoosh (search interface)"
ENGINE_API = "Whoosh via /api/v1/search"
ENGINE_FTS = "SQLite FTS5, same work (baseline)"
INTERFACES = (ENGINE_PG, ENGINE_WHOOSH)

Point = tuple[float, float]


class BenchError(RuntimeError):
    """The benchmark cannot run safely (for instance, it would touch a real database)."""


@dataclass(frozen=True)
class Vocabulary:
    """Words the fictional names and the queries are made of, all from `seed/`."""

    words: list[str]  # words of sector labels and seed service names
    municipalities: list[str]
    single_terms: list[str]  # one-word thesaurus terms
    phrases: list[str]  # thesaurus terms of two or three words


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    near_name: str | None = None
    near_point: Point | None = None
    radius_km: float | None = None

    def describe(self) -> str:
        parts = [f"[{self.kind}]", repr(self.text) if self.text else "(no text)"]
        parts += [f"{name}={value}" for name, value in self.filters.items()]
        if self.near_name:
            parts.append(f"near={self.near_name} radius={self.radius_km:g} km")
        return " ".join(parts)


@dataclass
class EngineRun:
    engine: str
    build_s: float | None
    index_mb: float | None
    timings_ms: list[float] = field(default_factory=list)
    measured: list[BenchQuery] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentiles(self, kind: str | None = None) -> tuple[float, float]:
        """(p50, p95) in ms, over every measured query or those of one kind."""
        values = [
            ms
            for ms, query in zip(self.timings_ms, self.measured, strict=True)
            if kind in {None, query.kind}
        ]
        if len(values) < 2:  # noqa: PLR2004 - quantiles need two points
            only = values[0] if values else math.nan
            return only, only
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return cuts[49], cuts[94]


@dataclass
class SizeReport:
    size: int
    runs: list[EngineRun]  # [PostgreSQL interface, PostgreSQL API,] Whoosh interface, API, FTS5
    seconds: float
    loads: tuple[float, float, float]  # load averages when the size was done


Runs = list[EngineRun]
Build = tuple[float, float]  # seconds, MB


# --- Seed vocabulary ----------------------------------------------------------------------------


def _walk_services(entries: list[dict[str, Any]]) -> Iterator[str]:
    for entry in entries:
        yield from (item["name"] for item in entry.get("services", []))
        yield from _walk_services(entry.get("sub_programmes", []))


def _content_words(texts: Sequence[str]) -> list[str]:
    ignored = stop_words()
    found = {
        word.lower()
        for text in texts
        for word in re.findall(r"[^\W\d_]+", text)
        if len(word) >= MIN_WORD_LENGTH and fold(word) not in ignored
    }
    return sorted(found)


def load_vocabulary(seed_dir: Path) -> Vocabulary:
    with (seed_dir / "sectors.csv").open(encoding="utf-8", newline="") as handle:
        sectors = list(csv.DictReader(handle))
    with (seed_dir / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        municipalities = sorted({row["name"] for row in csv.DictReader(handle)})
    organisations = yaml.safe_load((seed_dir / "organisations.yaml").read_text(encoding="utf-8"))
    thesaurus = yaml.safe_load((seed_dir / "thesaurus.yaml").read_text(encoding="utf-8"))
    labels = [row[key] for row in sectors for key in ("short_fr", "label_fr")]
    terms = sorted({term for group in thesaurus for term in group["terms"]})
    return Vocabulary(
        words=_content_words([*labels, *_walk_services(organisations), *SERVICE_NAMES]),
        municipalities=municipalities,
        single_terms=[t for t in terms if " " not in t],
        phrases=[t for t in terms if 2 <= len(t.split()) <= 3],  # noqa: PLR2004 - two or three
    )


# --- Instance and generated directory --------------------------------------------------------


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@contextmanager
def bench_database(size: int) -> Iterator[str]:
    """A new database on the PostgreSQL server of `DATABASE_URL` (loopback only), dropped
    after: the bench never writes into an existing database."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        msg = "--backend postgres needs DATABASE_URL (run under scripts/with-postgres.sh)"
        raise BenchError(msg)
    url = make_url(server)
    if url.host not in LOOPBACK:
        raise BenchError(f"refusing to create databases on {url.host}: loopback only")
    name = f"filet_bench_{size}_{secrets.token_hex(4)}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def temporary_instance(database_url: str | None = None) -> Iterator[Path]:
    """A fresh instance folder outside the repository, on `database_url` or a SQLite file in
    the folder; the environment is restored after."""
    folder = Path(tempfile.mkdtemp(prefix="filet-search-bench-")).resolve()
    if folder.is_relative_to(REPOSITORY_ROOT):
        shutil.rmtree(folder)
        raise BenchError(f"temporary folder {folder} is inside the repository; set TMPDIR")
    names = ("DIRECTORY_INSTANCE_PATH", "DATABASE_URL", "SEARCH_BACKEND")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["DIRECTORY_INSTANCE_PATH"] = str(folder)
    os.environ.pop("SEARCH_BACKEND", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        yield folder
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(folder, ignore_errors=True)


def make_app(instance: Path, backend: str = "whoosh", *, migrate: bool = True) -> Flask:
    """The application on the instance's database, with the given search backend; `migrate`
    creates the schema and loads the reference tables."""
    settings = {"TESTING": True, "INSTANCE_PATH": instance, "SEARCH_AUTO_INDEX": False}
    app = create_app({**settings, "SEARCH_BACKEND": backend})
    logging.getLogger().setLevel(logging.WARNING)  # create_app sets INFO; keep the output short
    expected = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'directory.sqlite3'}"
    if app.config["SQLALCHEMY_DATABASE_URI"] != expected:
        raise BenchError(f"refusing to run on {app.config['SQLALCHEMY_DATABASE_URI']}")
    if migrate:
        with app.app_context():
            flask_migrate.upgrade()
            seeding.load_reference(Path(app.config["SEED_DIR"]), progress=lambda _message: None)
            db.session.commit()
    return app


@dataclass(frozen=True)
class Reference:
    """Reference rows the generator picks from (kept referenced across commits)."""

    sectors: dict[str, Sector]
    populations: list[Population]
    regions: dict[str, Region]
    places: dict[str, list[int]]  # region code → municipality ids

    @classmethod
    def load(cls, session: Session) -> Reference:
        places: dict[str, list[int]] = {}
        for place_id, region_code in session.execute(
            select(Municipality.id, Municipality.region_code).order_by(Municipality.id)
        ):
            places.setdefault(region_code, []).append(place_id)
        return cls(
            sectors={s.code: s for s in session.scalars(select(Sector).order_by(Sector.code))},
            populations=list(session.scalars(select(Population).order_by(Population.code))),
            regions={r.code: r for r in session.scalars(select(Region).order_by(Region.code))},
            places=places,
        )


def _service(rng: random.Random, ref: Reference, region: Region) -> Service:
    name = rng.choice(sorted(SERVICE_NAMES))
    codes = {SERVICE_NAMES[name]}
    if rng.random() < 0.5:  # noqa: PLR2004 - half the services have a second sector
        codes.add(rng.choice(sorted(ref.sectors)))
    modes = rng.sample(SERVICE_MODES, rng.randint(1, len(SERVICE_MODES)))
    return Service(
        name=name,
        sectors=[ref.sectors[code] for code in sorted(codes)],
        populations=rng.sample(ref.populations, rng.randint(0, 2)),
        areas=[region],
        languages=[ServiceLanguage(code=code) for code in rng.choice(LANGUAGE_CHOICES)],
        modes=[ServiceMode(mode=mode) for mode in sorted(modes)],
    )


def _organisation(
    rng: random.Random, ref: Reference, vocabulary: Vocabulary, number: int, services: int
) -> Organisation:
    words = [*vocabulary.words, *vocabulary.municipalities]
    name = f"Ressource fictive {rng.choice(words)} {rng.choice(words)} {number}"
    region_code = rng.choice(sorted(ref.places))
    locations = [
        Location(
            position=position,
            region_code=region_code,
            municipality_id=rng.choice(ref.places[region_code]),
            confidential=rng.random() < CONFIDENTIAL_SHARE,
        )
        for position in range(rng.randint(1, 2))
    ]
    organisation = Organisation(
        slug=slugify(name),
        name=name,
        type="community" if rng.random() < COMMUNITY_SHARE else "institutional",
        source_note="Generated by bench/search_bench.py: fictional.",
        locations=locations,
        services=[_service(rng, ref, ref.regions[region_code]) for _ in range(services)],
    )
    for item in organisation.services:
        item.locations = list(locations)
    return organisation


def generate_directory(size: int, seed: int, vocabulary: Vocabulary) -> int:
    """Insert a fictional directory of exactly `size` services; returns the organisations made."""
    rng = random.Random(seed)
    ref = Reference.load(db.session)
    created = organisations = 0
    batch: list[Organisation] = []
    while created < size:
        services = min(rng.randint(1, 3), size - created)
        organisations += 1
        batch.append(_organisation(rng, ref, vocabulary, organisations, services))
        created += services
        if len(batch) == BATCH_ORGANISATIONS or created == size:
            db.session.add_all(batch)
            db.session.commit()
            batch = []
            print(f"  generated {created:,}/{size:,} services ({organisations:,} organisations)")
    return organisations


# --- Query mix --------------------------------------------------------------------------------


def _typo(rng: random.Random, word: str) -> str:
    position = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:  # noqa: PLR2004 - deletion or transposition, evenly
        return word[:position] + word[position + 1 :]
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


def _plain_word(rng: random.Random, vocabulary: Vocabulary) -> str:
    return rng.choice([*vocabulary.single_terms, *vocabulary.words])


def _multi_words(rng: random.Random, vocabulary: Vocabulary) -> str:
    if rng.random() < 0.5:  # noqa: PLR2004 - a thesaurus phrase or two service words
        text = rng.choice(vocabulary.phrases)
    else:
        text = " ".join(rng.sample(vocabulary.words, 2))
    if len(text.split()) < 3 and rng.random() < 0.4:  # noqa: PLR2004 - sometimes a place
        text = f"{text} {rng.choice(vocabulary.municipalities)}"
    return text


def _filter_query(rng: random.Random, vocabulary: Vocabulary, ref: Reference) -> BenchQuery:
    shape = rng.choice(("region", "sector", "both"))
    filters = {}
    if shape in {"region", "both"}:
        filters["region"] = rng.choice(sorted(ref.regions))
    if shape in {"sector", "both"}:
        filters["sector"] = rng.choice(sorted(ref.sectors))
    text = _plain_word(rng, vocabulary) if rng.random() < 0.5 else ""  # noqa: PLR2004
    return BenchQuery("filter", text=text, filters=filters)


def _near_query(rng: random.Random, vocabulary: Vocabulary) -> BenchQuery:
    """A municipality resolved like the API does it (needs an application context)."""
    while True:
        name = rng.choice(vocabulary.municipalities)
        place = geo.resolve_place(name)
        if place is not None:
            break
    text = ""
    if rng.random() < 0.5:  # noqa: PLR2004 - half of them with text
        text = rng.choice([*vocabulary.phrases, *vocabulary.single_terms])
    return BenchQuery(
        "near", text=text, near_name=name, near_point=place.point, radius_km=rng.choice(RADII_KM)
    )


def _one_query(kind: str, rng: random.Random, vocabulary: Vocabulary, ref: Reference) -> BenchQuery:
    if kind == "plain":
        return BenchQuery(kind, text=_plain_word(rng, vocabulary))
    if kind == "multi":
        return BenchQuery(kind, text=_multi_words(rng, vocabulary))
    if kind == "typo":
        long_words = [w for w in vocabulary.words if len(w) >= MIN_TYPO_LENGTH]
        return BenchQuery(kind, text=_typo(rng, rng.choice(long_words)))
    if kind == "filter":
        return _filter_query(rng, vocabulary, ref)
    return _near_query(rng, vocabulary)


def query_mix(count: int, seed: int, vocabulary: Vocabulary) -> list[BenchQuery]:
    """`count` queries in the fixed proportions of QUERY_MIX, shuffled, deterministic."""
    rng = random.Random(seed)
    ref = Reference.load(db.session)
    counts = {kind: round(count * share) for kind, share in QUERY_MIX}
    counts["plain"] += count - sum(counts.values())
    kinds = [kind for kind, _share in QUERY_MIX for _ in range(counts[kind])]
    rng.shuffle(kinds)
    return [_one_query(kind, rng, vocabulary, ref) for kind in kinds]


# --- Whoosh through the search interface and the API -----------------------------------------


def build_postgres(app: Flask) -> tuple[float, float]:
    """`flask search reindex`'s work on the PostgreSQL backend, committed, timed; returns
    (seconds, size of the search tables and their indexes in MB)."""
    with app.test_request_context():
        start = time.perf_counter()
        count = sync.rebuild(db.session)
        elapsed = time.perf_counter() - start
        size = db.session.execute(
            text(
                "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest("
                "ARRAY['search_documents', 'search_places', 'search_words']) t"
            )
        ).scalar()
        db.session.remove()
    print(f"  PostgreSQL search tables: {count:,} documents in {elapsed:.1f} s")
    return elapsed, float(size or 0) / 1e6


def build_whoosh(app: Flask, instance: Path) -> tuple[float, float]:
    """`service.reindex` timed; returns (seconds, index size in MB)."""
    with app.test_request_context():
        start = time.perf_counter()
        count = service.reindex(db.session)
        elapsed = time.perf_counter() - start
        db.session.remove()
    current = (instance / "search" / "current").resolve()
    size = sum(path.stat().st_size for path in current.rglob("*") if path.is_file())
    print(f"  Whoosh index: {count:,} documents in {elapsed:.1f} s")
    return elapsed, size / 1e6


def search_request(query: BenchQuery) -> SearchRequest:
    # The API sorts by distance when `near` is given; the interface call does the same.
    return SearchRequest(
        text=query.text,
        filters=dict(query.filters),
        near=query.near_point,
        radius_km=query.radius_km,
        sort="distance" if query.near_point else "relevance",
    )


def query_string(query: BenchQuery) -> dict[str, str]:
    args = {"q": query.text} if query.text else {}
    args.update(query.filters)
    if query.near_name:
        args["near"] = query.near_name
        args["radius_km"] = f"{query.radius_km:g}"
    return args


@dataclass(frozen=True)
class Mix:
    warmup: list[BenchQuery]  # run first, not measured
    queries: list[BenchQuery]


def measure(run: EngineRun, mix: Mix, call: Callable[[BenchQuery], object]) -> EngineRun:
    """Warm up, then time every query of the mix once."""
    for query in mix.warmup:
        call(query)
    for query in mix.queries:
        start = time.perf_counter()
        try:
            call(query)
        except Exception as error:  # noqa: BLE001 - a failing query is a finding, not a crash
            run.errors.append(f"{query.describe()}: {type(error).__name__}: {error}")
            continue
        run.timings_ms.append((time.perf_counter() - start) * 1000)
        run.measured.append(query)
    return run


def measure_interface(app: Flask, run: EngineRun, mix: Mix) -> EngineRun:
    with app.test_request_context():
        measure(run, mix, lambda query: service.search(search_request(query)))
        db.session.remove()
    return run


def measure_api(app: Flask, run: EngineRun, mix: Mix) -> EngineRun:
    client = app.test_client()

    def call(query: BenchQuery) -> None:
        response = client.get("/api/v1/search", query_string=query_string(query))
        if response.status_code != HTTP_OK:
            raise BenchError(f"HTTP {response.status_code}: {response.get_data(as_text=True)}")

    return measure(run, mix, call)


# --- One size, end to end ------------------------------------------------------------------------


def _measure_backend(app: Flask, engines: tuple[str, str], build: Build, mix: Mix) -> Runs:
    interface = measure_interface(app, EngineRun(engines[0], *build), mix)
    print(f"  measured {engines[0]}", flush=True)
    api = measure_api(app, EngineRun(engines[1], None, None), mix)
    print(f"  measured {engines[1]}", flush=True)
    return [interface, api]


def _measure_fts5(app: Flask, instance: Path, mix: Mix) -> EngineRun:
    index, fts_s, fts_mb = build_fts5(app, instance / "fts5.sqlite3")
    try:
        with app.test_request_context():
            fts = measure(
                EngineRun(ENGINE_FTS, fts_s, fts_mb), mix, lambda q: fts5_search(index, q)
            )
    finally:
        index.connection.close()
    print(f"  measured {ENGINE_FTS}", flush=True)
    return fts


def _generated(app: Flask, size: int, args: argparse.Namespace, vocabulary: Vocabulary) -> Mix:
    """Generate the directory; the query mix (its filters name the generated regions)."""
    with app.app_context():
        organisations = generate_directory(size, args.seed, vocabulary)
        print(f"  {organisations:,} fictional organisations", flush=True)
        mix = Mix(
            warmup=query_mix(WARMUP_QUERIES, args.seed + 1, vocabulary),
            queries=query_mix(args.queries, args.seed, vocabulary),
        )
        db.session.remove()
    return mix


def _runs(instance: Path, size: int, args: argparse.Namespace, vocabulary: Vocabulary) -> Runs:
    """Every engine of the run on one generated directory: PostgreSQL (when asked), Whoosh
    on the same database, then the FTS5 baseline."""
    apps = []
    try:
        first = make_app(instance, args.backend)
        apps.append(first)
        mix = _generated(first, size, args, vocabulary)
        runs: Runs = []
        if args.backend == "postgres":
            runs += _measure_backend(first, (ENGINE_PG, ENGINE_PG_API), build_postgres(first), mix)
            whoosh = make_app(instance, "whoosh", migrate=False)
            apps.append(whoosh)
        else:
            whoosh = first
        build = build_whoosh(whoosh, instance)
        runs += _measure_backend(whoosh, (ENGINE_WHOOSH, ENGINE_API), build, mix)
        return [*runs, _measure_fts5(whoosh, instance, mix)]
    finally:
        for app in apps:
            with app.app_context():
                db.engine.dispose()


def bench_size(size: int, args: argparse.Namespace, vocabulary: Vocabulary) -> SizeReport:
    """Generate, index and query one directory size in its own temporary instance."""
    print(f"\n== {size:,} services ==", flush=True)
    started = time.perf_counter()
    with ExitStack() as stack:
        url = stack.enter_context(bench_database(size)) if args.backend == "postgres" else None
        instance = stack.enter_context(temporary_instance(url))
        print(f"  instance {instance}" + (" (PostgreSQL)" if url else " (SQLite)"), flush=True)
        runs = _runs(instance, size, args, vocabulary)
    elapsed = time.perf_counter() - started
    print(f"  done in {elapsed:.0f} s (temporary instance and database removed)", flush=True)
    return SizeReport(size, runs, elapsed, load_averages())


def load_averages() -> tuple[float, float, float]:
    """The machine's load averages (1, 5, 15 minutes): timings depend on them."""
    return os.getloadavg()


# --- Report ---------------------------------------------------------------------------------------


def _number(value: float | None, digits: int = 1) -> str:
    return "same index" if value is None else f"{value:,.{digits}f}"


def print_table(report: SizeReport) -> None:
    fts_p95 = report.runs[-1].percentiles()[1]
    print(f"\n### {report.size:,} services\n")
    print(
        "| services | engine | build (s) | index (MB) | p50 (ms) | p95 (ms) | p95 ratio vs FTS5 |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    for run in report.runs:
        p50, p95 = run.percentiles()
        print(
            f"| {report.size:,} | {run.engine} | {_number(run.build_s)} | {_number(run.index_mb)}"
            f" | {p50:.1f} | {p95:.1f} | {p95 / fts_p95:.1f}× |"
        )
    today = datetime.now(UTC).date().isoformat()
    loads = ", ".join(f"{value:.1f}" for value in report.loads)
    print(
        f"\nMachine: {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" {platform.system()} {platform.machine()}; {today}; load average at the end of"
        f" this size (1, 5, 15 min): {loads}."
    )


def print_details(report: SizeReport) -> None:
    """p95 per query kind, the slowest queries of each search interface, and any error."""
    kinds = [kind for kind, _share in QUERY_MIX]
    print(f"\np95 (ms) by query kind, {report.size:,} services:\n")
    print("| engine | " + " | ".join(kinds) + " |")
    print("|---|" + "---:|" * len(kinds))
    for run in report.runs:
        cells = " | ".join(f"{run.percentiles(kind)[1]:.1f}" for kind in kinds)
        print(f"| {run.engine} | {cells} |")
    for run in report.runs:
        if run.engine not in INTERFACES:
            continue
        slowest = sorted(zip(run.timings_ms, run.measured, strict=True), key=lambda t: -t[0])
        print(f"\nSlowest queries, {run.engine}:")
        for ms, query in slowest[:5]:
            print(f"  {ms:8.1f} ms  {query.describe()}")
    for run in report.runs:
        for error in run.errors:
            print(f"  ERROR {run.engine}: {error}")


def _verdict(met: bool) -> str:  # noqa: FBT001 - a yes/no to print
    return "met" if met else "NOT met"


def print_targets(reports: Sequence[SizeReport], backend: str) -> None:
    """The targets of the backend asked for, on its search interface (the run's first)."""
    targets = TARGETS[backend]
    by_size = {report.size: report for report in reports}
    print(f"\nTargets, {backend} backend (p95 of the search interface, in-process):")
    if SIZE_10K in by_size:
        p95 = by_size[SIZE_10K].runs[0].percentiles()[1]
        api = by_size[SIZE_10K].runs[1].percentiles()[1]
        print(
            f"- 10,000 services, p95 ≤ {targets.p95_10k_ms:g} ms: {p95:.1f} ms →"
            f" {_verdict(p95 <= targets.p95_10k_ms)} (via the API: {api:.1f} ms)"
        )
    else:
        print("- 10,000 services: not measured in this run")
    if SIZE_50K in by_size:
        interface = by_size[SIZE_50K].runs[0]
        p95, build = interface.percentiles()[1], interface.build_s or math.inf
        print(
            f"- 50,000 services, p95 ≤ {targets.p95_50k_ms:g} ms: {p95:.1f} ms →"
            f" {_verdict(p95 <= targets.p95_50k_ms)};"
            f" build ≤ {targets.build_50k_s:g} s: {build:.1f} s →"
            f" {_verdict(build <= targets.build_50k_s)}"
        )
    else:
        print("- 50,000 services: not measured in this run")


# --- Command line -------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes are positive integers, comma-separated")
    return sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[1_000, 10_000, 50_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgres"),
        default="whoosh",
        help="postgres: also the PostgreSQL backend, on the server of DATABASE_URL (loopback)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    vocabulary = load_vocabulary(Path(os.environ.get("DIRECTORY_SEED_DIR", SEED_DIR)))
    reports = [bench_size(size, args, vocabulary) for size in args.sizes]
    for report in reports:
        print_table(report)
    for report in reports:
        print_details(report)
    print_targets(reports, args.backend)
    print(f"\nTotal runtime: {time.perf_counter() - started:.0f} s")
    return 1 if any(run.errors for report in reports for run in report.runs) else 0


if __name__ == "__main__":
    sys.exit(main())
