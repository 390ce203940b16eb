"""Differential: the report the pages serve, counted in SQL (`queries.report_tally`), equals
the pure reference computation over the rows (`report.compute`), on the reconstructed
project data, on random questionnaires and on online answers, for every kind of filter."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

import pytest

from directory.evaluations import operations, queries
from directory.evaluations.codes import COOCCURRENCE_GROUPS, ITEMS, MEETING_TYPES, ROUNDS, SCALES
from directory.evaluations.report import Filters, compute, summarise
from directory.extensions import db
from tests.evaluation_factories import create_meeting, issue_link
from tests.fixtures.evaluation_report import build

FILTERS = [
    Filters(),
    Filters(region="06"),
    Filters(region="10"),
    Filters(round="follow_up"),
    Filters(meeting_type="consultation"),
    Filters(start=date(2018, 9, 1)),
    Filters(end=date(2018, 9, 1)),
    Filters(start=date(2018, 3, 1), end=date(2018, 12, 31), region="03", round="first"),
    Filters(start=date(2030, 1, 1)),
]
SECTORS = ("VCF", "VCH", "MT", "PSM", "PC", "POLICE", "SCOLAIRE", "DI", "JUSTICE")


def _random_csv(tmp_path, size, seed):
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    rows = []
    for number in range(size):
        meeting = random.Random(number // 3)  # noqa: S311 - the same facts for a meeting
        role = rng.choice(("on_file", "external_expert"))
        held = date(2018, 1, 1) + timedelta(days=meeting.randrange(700))
        row = {
            "meeting_ref": f"aleatoire-{number // 3}",
            "region": meeting.choice(("02", "03", "06")),
            "meeting_type": meeting.choice(MEETING_TYPES),
            "round": meeting.choice(ROUNDS),
            "cooccurrence": meeting.choice(COOCCURRENCE_GROUPS),
            "meeting_date": "" if number // 3 % 10 == 0 else held.isoformat(),  # some undated
            "role": role,
            "referrer": rng.choice(("yes", "no", "")) if role == "on_file" else "",
            "sector": rng.choice(SECTORS),
        }
        row.update({item: rng.choice(("", *SCALES[item])) for item in ITEMS})
        if role == "external_expert":
            row["practice"] = ""
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / f"aleatoire-{seed}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _import(app, path):
    result = app.test_cli_runner().invoke(args=["evaluations", "import", str(path)])
    assert result.exit_code == 0, result.output


def _assert_same(app):
    with app.app_context():
        rows = queries.report_rows()
        for filters in FILTERS:
            expected = compute(rows, filters).as_json()
            assert summarise(queries.report_tally(filters)).as_json() == expected, filters


def test_sql_and_reference_agree_on_the_reconstructed_project(app):
    _import(app, build.OUTPUT)
    _assert_same(app)


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_and_reference_agree_on_random_questionnaires(app, tmp_path, seed):
    _import(app, _random_csv(tmp_path, 240, seed))
    _assert_same(app)


def test_sql_and_reference_agree_with_online_answers(app):
    _import(app, build.OUTPUT)
    meeting = create_meeting(region_code="06", cooccurrences=["PC"])
    links = [issue_link(meeting, role, sector) for role, sector in
             (("referrer", "VCF"), ("on_file", "DI"), ("external_expert", "PC"))]  # fmt: skip
    for issued, security in zip(links, ("oui", "non", None), strict=True):
        operations.record_answers(
            issued.link, {"security": security, "s1": "satisfaisant"}, helped="", difficult=""
        )
    db.session.commit()  # into the test's transaction: an application context closes the session
    _assert_same(app)
    with app.app_context():
        tally = queries.report_tally(Filters(region="06"))
        assert tally.meetings == 37  # 36 project meetings in Montréal and the online one
        assert summarise(tally).breakdowns["security"]["by_cooccurrence"]["PC"].n == 2


def test_a_period_leaves_undated_meetings_out_and_says_how_many(app, tmp_path):
    _import(app, _random_csv(tmp_path, 60, 3))  # 2 of its 20 meetings (6 rows) undated
    with app.app_context():
        assert queries.undated_left_out(Filters()) == 0
        assert queries.undated_left_out(Filters(start=date(2000, 1, 1))) == 6
        whole = summarise(queries.report_tally(Filters())).questionnaires
        dated = summarise(queries.report_tally(Filters(start=date(2000, 1, 1)))).questionnaires
    assert (whole, dated) == (60, 54)
