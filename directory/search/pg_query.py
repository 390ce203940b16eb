"""The PostgreSQL backend's retrieval: the plan's concepts become tsqueries in the `filet_fr`
configuration, matched on the GIN index of the weighted documents; filters are array
containments on the GIN index of facet values; `near` goes through the bounding-box index of
the places before the exact distance; organisation names are fuzzy-matched with pg_trgm.
One statement reads every candidate once (`_Plan`), with the flags and facet values stored
with its document; facets are counted from those. The rest of a search is `engine.py`,
shared with Whoosh.

Cost: a word held by most of the directory ("soutien") makes every document a candidate,
ranked and read; PostgreSQL does that row by row, where Whoosh walks posting lists in
memory. README « Performance » has the figures.

Scoring: a concept's score is `ts_rank` with the weights A (names) 0.8, B (parent and
service names) 0.3, C (places, sectors) 0.2, D (the rest) 0.1, times the number of distinct
words in its query (ts_rank averages over them: a concept with many synonyms would count
for less than one with a single word), plus SECTOR_SCORE when the service is in one of the
concept's sectors. Whoosh scores with BM25F: words rare in the directory weigh more there.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from directory.search.documents import FACET_FIELDS
from directory.search.engine import (
    OPEN_FILTERS,
    Candidates,
    FlagSets,
    Retrieve,
    SearchContext,
    Where,
    execute,
    sorted_facets,
)
from directory.search.names import NAME_BOOST
from directory.search.pg_index import (
    AUTHORS,
    CONFIGURATION,
    FACET_SEPARATOR,
    REMOTE,
    VERIFIED,
    VICTIMS,
)
from directory.search.planner import OUT_OF_SCOPE, Concept, Vocabulary, correctable
from directory.search.results import SearchRequest, SearchResult
from directory.search.thesaurus import Thesaurus

RANK_WEIGHTS = "{0.1, 0.2, 0.3, 0.8}"  # ts_rank's order: D, C, B, A
SECTOR_SCORE = 0.2  # a concept's sector, like a word in the C fields
NAME_SCORE = 1.6  # a whole-name match at full similarity, for a name held by one document
CORRECTION_CANDIDATES = 50  # index words close to a typo, by trigram similarity
NAME_CANDIDATES = 200
KM_PER_DEGREE = 111.0  # a little less than a degree of latitude: the box errs on the large side
STEM_CACHE_SIZE = 16_384
UNSTATED = 16  # a candidate's flag beside those stored: passes an open filter by silence
DOCUMENT_SEPARATOR = ";"  # between the facet lists of the candidates (never in a code)

_HAVERSINE = (
    "2 * 6371.0088 * asin(sqrt(least(1.0, power(sin(radians(p.latitude - :lat) / 2), 2)"
    " + cos(radians(:lat)) * cos(radians(p.latitude))"
    " * power(sin(radians(p.longitude - :lon) / 2), 2))))"
)

_stems: dict[str, tuple[str, ...]] = {}  # the configuration's lexemes of a folded word


def _quote(lexeme: str) -> str:
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


@dataclass
class ConceptQuery:
    """A concept as SQL: a tsquery (None when none of its words is indexable), its distinct
    lexemes, and its sectors."""

    tsquery: str | None
    lexemes: int
    sectors: list[str] = field(default_factory=list)
    rank_query: str | None = None  # its distinct lexemes, any of them: what ts_rank reads
    # The same words in any fields: what the GIN index answers exactly, and cheap to test on
    # a row; the field-bound `tsquery` is then tested only on the rows that pass it.
    loose: str | None = None


def _term(words: Sequence[str], stems: Mapping[str, tuple[str, ...]], *, same_field: bool) -> str:
    """All the words' lexemes (stop words have none); with `same_field`, several must share
    a field, as Whoosh wants them."""
    found = dict.fromkeys(lexeme for word in words for lexeme in stems.get(word, ()))
    lexemes = [_quote(lexeme) for lexeme in found]
    if len(lexemes) <= 1:
        return lexemes[0] if lexemes else ""
    if not same_field:
        return "(" + " & ".join(lexemes) + ")"
    fields = [
        "(" + " & ".join(f"{lexeme}:{letter}" for lexeme in lexemes) + ")" for letter in "ABCD"
    ]
    return "(" + " | ".join(fields) + ")"


def _concept(concept: Concept, stems: Mapping[str, tuple[str, ...]]) -> ConceptQuery:
    """Any synonym or sector; out-of-scope concepts only as typed."""
    terms = [concept.typed]
    sectors: list[str] = []
    if concept.kind != OUT_OF_SCOPE and concept.from_thesaurus:
        terms += list(concept.terms)
        sectors = [f"sector:{code}" for code in concept.sectors]
    parts = list(dict.fromkeys(p for t in terms if (p := _term(t, stems, same_field=True))))
    loose = list(dict.fromkeys(p for t in terms if (p := _term(t, stems, same_field=False))))
    lexemes = {lexeme for term in terms for word in term for lexeme in stems.get(word, ())}
    rank_query = " | ".join(_quote(lexeme) for lexeme in sorted(lexemes)) or None
    tsquery = " | ".join(parts) or None
    loose_query = " | ".join(loose) or None
    return ConceptQuery(
        tsquery, len(lexemes), sectors, rank_query, None if loose_query == tsquery else loose_query
    )


def concept_queries(session: Session, concepts: Sequence[Concept]) -> list[ConceptQuery]:
    """The plan's concepts as the search configuration's tsqueries."""
    stems = _lexemes(session, {word for c in concepts for term in _words(c) for word in term})
    return [_concept(concept, stems) for concept in concepts]


def _lexemes(session: Session, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each word's lexemes in the search configuration (asked once per word and process)."""
    missing = sorted({word for word in words if word not in _stems})
    if missing:
        if len(_stems) + len(missing) > STEM_CACHE_SIZE:
            _stems.clear()
        rows = session.execute(
            text(
                f"SELECT w, tsvector_to_array(to_tsvector('{CONFIGURATION}', w))"  # noqa: S608 - fixed fragments, values bound
                " FROM unnest(CAST(:words AS text[])) AS w"
            ),
            {"words": missing},
        )
        _stems.update({word: tuple(lexemes or ()) for word, lexemes in rows})
    return _stems


@dataclass
class _Sql:
    """Pieces of a candidates query: selected expressions, conditions, parameters."""

    params: dict[str, Any] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    matches: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    joins: str = ""

    def bind(self, name: str, value: object) -> str:
        self.params[name] = value
        return f":{name}"


def _filters(sql: _Sql, filters: Mapping[str, str]) -> str:
    """Filter conditions on the facet values; the condition of passing an open filter (a
    language or mode) by stating nothing."""
    closed = [f"{name}:{value}" for name, value in filters.items() if name not in OPEN_FILTERS]
    if closed:
        sql.filters.append(f"d.facets @> CAST({sql.bind('closed', closed)} AS text[])")
    silent = []
    for name, value in filters.items():
        if name in OPEN_FILTERS:
            either = sql.bind(f"open_{name}", [f"{name}:{value}", f"{name}:unknown"])
            sql.filters.append(f"d.facets && CAST({either} AS text[])")
            silent.append(f"{name}:unknown")
    if not silent:
        return "false"
    return f"d.facets && CAST({sql.bind('silent', silent)} AS text[])"


def _distance(sql: _Sql, origin: Where | None) -> str:
    """The distance from the origin: 0 for a service placed by a region that contains it,
    else the nearest of its places (within the radius, found through the bounding-box index
    when there is one)."""
    if origin is None:
        return "NULL::float8"
    lat, lon = origin.point
    sql.bind("lat", lat)
    sql.bind("lon", lon)
    served = f"{sql.bind('region', origin.region_code or '')} = ANY(d.served)"
    if origin.radius_km is None:
        sql.joins += (
            f" LEFT JOIN LATERAL (SELECT min({_HAVERSINE}) AS km FROM search_places p"  # noqa: S608 - fixed fragments, values bound
            " WHERE p.docnum = d.docnum) n ON true"
        )
        return f"CASE WHEN {served} THEN 0 ELSE n.km END"
    span = origin.radius_km / KM_PER_DEGREE
    lat_lo, lat_hi = max(lat - span, -90.0), min(lat + span, 90.0)
    widest = max(abs(lat_lo), abs(lat_hi))
    lon_span = span / max(math.cos(math.radians(widest)), 0.01)
    box = [sql.bind(n, v) for n, v in (("lat_lo", lat_lo), ("lat_hi", lat_hi))]
    box += [sql.bind(n, v) for n, v in (("lon_lo", lon - lon_span), ("lon_hi", lon + lon_span))]
    sql.joins += (
        f" LEFT JOIN (SELECT p.docnum, min({_HAVERSINE}) AS km FROM search_places p"  # noqa: S608 - fixed fragments, values bound
        f" WHERE p.latitude BETWEEN {box[0]} AND {box[1]}"
        f" AND p.longitude BETWEEN {box[2]} AND {box[3]} GROUP BY p.docnum) n"
        " ON n.docnum = d.docnum"
    )
    radius = sql.bind("radius", origin.radius_km)
    return f"CASE WHEN {served} THEN 0 WHEN n.km <= {radius} THEN n.km END"


def _flags(silent: str) -> str:
    if silent == "false":
        return "d.flags"
    return f"(d.flags + CASE WHEN {silent} THEN {UNSTATED} ELSE 0 END)"


def _aggregated(sql: _Sql, order: str | None = None) -> str:
    """One row of arrays (decoded in C by the driver) rather than a row per candidate, and
    the candidates' facet lists as one string; with `order`, the documents in that order
    first (the other aggregates follow the scan's order, the same for all of one pass)."""
    columns = [f"array_agg(d.docnum ORDER BY {order})"] if order else []
    columns += [f"array_agg({column})" for column in sql.columns]
    columns.append(_FACET_LISTS)
    conditions = " AND ".join(f"({condition})" for condition in sql.filters) or "true"
    return f"SELECT {', '.join(columns)} FROM search_documents d{sql.joins} WHERE {conditions}"  # noqa: S608 - fragments built here, values bound


_FACET_LISTS = f"string_agg(d.facet_list, '{DOCUMENT_SEPARATOR}')"


@dataclass
class _Plan:
    """A candidates query. Each source of candidates (a concept's words, matched on the GIN
    index of the documents and ranked there; its sectors, on the GIN index of facet values;
    the close organisation names) reads the documents it matches, passing the filters, with
    what ranking needs of them; the candidates are those rows grouped by document. A
    document is never read for a source it does not match, nor joined back.

    A query with a single source (one concept of words only) is one pass over its matches.
    """

    sql: _Sql
    passing: str  # the filters' condition on `d`
    weights: str
    flags: str  # the flags' expression on `d`
    sources: list[tuple[str, str]] = field(default_factory=list)  # (slot, condition)
    slots: list[str] = field(default_factory=list)  # "<expression> AS <name>"

    def concept(self, number: int, concept: ConceptQuery) -> str:
        """The concept's score column (NULL where it does not match)."""
        sql, matched, score = self.sql, [], []
        if concept.tsquery is not None and concept.rank_query is not None:
            tsquery = f"CAST({sql.bind(f'q{number}', concept.tsquery)} AS tsquery)"
            # ts_rank reads the distinct lexemes of a query whatever their fields and
            # operators: the plain disjunction ranks as the field-bound query, for less work.
            ranked = f"CAST({sql.bind(f'r{number}', concept.rank_query)} AS tsquery)"
            rank = f"ts_rank(CAST({self.weights} AS float4[]), d.document, {ranked})"
            condition = f"d.document @@ {tsquery}"
            if concept.loose is not None:  # tested first (same cost to the planner: in order)
                loose = f"CAST({sql.bind(f'l{number}', concept.loose)} AS tsquery)"
                condition = f"d.document @@ {loose} AND {condition}"
            self._source(f"w{number}", f"{rank} * {concept.lexemes}", condition)
            matched.append(f"d.w{number} IS NOT NULL")
            score.append(f"coalesce(d.w{number}, 0)")
        if concept.sectors:
            sectors = f"CAST({sql.bind(f's{number}', concept.sectors)} AS text[])"
            self._source(f"s{number}", str(SECTOR_SCORE), f"d.facets && {sectors}")
            matched.append(f"d.s{number} IS NOT NULL")
            score.append(f"coalesce(d.s{number}, 0)")
        if not matched:
            return "NULL::float8"
        return f"CASE WHEN {' OR '.join(matched)} THEN {' + '.join(score)} END"

    def names(self, scores: dict[int, float]) -> str:
        """The close names' score column."""
        found = f"CAST({self.sql.bind('name_docs', list(scores))} AS bigint[])"
        score = f"{self.sql.bind('name_scores', list(scores.values()))}"
        self._source("n", f"{score}[array_position({found}, d.docnum)]", f"d.docnum = ANY({found})")
        return "d.n"

    def _source(self, slot: str, value: str, condition: str) -> None:
        self.slots.append(slot)
        self.sources.append((f"{value} AS {slot}", condition))

    def statement(self) -> str:
        """One row of arrays over the candidates (see `_aggregated`)."""
        columns = ", ".join(
            [*(f"array_agg({column})" for column in self.sql.columns), _FACET_LISTS]
        )
        rows = []
        for index, (value, condition) in enumerate(self.sources):
            slots = [
                value if number == index else f"NULL::float8 AS {name}"
                for number, name in enumerate(self.slots)
            ]
            rows.append(
                f"SELECT d.docnum, d.served, d.facet_list, {self.flags} AS flags,"  # noqa: S608 - fragments built here, values bound
                f" {', '.join(slots)} FROM search_documents d"
                f" WHERE {condition} AND {self.passing}"
            )
        if len(rows) == 1:  # one pass over the matches of the only source
            return f"SELECT {columns} FROM ({rows[0]}) d{self.sql.joins}"  # noqa: S608 - fragments built here, values bound
        grouped = ", ".join(f"max({slot}) AS {slot}" for slot in self.slots)
        return (
            f"WITH c AS ({' UNION ALL '.join(rows)}),"  # noqa: S608 - fragments built here, values bound
            f" g AS (SELECT docnum, min(served) AS served, min(facet_list) AS facet_list,"
            f" min(flags) AS flags, {grouped} FROM c GROUP BY docnum)"
            f" SELECT {columns} FROM g d{self.sql.joins}"
        )


def _empty(origin: Where | None) -> Candidates:
    nothing: set[int] = set()
    return Candidates(
        concepts=[],
        names={},
        verified=nothing,
        victims=nothing,
        authors=nothing,
        unknown=nothing,
        remote=nothing,
        km=None if origin is None else {},
    )


def _sets(flags: Sequence[int], docnums: Sequence[int]) -> FlagSets:
    """The documents with each flag (grouped by their flags first: a few distinct values)."""
    by_flags: dict[int, list[int]] = {}
    for docnum, bits in zip(docnums, flags, strict=True):
        by_flags.setdefault(bits, []).append(docnum)

    def flagged(bit: int) -> set[int]:
        return {d for bits, group in by_flags.items() if bits & bit for d in group}

    return FlagSets(
        verified=flagged(VERIFIED),
        victims=flagged(VICTIMS),
        authors=flagged(AUTHORS),
        remote=flagged(REMOTE),
        unknown=flagged(UNSTATED),
    )


def _km(docnums: Sequence[int], distances: Sequence[float | None]) -> dict[int, float]:
    return {d: km for d, km in zip(docnums, distances, strict=True) if km is not None}


class PostgresRetrieval:
    """`engine.Retrieval` on the search tables, through `session` (the request's)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._facets: dict[int, str] = {}  # facet values of the documents read so far

    def vocabulary(self, words: Sequence[str], thesaurus: Thesaurus) -> Vocabulary:
        """The query words the index holds, and index words close to those that may be typos
        (trigram similarity; the planner then keeps only the close enough)."""
        suspects = [word for word in dict.fromkeys(words) if correctable(word, thesaurus)]
        rows = self.session.execute(
            text(
                "SELECT word, true FROM search_words WHERE word = ANY(CAST(:words AS text[]))"
                " UNION ALL SELECT c.word, false FROM unnest(CAST(:suspects AS text[])) AS s(q)"
                " CROSS JOIN LATERAL (SELECT word FROM search_words WHERE word % s.q"
                " ORDER BY similarity(word, s.q) DESC, word LIMIT :limit) c"
            ),
            {"words": list(words), "suspects": suspects, "limit": CORRECTION_CANDIDATES},
        ).all()
        close = sorted({word for word, held in rows if not held})
        extra = sorted(thesaurus.vocabulary - set(close))
        return Vocabulary(words=frozenset(word for word, _ in rows), candidates=close + extra)

    def name_candidates(self, folded: str) -> Sequence[str]:
        rows = self.session.execute(
            text(
                "SELECT name_key FROM search_documents WHERE name_key % :q OR :q <% name_key"
                " UNION SELECT acronym_key FROM search_documents"
                " WHERE acronym_key % :q OR :q <% acronym_key LIMIT :limit"
            ),
            {"q": folded, "limit": NAME_CANDIDATES},
        )
        return sorted(name for (name,) in rows)

    def _names(self, names: Sequence[tuple[str, float]]) -> dict[int, float]:
        """Whole-name matches: NAME_SCORE times the match's boost (relative to the best) and
        the name's idf (relative to a name held by one document), as Whoosh weighs them."""
        if not names:
            return {}
        boosts = dict(names)
        rows = self.session.execute(
            text(
                "SELECT docnum, name_key, acronym_key FROM search_documents"
                " WHERE name_key = ANY(CAST(:names AS text[]))"
                " OR acronym_key = ANY(CAST(:names AS text[]))"
            ),
            {"names": list(boosts)},
        ).all()
        total = self._document_count()
        counts: dict[tuple[int, str], int] = {}
        for _docnum, name, acronym in rows:
            for column, key in ((1, name), (2, acronym)):
                if key in boosts:
                    counts[column, key] = counts.get((column, key), 0) + 1

        def idf(column: int, key: str) -> float:
            return (math.log(total / (counts[column, key] + 1)) + 1) / (math.log(total / 2) + 1)

        scores: dict[int, float] = {}
        for docnum, name, acronym in rows:
            for column, key in ((1, name), (2, acronym)):
                if key in boosts:
                    score = NAME_SCORE * boosts[key] / NAME_BOOST * idf(column, key)
                    scores[docnum] = scores.get(docnum, 0.0) + score
        return scores

    def _document_count(self) -> int:
        """Documents in the index: the planner's estimate, counted while there is none."""
        estimate = self.session.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = 'search_documents'::regclass")
        ).scalar()
        if estimate is None or estimate < 1:
            estimate = self.session.execute(text("SELECT count(*) FROM search_documents")).scalar()
        return max(int(estimate or 0), 2)

    def candidates(self, query: Retrieve) -> Candidates:
        concepts = concept_queries(self.session, query.concepts)
        names = self._names(query.names)
        sql = _Sql(columns=["d.docnum"])
        silent = _filters(sql, query.filters)
        passing = " AND ".join(f"({condition})" for condition in sql.filters) or "true"
        plan = _Plan(sql, passing, sql.bind("weights", RANK_WEIGHTS), _flags(silent))
        for number, concept in enumerate(concepts):
            sql.columns.append(plan.concept(number, concept))
        sql.columns.append(plan.names(names) if names else "NULL::float8")
        sql.columns += ["d.flags", _distance(sql, query.origin)]
        if not plan.sources:
            return _empty(query.origin)
        row = self.session.execute(text(plan.statement()), sql.params).one()
        docnums = row[0] or []
        columns = [column or [] for column in row[1:-1]]
        *scores, named, flags, distances = columns
        self._read_facets(docnums, row[-1])
        return Candidates(
            concepts=[
                {d: s for d, s in zip(docnums, column, strict=True) if s is not None}
                for column in scores
            ],
            names={d: s for d, s in zip(docnums, named, strict=True) if s is not None},
            km=None if query.origin is None else _km(docnums, distances),
            **_sets(flags, docnums),
        )

    def browse(self, filters: Mapping[str, str], origin: Where | None) -> Candidates:
        sql = _Sql(columns=["d.docnum"])
        silent = _filters(sql, filters)
        sql.columns += [_flags(silent), _distance(sql, origin)]
        order = 'd.name_sort COLLATE "C", d.docnum'  # byte order, as Whoosh's sort column
        row = self.session.execute(text(_aggregated(sql, order)), sql.params).one()
        by_name, docnums, flags, distances = (column or [] for column in row[:-1])
        self._read_facets(docnums, row[-1])
        sets = _sets(flags, docnums)
        return Candidates(
            concepts=[],
            names={},
            by_name={d: (0, 0, float(rank), d, 0.0) for rank, d in enumerate(by_name)},
            km=None if origin is None else _km(docnums, distances),
            **sets,
        )

    def distances(self, where: Where, docnums: Collection[int]) -> dict[int, float]:
        if not docnums:
            return {}
        params = {"lat": where.point[0], "lon": where.point[1], "docs": list(docnums)}
        params["region"] = where.region_code or ""
        rows = self.session.execute(
            text(
                "SELECT d.docnum, CASE WHEN :region = ANY(d.served) THEN 0 ELSE"  # noqa: S608 - fixed fragments, values bound
                f" (SELECT min({_HAVERSINE}) FROM search_places p WHERE p.docnum = d.docnum)"
                " END FROM search_documents d WHERE d.docnum = ANY(CAST(:docs AS bigint[]))"
            ),
            params,
        )
        return {docnum: km for docnum, km in rows if km is not None}

    def facets(self, docnums: Collection[int]) -> dict[str, dict[str, int]]:
        """Counted from the facet values read with the candidates; those of documents not
        read yet are read first."""
        missing = [docnum for docnum in docnums if docnum not in self._facets]
        if missing:
            rows = self.session.execute(
                text(
                    "SELECT d.docnum, d.facet_list FROM unnest(CAST(:docs AS bigint[])) AS w(n)"
                    " JOIN search_documents d ON d.docnum = w.n"
                ),
                {"docs": missing},
            )
            self._facets.update(rows.tuples().all())
        known = self._facets
        lists = [known[docnum] for docnum in docnums if known.get(docnum)]
        # One join and one split in C, counted in C: no Python step per value.
        values = Counter(FACET_SEPARATOR.join(lists).split(FACET_SEPARATOR)) if lists else {}
        counts: dict[str, dict[str, int]] = {}
        for value, count in values.items():
            name, _, code = value.partition(":")
            if name in FACET_FIELDS:
                counts.setdefault(name, {})[code] = count
        return sorted_facets(counts)

    def _read_facets(self, docnums: Sequence[int], lists: str | None) -> None:
        if docnums:
            read = (lists or "").split(DOCUMENT_SEPARATOR)
            self._facets.update(zip(docnums, read, strict=True))

    def payloads(self, docnums: Iterable[int]) -> dict[int, dict[str, Any]]:
        wanted = list(docnums)
        if not wanted:
            return {}
        rows = self.session.execute(
            text(
                "SELECT docnum, payload FROM search_documents"
                " WHERE docnum = ANY(CAST(:docs AS bigint[]))"
            ),
            {"docs": wanted},
        )
        return dict(rows.tuples().all())


def _words(concept: Concept) -> list[tuple[str, ...]]:
    return [concept.typed, *concept.terms]


def search(session: Session, request: SearchRequest, context: SearchContext) -> SearchResult:
    """Run `request` on the search tables as `session`'s transaction sees them."""
    return execute(PostgresRetrieval(session), request, context)
