"""Reading and checking a CSV file of past questionnaires (strict: one problem refuses the file).

One row per questionnaire, UTF-8 with a header. The columns are the issue's; `meeting_date`
(YYYY-MM-DD) may be added so that the reports' period filter can place the meeting. An empty
cell is a missing answer. Every problem names its line (as a text editor counts them, the
header being line 1) and its column. Nothing here touches the database: the caller passes the
reference codes and the meetings already stored, and stores the rows only when there is no
problem at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l

from directory.evaluations.codes import (
    COOCCURRENCE_ORDER,
    ITEMS,
    MEETING_TYPES,
    ON_FILE_ONLY,
    ROLES,
    ROUNDS,
    SCALES,
    cooccurrence_key,
)

MEETING_COLUMNS = ("region", "meeting_type", "round", "cooccurrence", "meeting_date")
REQUIRED_COLUMNS = (
    "meeting_ref",
    "region",
    "meeting_type",
    "round",
    "cooccurrence",
    "role",
    "referrer",
    "sector",
    *ITEMS,
)
OPTIONAL_COLUMNS = ("meeting_date",)
MAX_REF_LENGTH = 64
REFERRER_VALUES = {"yes": True, "no": False, "": None}


@dataclass(frozen=True)
class Problem:
    """Why the file is refused: where (line, column) and what, in the interface language."""

    line: int
    column: str | None
    message: LazyString | str

    def __str__(self) -> str:
        if self.column is None:
            return str(_l("Ligne %(line)s : %(message)s", line=self.line, message=self.message))
        return str(
            _l(
                "Ligne %(line)s, colonne « %(column)s » : %(message)s",
                line=self.line,
                column=self.column,
                message=self.message,
            )
        )


class ImportRejectedError(Exception):
    """The file has problems: nothing of it may be stored."""

    def __init__(self, problems: list[Problem], *, more: int = 0) -> None:
        super().__init__(f"{len(problems) + more} problems, the first on line {problems[0].line}")
        self.problems = problems
        self.more = more  # problems found beyond the ones listed


@dataclass(frozen=True)
class MeetingFacts:
    """What every questionnaire about one meeting must agree on."""

    region: str
    meeting_type: str
    round: str
    cooccurrence: str
    meeting_date: date | None

    def differing_column(self, other: MeetingFacts) -> str | None:
        for column in MEETING_COLUMNS:
            if getattr(self, column) != getattr(other, column):
                return column
        return None


@dataclass(frozen=True)
class Row:
    """One checked questionnaire of the file."""

    line: int
    meeting_ref: str
    meeting: MeetingFacts
    role: str
    referrer: bool | None
    sector: str
    answers: dict[str, str | None]

    def fingerprint(self) -> str:
        """The row's content, canonical: the same questionnaire gives the same text."""
        values: list[Any] = [self.meeting_ref, *(getattr(self.meeting, c) for c in MEETING_COLUMNS)]
        values += [self.role, self.referrer, self.sector, *(self.answers[i] for i in ITEMS)]
        return "\x1f".join("" if value is None else str(value) for value in values)


def _no_stored_meetings(_refs: set[str]) -> Mapping[str, MeetingFacts]:
    return {}


@dataclass(frozen=True)
class Reference:
    """What the rows are checked against: reference codes, today, and a lookup of what the
    questionnaires already stored say of the file's meetings."""

    regions: frozenset[str]
    sectors: frozenset[str]
    today: date
    stored_meetings: Callable[[set[str]], Mapping[str, MeetingFacts]] = _no_stored_meetings


def source_keys(rows: list[Row]) -> list[str]:
    """A key per row for idempotent imports: its content's hash and its rank among identical
    rows (two participants may well give the same answers: both are kept)."""
    seen: Counter[str] = Counter()
    keys = []
    for row in rows:
        digest = hashlib.sha256(row.fingerprint().encode("utf-8")).hexdigest()
        seen[digest] += 1
        keys.append(f"{digest}:{seen[digest]}")
    return keys


def decode(data: bytes) -> str:
    """The file's text (a UTF-8 byte-order mark is dropped); a line-numbered problem if not
    UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = Problem(
            line, None, _l("le fichier n'est pas en UTF-8 (enregistrez-le en UTF-8).")
        )
        raise ImportRejectedError([problem]) from error


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of every record; blank lines and rows of empty cells are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    try:
        for fields in reader:
            first, previous = previous + 1, reader.line_num
            if any(value.strip() for value in fields):
                yield first, fields
    except csv.Error as error:
        problem = Problem(reader.line_num, None, _l("CSV mal formé (%(error)s).", error=error))
        raise ImportRejectedError([problem]) from error


def _header(line: int, fields: list[str]) -> list[str]:
    names = [name.strip() for name in fields]
    for name in names:
        if names.count(name) > 1:
            raise ImportRejectedError([Problem(line, name, _l("colonne en double."))])
        if name not in REQUIRED_COLUMNS and name not in OPTIONAL_COLUMNS:
            expected = ", ".join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))
            message = _l("colonne inconnue (colonnes permises : %(expected)s).", expected=expected)
            raise ImportRejectedError([Problem(line, name or "?", message)])
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ImportRejectedError(
            [
                Problem(line, column, _l("colonne obligatoire absente de l'en-tête."))
                for column in missing
            ]
        )
    return names


class _RowChecker:
    """Checks one record's cells, collecting the problems of the row."""

    def __init__(self, line: int, cells: dict[str, str], reference: Reference) -> None:
        self.line = line
        self.cells = cells
        self.reference = reference
        self.problems: list[Problem] = []

    def fail(self, column: str, message: LazyString) -> None:
        self.problems.append(Problem(self.line, column, message))

    def one_of(
        self, column: str, allowed: tuple[str, ...], *, optional: bool = False
    ) -> str | None:
        value = self.cells.get(column, "")
        if optional and value == "":
            return None
        if value in allowed:
            return value
        choices = ", ".join(allowed)
        if value == "":
            self.fail(column, _l("valeur obligatoire (attendu : %(choices)s).", choices=choices))
        elif optional:
            message = _l(
                "valeur « %(value)s » invalide (attendu : %(choices)s, ou vide pour une réponse "
                "manquante).",
                value=value,
                choices=choices,
            )
            self.fail(column, message)
        else:
            message = _l(
                "valeur « %(value)s » invalide (attendu : %(choices)s).",
                value=value,
                choices=choices,
            )
            self.fail(column, message)
        return None

    def known(self, column: str, known: frozenset[str], hint: LazyString) -> str | None:
        value = self.cells[column]
        if value == "":
            self.fail(column, _l("valeur obligatoire (%(hint)s).", hint=hint))
        elif value not in known:
            self.fail(
                column, _l("valeur « %(value)s » inconnue (%(hint)s).", value=value, hint=hint)
            )
        return value if value in known else None

    def meeting_ref(self) -> str | None:
        value = self.cells["meeting_ref"]
        if not value:
            self.fail("meeting_ref", _l("l'identifiant de la rencontre est obligatoire."))
        elif len(value) > MAX_REF_LENGTH:
            self.fail("meeting_ref", _l("identifiant trop long (64 caractères au plus)."))
        return value or None

    def cooccurrence(self) -> str | None:
        value = self.cells["cooccurrence"]
        codes = [code.strip() for code in value.split("+")]
        hint = _l("codes MT, PSM, PC joints par « + », par exemple MT+PSM")
        if not value:
            self.fail("cooccurrence", _l("valeur obligatoire (%(hint)s).", hint=hint))
        elif any(code not in COOCCURRENCE_ORDER for code in codes) or len(set(codes)) < len(codes):
            message = _l("valeur « %(value)s » invalide (%(hint)s).", value=value, hint=hint)
            self.fail("cooccurrence", message)
        else:
            return cooccurrence_key(codes)
        return None

    def meeting_date(self) -> date | None:
        value = self.cells.get("meeting_date", "")
        if not value:
            return None
        try:
            found = date.fromisoformat(value)
        except ValueError:
            found = None
        if found is None or len(value) != len("2019-05-31"):
            self.fail("meeting_date", _l("date « %(value)s » invalide (AAAA-MM-JJ).", value=value))
            return None
        if found > self.reference.today:
            self.fail("meeting_date", _l("date « %(value)s » dans le futur.", value=value))
            return None
        return found

    def referrer(self, role: str | None) -> bool | None:
        value = self.cells["referrer"]
        if value not in REFERRER_VALUES:
            self.fail(
                "referrer",
                _l("valeur « %(value)s » invalide (attendu : yes, no ou vide).", value=value),
            )
            return None
        if role == "external_expert" and REFERRER_VALUES[value]:
            self.fail(
                "referrer",
                _l("une experte ou un expert externe n'est pas au dossier : pas référent·e."),
            )
        return REFERRER_VALUES[value]

    def answers(self, role: str | None) -> dict[str, str | None]:
        answers = {item: self.one_of(item, SCALES[item], optional=True) for item in ITEMS}
        for item in ON_FILE_ONLY:
            if role == "external_expert" and answers[item] is not None:
                self.fail(
                    item,
                    _l("question posée aux intervenant·e·s au dossier seulement (laisser vide)."),
                )
        return answers


def _check_row(
    line: int, cells: dict[str, str], reference: Reference
) -> tuple[Row | None, list[Problem]]:
    check = _RowChecker(line, cells, reference)
    ref = check.meeting_ref()
    region = check.known("region", reference.regions, _l("code de région à deux chiffres, 01 à 17"))
    meeting_type = check.one_of("meeting_type", MEETING_TYPES)
    round_ = check.one_of("round", ROUNDS)
    cooccurrence = check.cooccurrence()
    meeting_date = check.meeting_date()
    role = check.one_of("role", ROLES)
    referrer = check.referrer(role)
    sector = check.known(
        "sector",
        reference.sectors,
        _l("code de secteur du répertoire : VCF, VCH, MT, PSM, PC, AS, …"),
    )
    answers = check.answers(role)
    if check.problems:
        return None, check.problems
    row = Row(
        line=line,
        meeting_ref=str(ref),
        meeting=MeetingFacts(
            str(region), str(meeting_type), str(round_), str(cooccurrence), meeting_date
        ),
        role=str(role),
        referrer=referrer,
        sector=str(sector),
        answers=answers,
    )
    return row, []


def _meeting_problem(row: Row, known: MeetingFacts, where: LazyString) -> Problem | None:
    column = row.meeting.differing_column(known)
    if column is None:
        return None
    expected = getattr(known, column)
    return Problem(
        row.line,
        column,
        _l(
            "la rencontre « %(ref)s » a « %(expected)s » %(where)s : toutes ses lignes "
            "doivent concorder.",
            ref=row.meeting_ref,
            expected="" if expected is None else expected,
            where=where,
        ),
    )


def _consistency(rows: list[Row], reference: Reference) -> list[Problem]:
    """Every questionnaire of a meeting agrees on the meeting (region, type, round, …), within
    the file and with what is already stored."""
    problems = []
    first: dict[str, Row] = {}
    stored_meetings = reference.stored_meetings({row.meeting_ref for row in rows})
    for row in rows:
        stored = stored_meetings.get(row.meeting_ref)
        earlier = first.setdefault(row.meeting_ref, row)
        problem = None
        if stored is not None:
            problem = _meeting_problem(row, stored, _l("dans les questionnaires déjà importés"))
        if problem is None and earlier is not row:
            problem = _meeting_problem(
                row, earlier.meeting, _l("à la ligne %(line)s", line=earlier.line)
            )
        if problem is not None:
            problems.append(problem)
    return problems


@dataclass(frozen=True)
class Records:
    """The file's header and data records, each with its first line."""

    header: tuple[int, list[str]]
    body: list[tuple[int, list[str]]]


def records(data: bytes) -> Records:
    """Decode and split the file; a file without a header or without data is refused."""
    found = list(_records(decode(data)))
    if not found:
        raise ImportRejectedError([Problem(1, None, _l("fichier vide : l'en-tête manque."))])
    header, body = found[0], found[1:]
    if not body:
        message = _l("aucun questionnaire après l'en-tête.")
        raise ImportRejectedError([Problem(header[0], None, message)])
    return Records(header=header, body=body)


def check(
    found: Records,
    reference: Reference,
    *,
    progress: Callable[[int], None] | None = None,
    max_problems: int = 20,
) -> list[Row]:
    """The checked rows, or ImportRejectedError listing (up to `max_problems`) problems."""
    names = _header(*found.header)
    rows: list[Row] = []
    problems: list[Problem] = []
    for line, fields in found.body:
        if len(fields) != len(names):
            message = lazy_ngettext(
                "%(num)s champ au lieu de %(expected)s.",
                "%(num)s champs au lieu de %(expected)s.",
                len(fields),
                expected=len(names),
            )
            problems.append(Problem(line, None, message))
        else:
            cells = dict(zip(names, (value.strip() for value in fields), strict=True))
            row, found_problems = _check_row(line, cells, reference)
            problems += found_problems
            if row is not None:
                rows.append(row)
        if progress is not None:
            progress(1)
    problems += _consistency(rows, reference)
    if problems:
        problems.sort(key=lambda problem: problem.line)
        more = max(0, len(problems) - max_problems)
        raise ImportRejectedError(problems[:max_problems], more=more)
    return rows


def read(data: bytes, reference: Reference) -> list[Row]:
    """`check(records(data), reference)`: the file's checked rows."""
    return check(records(data), reference)
