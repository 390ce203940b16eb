"""Specific behaviours of the matching engine, table-driven."""

from __future__ import annotations

import random

import pytest

from directory.matching.engine import recommend, shortlist
from directory.matching.scoring import context, eligible
from directory.matching.types import (
    Case,
    Coverage,
    Followed,
    Mode,
    Point,
    Reason,
    Referral,
    Weights,
)
from tests.matching_factories import QUEBEC_CITY, candidate, on_file

VICTIM = frozenset({Followed.VICTIM})
AUTHOR = frozenset({Followed.AUTHOR})
BOTH = frozenset({Followed.VICTIM, Followed.AUTHOR})
PSM = frozenset({"PSM"})
# Two organisations on the file that cover nothing required: the three-organisation rule is
# met by any single member, so the tests below isolate one criterion at a time.
TWO_ON_FILE = (on_file("f1", "SANTE", "community"), on_file("f2", "SANTE", "community"))


def _case(**fields) -> Case:
    defaults = {"region": "03", "cooccurrences": PSM, "followed": VICTIM, "location": QUEBEC_CITY}
    return Case(**(defaults | fields))


def _ids(result) -> list[str]:
    return sorted(m.candidate.id for m in result.panel)


def _codes(member) -> list[str]:
    return [reason.code for reason in member.reasons]


@pytest.mark.parametrize(
    ("followed", "required", "chosen"),
    [
        (VICTIM, ("VCF", "PSM"), ["psm", "vcf"]),
        (AUTHOR, ("VCH", "PSM"), ["psm", "vch"]),
        (BOTH, ("VCF", "VCH", "PSM"), ["psm", "vcf", "vch"]),
    ],
)
def test_vcf_or_vch_per_who_is_followed(followed, required, chosen):
    pool = [candidate("vcf", "VCF"), candidate("vch", "VCH"), candidate("psm", "PSM")]
    result = recommend(_case(followed=followed, on_file=TWO_ON_FILE), pool)
    assert tuple(result.coverage) == required
    assert _ids(result) == chosen
    assert set(result.coverage.values()) == {Coverage.COVERED}


def test_a_sector_on_the_file_needs_no_expert():
    pool = [candidate("vcf", "VCF"), candidate("psm", "PSM")]
    files = (on_file("shelter", "VCF"), on_file("clsc", "SANTE"))
    result = recommend(_case(on_file=files), pool)
    assert result.coverage == {"VCF": Coverage.ON_FILE, "PSM": Coverage.COVERED}
    assert _ids(result) == ["psm"]
    assert result.rules == {"min_three_organizations": True, "vc_plus_one": True}


def test_an_organisation_on_the_file_is_never_proposed():
    pool = [candidate("vcf", "VCF", org="shelter"), candidate("psm", "PSM")]
    result = recommend(_case(on_file=(on_file("shelter", "SANTE"),)), pool)
    assert "vcf" not in _ids(result)
    assert result.coverage["VCF"] is Coverage.GAP


@pytest.mark.parametrize(
    ("mode", "panel", "state", "remote"),
    [
        (Mode.IN_PERSON, [], Coverage.GAP, None),
        (Mode.REMOTE, ["far"], Coverage.COVERED_REMOTE, True),
        (Mode.HYBRID, ["far"], Coverage.COVERED_REMOTE, True),
    ],
)
def test_mode_decides_who_may_come_from_another_region(mode, panel, state, remote):
    pool = [candidate("far", "PSM", regions="02", remote=True), candidate("vcf", "VCF")]
    result = recommend(_case(mode=mode, on_file=TWO_ON_FILE), pool)
    assert [m.candidate.id for m in result.panel if "PSM" in m.covers] == panel
    assert result.coverage["PSM"] is state
    if remote is not None:
        far = next(m for m in result.panel if m.candidate.id == "far")
        assert far.remote is remote


def test_an_in_person_gap_offers_remote_experts_from_other_regions():
    pool = [
        candidate("near", "VCF"),
        candidate("far1", "PSM", regions="02", remote=True, recent_invitations=2),
        candidate("far2", "PSM", regions="06", remote=True),
        candidate("far3", "PSM", regions="06", remote=False),  # does not join remotely
        candidate("far4", "PSM", regions="09", remote=True, capacity=1, recent_invitations=1),
    ]
    result = recommend(_case(on_file=TWO_ON_FILE), pool)
    assert [gap.sector for gap in result.gaps] == ["PSM"]
    assert result.gaps[0].region == "03"
    assert [c.id for c in result.gaps[0].remote_options] == ["far2", "far1"]


def test_hybrid_marks_who_joins_remotely():
    pool = [candidate("vcf", "VCF"), candidate("psm", "PSM", regions="06", remote=True)]
    result = recommend(_case(mode=Mode.HYBRID, on_file=TWO_ON_FILE), pool)
    remote = {m.candidate.id: m.remote for m in result.panel}
    assert remote == {"vcf": False, "psm": True}
    assert result.coverage == {"VCF": Coverage.COVERED, "PSM": Coverage.COVERED_REMOTE}
    member = next(m for m in result.panel if m.candidate.id == "psm")
    assert "remote" in _codes(member)
    assert "distance" not in _codes(member)


@pytest.mark.parametrize(
    ("a", "b", "case_fields", "expected"),
    [
        # load: invitations go to the organisation that had fewer
        ({"recent_invitations": 3}, {"recent_invitations": 0}, {}, "b"),
        ({"recent_invitations": 0}, {"recent_invitations": 3}, {}, "a"),
        # continuity on a follow-up beats a small load difference
        (
            {"recent_invitations": 0},
            {"recent_invitations": 1},
            {"previous_candidates": frozenset({"b"})},
            "b",
        ),
        # in region
        ({"home": "06"}, {}, {}, "b"),
        # distance: the nearer one
        ({"location": Point(48.4, -71.1)}, {"location": Point(46.8, -71.3)}, {}, "b"),
        # an unconfirmed offer weighs a little
        ({"confirmed": False}, {}, {}, "b"),
        # balance: the file is community only, an institutional member balances the table
        ({"type_": "community"}, {"type_": "institutional"}, {}, "b"),
        # ties break by id, deterministically
        ({}, {}, {}, "a"),
    ],
)
def test_soft_criteria_between_two_substitutable_organisations(a, b, case_fields, expected):
    pool = [candidate("a", "PSM", **a), candidate("b", "PSM", **b)]
    case = _case(
        followed=VICTIM, on_file=(*TWO_ON_FILE, on_file("vc", "VCF", "community")), **case_fields
    )
    assert _ids(recommend(case, pool)) == [expected]


def test_fewer_people_when_coverage_is_equal():
    pool = [candidate("both", "VCF PSM"), candidate("vcf", "VCF"), candidate("psm", "PSM")]
    result = recommend(_case(on_file=TWO_ON_FILE), pool)
    assert _ids(result) == ["both"]
    assert result.breakdown["size"] == -Weights().size


def test_coverage_comes_before_every_soft_criterion():
    pool = [candidate("vcf", "VCF", recent_invitations=40, confirmed=False, home="09")]
    result = recommend(_case(on_file=TWO_ON_FILE), pool)
    assert _ids(result) == ["vcf"]
    assert result.objective < 0


def test_a_second_resource_is_added_to_reach_three_institutions():
    pool = [
        candidate("psm2", "PSM", recent_invitations=5),
        candidate("vcf2", "VCF", recent_invitations=6),
        candidate("school", "AS"),  # offers nothing the case needs: never filler
    ]
    result = recommend(_case(on_file=(on_file("f", "VCF PSM"),)), pool)
    assert _ids(result) == ["psm2", "vcf2"]
    assert result.rules["min_three_organizations"]
    assert result.organisations_at_table == 3
    for member in result.panel:
        assert Reason("third_institution") in member.reasons


def test_three_institutions_when_possible_within_max_experts():
    pool = [candidate("x", "PSM"), candidate("y", "VCF")]
    result = recommend(_case(on_file=(on_file("f", "VCF PSM"),), max_experts=1), pool)
    assert result.panel == ()  # one more institution would not make three: no seat for it
    assert not result.rules["min_three_organizations"]
    check = next(c for c in result.checks if c.name == "min_three_organizations")
    assert check.params["why"] == "cap"


@pytest.mark.parametrize(
    ("case_fields", "pool", "expected"),
    [
        (
            {"pinned": frozenset({"worse"})},
            [("best", {}), ("worse", {"recent_invitations": 4})],
            ["worse"],
        ),
        (
            {"exclude_candidates": frozenset({"best"})},
            [("best", {}), ("worse", {"recent_invitations": 4})],
            ["worse"],
        ),
        (
            {"exclude_organisations": frozenset({"org-best"})},
            [("best", {}), ("worse", {"recent_invitations": 4})],
            ["worse"],
        ),
        (
            {},
            [
                ("best", {"capacity": 2, "recent_invitations": 2}),
                ("worse", {"recent_invitations": 4}),
            ],
            ["worse"],
        ),
        (
            {},
            [("best", {"languages": frozenset({"en"})}), ("worse", {"recent_invitations": 4})],
            ["worse"],
        ),
        ({"pinned": frozenset({"worse"})}, [("best", {}), ("worse", {"capacity": 0})], ["best"]),
    ],
)
def test_pins_exclusions_capacity_and_language(case_fields, pool, expected):
    candidates = [candidate(key, "PSM", **fields) for key, fields in pool]
    case = _case(on_file=(*TWO_ON_FILE, on_file("vc", "VCF")), **case_fields)
    assert _ids(recommend(case, candidates)) == expected


def test_one_member_per_organisation():
    pool = [
        candidate("a", "VCF", org="same"),
        candidate("b", "PSM", org="same"),
        candidate("c", "PSM"),
    ]
    assert _ids(recommend(_case(on_file=TWO_ON_FILE), pool)) in (["a", "c"], ["b", "c"])


def test_reasons_name_what_the_member_brings():
    pool = [
        candidate(
            "vcf", "VCF", confirmed=False, recent_invitations=2, location=Point(46.81, -71.21)
        ),
        candidate("psm1", "PSM", home="06"),
        candidate("psm2", "PSM", recent_invitations=3),
    ]
    case = _case(on_file=TWO_ON_FILE, previous_candidates=frozenset({"vcf"}))
    result = recommend(case, pool)
    vcf = next(m for m in result.panel if m.candidate.id == "vcf")
    assert vcf.reasons[:3] == (
        Reason("covers", {"sectors": ["VCF"]}),
        Reason("only_one", {"sector": "VCF"}),
        Reason("continuity"),
    )
    assert {"in_region", "distance", "recent_load", "unconfirmed_offer"} <= set(_codes(vcf))
    assert Reason("recent_load", {"count": 2}) in vcf.reasons
    psm = next(m for m in result.panel if "PSM" in m.covers)
    assert "only_one" not in _codes(psm)
    assert [a.candidate.id for a in psm.alternatives] == [
        "psm1" if psm.candidate.id == "psm2" else "psm2"
    ]
    assert vcf.alternatives == ()


def test_out_of_region_reason_and_sector_fit_counted_once():
    pool = [candidate("a", "VCF PSM", home="06"), candidate("b", "PSM")]
    result = recommend(_case(on_file=TWO_ON_FILE, max_experts=2), pool)
    a = next(m for m in result.panel if m.candidate.id == "a")
    assert Reason("out_of_region", {"region": "06"}) in a.reasons
    assert result.breakdown["sector_fit"] == 2 * Weights().sector_fit


def test_imminent_risk_is_referred_not_matched():
    pool = [candidate("vcf", "VCF"), candidate("psm", "PSM")]
    result = recommend(_case(imminent_risk=True, on_file=(on_file("f", "VCF"),)), pool)
    assert result.referral == Referral()
    assert result.panel == ()
    assert result.coverage == {"VCF": Coverage.ON_FILE, "PSM": Coverage.GAP}


def test_the_answer_does_not_depend_on_the_order_of_candidates():
    rng = random.Random(3)  # noqa: S311 - a seeded shuffle
    pool = [
        candidate(f"c{i}", rng.choice(["VCF", "PSM", "PC", "VCF PSM"]), org=str(i % 7))
        for i in range(30)
    ]
    case = _case(cooccurrences=frozenset({"PSM", "PC"}), on_file=TWO_ON_FILE)
    first = recommend(case, pool)
    for _ in range(5):
        rng.shuffle(pool)
        assert recommend(case, pool) == first


def test_the_shortlist_keeps_enough_organisations_per_class():
    pool = [candidate(f"c{i}", "PSM", org=str(i // 2), recent_invitations=i) for i in range(20)]
    case = _case(on_file=TWO_ON_FILE)
    options = eligible(case, pool, context(case, Weights()))
    kept = shortlist(options, 3)
    assert [o.candidate.id for o in kept] == ["c0", "c2", "c4"]
