"""The fair baseline of `search_bench.py`: SQLite FTS5 doing the same work as the project.

A baseline that does the same work as the project's search, so that the ratio means something:
- the same documents (`directory.search.documents`, loaded by the same code) with their text
  pre-stemmed by the project's analyser, one FTS5 column per Whoosh text field, weighted like
  FIELD_BOOSTS in bm25;
- the same plan (`directory.search.planner`: typo correction, thesaurus concepts, places):
  concepts AND-ed, each concept an OR of its synonyms (a synonym's words AND-ed) and sectors;
  when fewer than five match, a second query ORs the needs (the partial tier);
- filters as indexed columns (a table of (name, value, doc) with an index), language and mode
  also keeping the services that state none, like the project;
- `near` through an R*Tree of the documents' places (bounding box of the radius), then the
  exact great-circle distance of the candidates, nearest first;
- the total and the facets (region, sector, population, language, mode, type) counted.
What it does not do: fuzzy organisation names, victims-first ordering, distance basis and
notices. The previous baseline (raw tokens OR-ed, LIKE scans, a haversine over every row)
measured mostly its own distance loop.
"""

from __future__ import annotations

import heapq
import math
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from flask import Flask

from directory.extensions import db
from directory.search import planner, service
from directory.search.analysis import stems
from directory.search.distance import haversine_km
from directory.search.places import PlaceIndex
from directory.search.planner import OUT_OF_SCOPE, Concept, plan
from directory.search.ranking import MIN_STRICT_RESULTS
from directory.search.schema import FIELD_BOOSTS

RESULT_LIMIT = 20
Point = tuple[float, float]


class Query(Protocol):
    """A query of the bench's mix (`search_bench.BenchQuery`)."""

    text: str
    filters: dict[str, str]
    near_point: Point | None
    radius_km: float | None


FTS_TEXT_FIELDS = ("name", "parent_name", "service_name", "place", "sector_text", "body")
FTS_SCHEMA = (
    f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(FTS_TEXT_FIELDS)}, sector,"
    " tokenize = 'unicode61 remove_diacritics 0', detail = column)",
    "CREATE TABLE filters (name TEXT, value TEXT, doc INTEGER)",
    "CREATE TABLE verified (doc INTEGER PRIMARY KEY)",
    "CREATE VIRTUAL TABLE places USING rtree(id, min_lat, max_lat, min_lon, max_lon)",
    "CREATE TABLE place_docs (place INTEGER, doc INTEGER)",
    "CREATE TEMP TABLE hits (doc INTEGER PRIMARY KEY, score REAL)",
)
FTS_INDEXES = (
    "CREATE INDEX filters_by_value ON filters (name, value, doc)",
    "CREATE INDEX filters_by_doc ON filters (doc, name, value)",
    "CREATE INDEX place_docs_by_place ON place_docs (place)",
)
BM25_WEIGHTS = ", ".join(f"{FIELD_BOOSTS[name]:g}" for name in FTS_TEXT_FIELDS) + ", 2"
FTS_FACETS = ("region", "sector", "population", "language", "mode", "type")


@dataclass
class Fts5Index:
    connection: sqlite3.Connection
    vocabulary: planner.Vocabulary
    places: PlaceIndex


def _stemmed(text: str | None) -> str:
    return " ".join(stems(text or "")) if text else ""


def _fts_load(connection: sqlite3.Connection, documents: Iterator[dict[str, Any]]) -> set[str]:
    """Insert every document; returns the typo vocabulary (unstemmed words of names, places)."""
    words: set[str] = set()
    place_ids: dict[tuple[float, float], int] = {}
    for docnum, document in enumerate(documents, start=1):
        texts = [_stemmed(document[name]) for name in FTS_TEXT_FIELDS]
        codes = " ".join(code.lower() for code in document["sector"].split(",") if code)
        connection.execute("INSERT INTO docs(rowid, name, parent_name, service_name, place,"
                           " sector_text, body, sector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (docnum, *texts, codes))  # fmt: skip
        rows = [
            (name, value, docnum)
            for name in FTS_FACETS
            for value in (document[name] or "").split(",")
            if value
        ]
        connection.executemany("INSERT INTO filters VALUES (?, ?, ?)", rows)
        if document["verified"]:
            connection.execute("INSERT INTO verified VALUES (?)", (docnum,))
        if document["remote"]:
            connection.execute("INSERT INTO filters VALUES ('remote', 't', ?)", (docnum,))
        payload = document["payload"]
        points = payload["points"] or list(payload.get("area_points", {}).values())
        for latitude, longitude in points:
            key = (latitude, longitude)
            if key not in place_ids:
                place_ids[key] = len(place_ids) + 1
                connection.execute(
                    "INSERT INTO places VALUES (?, ?, ?, ?, ?)",
                    (place_ids[key], latitude, latitude, longitude, longitude),
                )
            connection.execute("INSERT INTO place_docs VALUES (?, ?)", (place_ids[key], docnum))
        words.update((document["words"] or "").split())
    return words


def build_fts5(app: Flask, path: Path) -> tuple[Fts5Index, float, float]:
    """Load the same documents as the project's index (same loader) and index them."""
    with app.test_request_context():
        start = time.perf_counter()
        connection = sqlite3.connect(path)
        for statement in FTS_SCHEMA:
            connection.execute(statement)
        words = _fts_load(connection, service.expected_documents(db.session))
        for statement in FTS_INDEXES:
            connection.execute(statement)
        connection.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        connection.commit()
        elapsed = time.perf_counter() - start
        thesaurus = service.thesaurus()
        extra = sorted(thesaurus.vocabulary - words)
        vocabulary = planner.Vocabulary(words=frozenset(words), candidates=[*sorted(words), *extra])
        index = Fts5Index(connection, vocabulary, service.places())
        db.session.remove()
    print(f"  FTS5 index built in {elapsed:.1f} s")
    return index, elapsed, path.stat().st_size / 1e6


def _phrase(words: Sequence[str]) -> str | None:
    found = list(dict.fromkeys(stems(" ".join(words))))
    return " AND ".join(f'"{stem}"' for stem in found) if found else None


def _concept_match(concept: Concept) -> str | None:
    alternatives = [_phrase(concept.typed)]
    if concept.kind != OUT_OF_SCOPE:
        alternatives += [_phrase(term) for term in concept.terms]
        alternatives += [f'sector : "{code.lower()}"' for code in concept.sectors]
    found = [f"({alternative})" for alternative in dict.fromkeys(alternatives) if alternative]
    return "(" + " OR ".join(found) + ")" if found else None


def _filter_clauses(query: Query) -> tuple[list[str], list[str]]:
    clauses, params = [], []
    for name, value in query.filters.items():
        values = [value, "unknown"] if name in {"language", "mode"} else [value]
        marks = ", ".join("?" for _ in values)
        clauses.append(
            f"rowid IN (SELECT doc FROM filters WHERE name = ? AND value IN ({marks}))"  # noqa: S608 - placeholders only
        )
        params += [name, *values]
    return clauses, params


def _near_docs(index: Fts5Index, query: Query) -> dict[int, float]:
    """Documents within the radius (R*Tree bounding box, then exact distance)."""
    origin, radius = query.near_point, query.radius_km
    if origin is None or radius is None:
        return {}
    lat_span = radius / 111.0
    lon_span = radius / (111.0 * max(math.cos(math.radians(origin[0])), 0.01))
    rows = index.connection.execute(
        "SELECT p.min_lat, p.min_lon, d.doc FROM places p JOIN place_docs d ON d.place = p.id"
        " WHERE p.min_lat >= ? AND p.max_lat <= ? AND p.min_lon >= ? AND p.max_lon <= ?",
        (origin[0] - lat_span, origin[0] + lat_span, origin[1] - lon_span, origin[1] + lon_span),
    )
    found: dict[int, float] = {}
    for latitude, longitude, doc in rows:
        km = haversine_km(origin, latitude, longitude)
        if km <= radius and km < found.get(doc, math.inf):
            found[doc] = km
    return found


def _fill_hits(index: Fts5Index, match: str | None, query: Query) -> int:
    clauses, params = _filter_clauses(query)
    if match:
        clauses.insert(0, "docs MATCH ?")
        params.insert(0, match)
    where = " AND ".join(clauses) or "1"
    score = f"bm25(docs, {BM25_WEIGHTS})" if match else "0"
    index.connection.execute(
        f"INSERT OR IGNORE INTO hits SELECT rowid, {score} FROM docs WHERE {where}",  # noqa: S608 - fixed fragments
        params,
    )
    return index.connection.execute("SELECT COUNT(*) FROM hits").fetchone()[0]


def fts5_search(index: Fts5Index, query: Query) -> tuple[int, list[int], dict[str, Any]]:
    """Total, first page and facets, through the project's plan."""
    connection = index.connection
    connection.execute("DELETE FROM hits")
    query_plan = (
        plan(query.text, vocabulary=index.vocabulary, thesaurus=service.thesaurus(),
             places=index.places)
        if query.text.strip()
        else None
    )  # fmt: skip
    if query.text.strip() and query_plan is None:
        return 0, [], {}
    if query_plan is None:
        _fill_hits(index, None, query)
    else:
        matches = [_concept_match(concept) for concept in query_plan.concepts]
        every = " AND ".join(m for m in matches if m)
        if _fill_hits(index, every, query) < MIN_STRICT_RESULTS and len(query_plan.needs) > 1:
            needs = [_concept_match(concept) for concept in query_plan.needs]
            _fill_hits(index, " OR ".join(m for m in needs if m), query)
    near = _near_docs(index, query)
    if query.near_point is not None:
        connection.executemany("DELETE FROM hits WHERE doc = ?", (
            (doc,) for (doc,) in connection.execute("SELECT doc FROM hits").fetchall()
            if doc not in near
        ))  # fmt: skip
        rows = connection.execute("SELECT doc FROM hits").fetchall()
        page = [doc for _km, doc in heapq.nsmallest(RESULT_LIMIT, ((near[d], d) for (d,) in rows))]
    else:
        page = [doc for (doc,) in connection.execute(
            "SELECT h.doc FROM hits h LEFT JOIN verified v ON v.doc = h.doc"
            " ORDER BY h.score * (CASE WHEN v.doc IS NULL THEN 0.92 ELSE 1 END), h.doc"
            " LIMIT ?", (RESULT_LIMIT,)
        )]  # fmt: skip
    total = connection.execute("SELECT COUNT(*) FROM hits").fetchone()[0]
    facets: dict[str, dict[str, int]] = {}
    for name, value, count in connection.execute(
        "SELECT f.name, f.value, COUNT(*) FROM hits h JOIN filters f ON f.doc = h.doc"
        " GROUP BY f.name, f.value"
    ):
        facets.setdefault(name, {})[value] = count
    return total, page, facets
