"""The CSV reader, pure: line numbers as an editor counts them, what is tolerated (a BOM, blank
lines, spaces around values, any column order) and the keys that make imports idempotent."""

from __future__ import annotations

from datetime import date

import pytest

from directory.evaluations import importer
from directory.evaluations.importer import ImportRejectedError, MeetingFacts

HEADER = (
    "meeting_ref,region,meeting_type,round,cooccurrence,role,referrer,sector,security,practice,"
    "strategy,knowledge,understanding,partners,s1,s2,s3,s4,s5,s6,s7,divergence"
)
LINE = "m1,02,concertation,first,PSM+MT,on_file,yes,VCF,oui,,oui,,,,,,,,,,,non"
REFERENCE = importer.Reference(
    regions=frozenset({"02", "03"}),
    sectors=frozenset({"VCF", "PC", "POLICE"}),
    today=date(2026, 1, 1),
)


def _read(text, reference=REFERENCE):
    return importer.read(text.encode("utf-8"), reference)


def _problems(text, reference=REFERENCE):
    with pytest.raises(ImportRejectedError) as refused:
        _read(text, reference)
    return [(problem.line, problem.column) for problem in refused.value.problems]


def test_a_row_is_read_with_canonical_codes():
    [row] = _read(f"{HEADER}\n{LINE}\n")
    assert row.line == 2
    assert row.meeting == MeetingFacts("02", "concertation", "first", "MT+PSM", None)
    assert (row.role, row.referrer, row.sector) == ("on_file", True, "VCF")
    assert row.answers["security"] == "oui"
    assert row.answers["practice"] is None
    assert row.answers["divergence"] == "non"


def test_tolerated_a_bom_blank_lines_spaces_crlf_and_any_column_order():
    columns = HEADER.split(",")
    values = LINE.split(",")
    reordered_header = ",".join(reversed(columns))
    reordered = ",".join(f" {value} " for value in reversed(values))
    text = f"\ufeff{reordered_header}\r\n\r\n{reordered}\r\n,,,\r\n"
    [row] = _read(text)
    assert row.line == 3
    assert row.meeting.cooccurrence == "MT+PSM"


def test_line_numbers_follow_the_file_across_quoted_line_breaks():
    quoted = '"m\n1",02,concertation,first,MT,on_file,,VCF,oui,,,,,,,,,,,,,'
    text = f"{HEADER}\n{quoted}\n{LINE.replace('oui', 'x', 1)}\n"
    assert _problems(text) == [(4, "security")]


def test_every_problem_of_a_row_is_listed_in_line_order():
    bad_second = LINE.replace("02", "99").replace(",VCF,", ",XX,")
    bad_third = LINE.replace("on_file,yes", "external_expert,yes")
    assert _problems(f"{HEADER}\n{LINE}\n{bad_second}\n{bad_third}\n") == [
        (3, "region"),
        (3, "sector"),
        (4, "referrer"),
    ]


def test_stored_meetings_are_checked_through_the_lookup():
    stored = {"m1": MeetingFacts("02", "concertation", "follow_up", "MT+PSM", None)}
    reference = importer.Reference(
        regions=REFERENCE.regions,
        sectors=REFERENCE.sectors,
        today=REFERENCE.today,
        stored_meetings=lambda refs: {ref: stored[ref] for ref in refs if ref in stored},
    )
    assert _problems(f"{HEADER}\n{LINE}\n", reference) == [(2, "round")]


def test_source_keys_tell_identical_questionnaires_apart_by_rank():
    rows = _read(f"{HEADER}\n{LINE}\n{LINE}\n{LINE.replace('oui', 'non', 1)}\n")
    keys = importer.source_keys(rows)
    assert keys[0].endswith(":1")
    assert keys[1].endswith(":2")
    assert keys[0].split(":")[0] == keys[1].split(":")[0]
    assert keys[2].split(":")[0] != keys[0].split(":")[0]
    assert len(set(keys)) == 3
    # The same questionnaire gives the same key whatever its line or the column order.
    again = importer.source_keys(_read(f"{HEADER}\n{LINE.replace('oui', 'non', 1)}\n"))
    assert again == [keys[2].rsplit(":", 1)[0] + ":1"]


def test_a_ragged_csv_quote_is_refused_with_its_line():
    assert _problems(f'{HEADER}\n{LINE}\nm2,"02,concertation\n') == [(3, None)]
