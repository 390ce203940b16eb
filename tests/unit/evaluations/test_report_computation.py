"""The report computation, pure: percentages on valid answers rounded half up, missing answers
apart, unknown percentages when nothing was answered, « Autres » grouping, breakdowns and
filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.evaluations.codes import (
    COOCCURRENCE_GROUPS,
    ITEMS,
    SCALES,
    cooccurrence_key,
    sector_group,
)
from directory.evaluations.report import Filters, Questionnaire, compute, percent

BASE = Questionnaire(
    meeting="ref:a",
    region="02",
    meeting_type="concertation",
    round="first",
    cooccurrence="MT+PSM",
    role="on_file",
    referrer=True,
    sector="VCF",
    meeting_date=date(2019, 3, 12),
    answers=dict.fromkeys(ITEMS),
)


def _answered(**answers):
    return replace(BASE, answers={**dict.fromkeys(ITEMS), **answers})


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (198, 228, 86.8),
        (7, 228, 3.1),
        (3, 16, 18.8),  # 18.75: half up, as Excel (Annexe C prints 18,8)
        (13, 16, 81.3),  # 81.25
        (1, 8, 12.5),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (0, 0, None),  # unknown, never 0
    ],
)
def test_percent_rounds_half_up_to_one_decimal(part, whole, expected):
    assert percent(part, whole) == expected


def test_a_distribution_counts_valid_answers_and_missing_ones_apart():
    rows = [_answered(security="oui")] * 3 + [_answered(security="non"), _answered()]
    report = compute(rows)
    security = report.items["security"].as_json()
    assert security == {
        "n": 4,
        "missing": 1,
        "counts": {"oui": 3, "non": 1, "incertain": 0},
        "pct": {"oui": 75.0, "non": 25.0, "incertain": 0.0},
    }


def test_nothing_answered_gives_unknown_percentages():
    report = compute([_answered(), _answered()])
    assert report.items["s1"].as_json() == {
        "n": 0,
        "missing": 2,
        "counts": dict.fromkeys(SCALES["s1"], 0),
        "pct": dict.fromkeys(SCALES["s1"], None),
    }


def test_sectors_outside_the_five_are_grouped_as_autres():
    sectors = ["VCF", "VCH", "MT", "PSM", "PC", "POLICE", "SCOLAIRE", "DI", "FAMILLE"]
    report = compute([replace(BASE, sector=code) for code in sectors])
    assert report.by_sector == {"VCF": 1, "VCH": 1, "MT": 1, "PSM": 1, "PC": 1, "AUTRES": 4}
    assert [sector_group(code) for code in ("AS", "JUSTICE", "VCF")] == ["AUTRES", "AUTRES", "VCF"]


def test_roles_count_referrers_among_practitioners_on_the_file():
    rows = [
        replace(BASE, referrer=True),
        replace(BASE, referrer=False),
        replace(BASE, referrer=None),
        replace(BASE, role="external_expert", referrer=None),
    ]
    assert compute(rows).by_role == {"on_file": 3, "referrer": 1, "external_expert": 1}


def test_meetings_are_distinct_meetings_answered_about():
    rows = [replace(BASE, meeting=key) for key in ("ref:a", "ref:a", "ref:b", "meeting:1")]
    assert compute(rows).meetings == 3


def test_breakdowns_hold_every_group_in_the_report_order():
    rows = [
        replace(_answered(divergence="oui"), sector="POLICE", cooccurrence="PSM+PC"),
        replace(_answered(divergence="non"), sector="VCH", role="external_expert"),
    ]
    breakdowns = compute(rows).as_json()["breakdowns"]
    assert list(breakdowns) == ["security", "practice", "strategy", "divergence"]
    divergence = breakdowns["divergence"]
    assert list(divergence["by_sector"]) == ["VCF", "VCH", "MT", "PSM", "PC", "AUTRES"]
    assert list(divergence["by_cooccurrence"]) == list(COOCCURRENCE_GROUPS)
    assert list(divergence["by_role"]) == ["on_file", "external_expert"]
    assert divergence["by_sector"]["AUTRES"]["counts"] == {"oui": 1, "non": 0}
    assert divergence["by_cooccurrence"]["PSM+PC"]["pct"] == {"oui": 100.0, "non": 0.0}
    assert divergence["by_cooccurrence"]["MT"]["pct"] == {"oui": None, "non": None}
    assert divergence["by_role"]["external_expert"]["counts"] == {"oui": 0, "non": 1}


def test_the_json_shape_is_the_issue_s():
    report = compute([_answered(security="oui", s7="satisfaisant")]).as_json()
    assert list(report) == [
        "questionnaires", "meetings", "participation", "outcomes", "benefits", "satisfaction",
        "divergence", "breakdowns",
    ]  # fmt: skip
    assert list(report["participation"]) == ["by_sector", "by_role"]
    assert list(report["outcomes"]) == ["security", "practice", "strategy"]
    assert list(report["benefits"]) == ["knowledge", "understanding", "partners"]
    assert list(report["satisfaction"]) == [f"s{number}" for number in range(1, 8)]
    assert set(report["divergence"]) == {"n", "missing", "counts", "pct"}


REGION_03 = replace(BASE, region="03", meeting="ref:b")
FOLLOW_UP = replace(BASE, round="follow_up", meeting="ref:c", meeting_date=date(2019, 5, 2))
CONSULTATION = replace(BASE, meeting_type="consultation", meeting="ref:d")
UNDATED = replace(BASE, meeting_date=None, meeting="ref:e")
ALL = [BASE, REGION_03, FOLLOW_UP, CONSULTATION, UNDATED]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ALL),
        (Filters(region="03"), [REGION_03]),
        (Filters(round="follow_up"), [FOLLOW_UP]),
        (Filters(meeting_type="consultation"), [CONSULTATION]),
        (Filters(start=date(2019, 4, 1)), [FOLLOW_UP]),
        (Filters(end=date(2019, 3, 12)), [BASE, REGION_03, CONSULTATION]),  # `to` is inclusive
        (Filters(start=date(2019, 3, 12), end=date(2019, 3, 12)), [BASE, REGION_03, CONSULTATION]),
        (Filters(region="02", round="first"), [BASE, CONSULTATION, UNDATED]),
        (Filters(region="10"), []),
    ],
)
def test_filters_select_the_questionnaires(filters, expected):
    assert [item for item in ALL if filters.admits(item)] == expected
    assert compute(ALL, filters).questionnaires == len(expected)


def test_cooccurrence_keys_are_canonical():
    assert cooccurrence_key(["PSM", "MT"]) == "MT+PSM"
    assert cooccurrence_key({"PC", "MT", "PSM"}) == "MT+PSM+PC"
    with pytest.raises(ValueError, match="not a co-occurrence"):
        cooccurrence_key(["VCF"])
    with pytest.raises(ValueError, match="not a co-occurrence"):
        cooccurrence_key([])


answers = st.fixed_dictionaries(
    {item: st.sampled_from((None, *SCALES[item])) for item in ("security", "knowledge", "s6")}
)


@given(st.lists(answers, max_size=40))
def test_counts_and_missing_always_add_up(sampled):
    rows = [_answered(**given_answers) for given_answers in sampled]
    report = compute(rows)
    for item in ("security", "knowledge", "s6"):
        dist = report.items[item]
        assert dist.n + dist.missing == len(rows)
        shares = [share for share in dist.pct.values() if share is not None]
        if dist.n:
            # Each share is off by at most 0.05 from the exact value: the sum by len × 0.05.
            assert abs(sum(shares) - 100) <= 0.05 * len(shares) + 1e-9
        else:
            assert shares == []
