"""The rules of issue 9, one table each.

From the report's §2.1 and §2.1.2 and docs/domain.md#matching-rules.
"""

from __future__ import annotations

import math

import pytest

from directory.matching.eligibility import population_fits
from directory.matching.engine import recommend
from directory.matching.scoring import GROUP_LIMIT, UNKNOWN_KM
from directory.matching.types import (
    Case,
    Coverage,
    DistanceBasis,
    Followed,
    GapCause,
    Mode,
    Point,
    Reason,
    Weights,
)
from tests.matching_factories import QUEBEC_CITY, candidate, on_file

VICTIM = frozenset({Followed.VICTIM})
AUTHOR = frozenset({Followed.AUTHOR})
CENTROIDS = {"02": Point(48.6, -71.8), "03": Point(46.9, -71.3), "06": Point(45.5, -73.7)}


def _case(**fields) -> Case:
    defaults = {
        "region": "03",
        "cooccurrences": frozenset({"PSM"}),
        "followed": VICTIM,
        "location": QUEBEC_CITY,
    }
    return Case(**(defaults | fields))


def _ids(result) -> list[str]:
    return sorted(m.candidate.id for m in result.panel)


def _codes(member) -> set[str]:
    return {reason.code for reason in member.reasons}


# Rule 1 — the three-organisations rule counts institutions: programs count with their parent.
@pytest.mark.parametrize(
    ("files", "pool", "institutions"),
    [
        # two teams of one CIUSSS on the file: one institution
        (
            (on_file("t1", "MT", institution="ciusss"), on_file("t2", "MT", institution="ciusss")),
            [],
            1,
        ),
        # a CIUSSS and its own program on the file: one institution
        ((on_file("ciusss", "MT"), on_file("crdq", "PC", institution="ciusss")), [], 1),
        # a program of the CIUSSS on the file brings no new institution when invited
        (
            (on_file("ciusss", "MT"), on_file("shelter", "VCF", "community")),
            [candidate("fej", "PSM", institution="ciusss")],
            2,
        ),
        # two programs of another institution invited: one more institution
        (
            (on_file("shelter", "VCF", "community"),),
            [
                candidate("p1", "PSM", institution="other"),
                candidate("p2", "PC", institution="other"),
            ],
            2,
        ),
    ],
)
def test_rule_1_institutions_count_once(files, pool, institutions):
    case = _case(on_file=files, cooccurrences=frozenset({"PSM", "PC", "MT"}))
    result = recommend(case, pool)
    assert result.organisations_at_table == institutions
    assert result.rules["min_three_organizations"] is (institutions >= 3)


# Rule 2 — VC and the family's own co-occurrences: never satisfied by a sector it lacks.
@pytest.mark.parametrize(
    "row",
    [
        ({"PC"}, VICTIM, "VCF PSM", False, ["VCF"], ["PC"]),  # PSM is not the family's
        ({"PC"}, VICTIM, "VCF PC", True, ["VCF", "PC"], []),
        ({"PSM", "PC"}, VICTIM, "VCF PC", True, ["VCF", "PC"], ["PSM"]),
        ({"MT"}, AUTHOR, "VCF MT", False, ["MT"], ["VCH"]),  # VCF does not help the author
        ({"MT"}, AUTHOR, "VCH MT", True, ["VCH", "MT"], []),
    ],
)
def test_rule_2_the_familys_own_cooccurrences(row):
    cooccurrences, followed, file_sectors, met, satisfied_by, missing = row
    case = _case(
        cooccurrences=frozenset(cooccurrences),
        followed=followed,
        on_file=(on_file("f", file_sectors),),
    )
    result = recommend(case, [])
    check = next(c for c in result.checks if c.name == "vc_plus_one")
    assert result.rules["vc_plus_one"] is met is check.met
    assert check.params["satisfied_by"] == satisfied_by
    assert check.params["missing"] == missing


# Rule 3 — no filler: a member offers a needed sector and is needed, or says why it is there.
@pytest.mark.parametrize(
    ("files", "pool", "expected", "thirds", "why"),
    [
        # a school, a CALACS and a parent with no sector never fill a seat
        (
            (on_file("f", "VCF PSM"),),
            [candidate("school", "SCOLAIRE"), candidate("calacs", "AS"), candidate("parent", "")],
            [],
            [],
            "none_eligible",
        ),
        # a second resource for a needed sector makes the third institution
        (
            (on_file("f", "VCF", "community"),),
            [candidate("psm1", "PSM"), candidate("psm2", "PSM", recent_invitations=1)],
            ["psm1", "psm2"],
            ["psm2"],
            None,
        ),
        # balance picks between substitutes but never adds a seat: three institutions already
        (
            (on_file("f1", "VCF", "community"), on_file("f2", "SANTE", "community")),
            [
                candidate("psm", "PSM", org="psm"),
                candidate("public", "PSM", type_="institutional"),
                candidate("public2", "VCF", type_="institutional"),
            ],
            ["public"],
            [],
            None,
        ),
        # too few seats: the rule fails for want of seats, not of institutions
        (
            (on_file("f", "VCF PSM"),),
            [candidate("a", "PSM"), candidate("b", "VCF")],
            [],
            [],
            "cap",
        ),
    ],
)
def test_rule_3_no_filler_without_a_reason(files, pool, expected, thirds, why):
    max_experts = 1 if why == "cap" else 5
    weights = Weights(balance=3.0)  # balance worth more than a seat costs: still no filler
    result = recommend(_case(on_file=files, max_experts=max_experts), pool, weights=weights)
    assert _ids(result) == expected
    assert (
        sorted(m.candidate.id for m in result.panel if "third_institution" in _codes(m)) == thirds
    )
    for member in result.panel:
        assert member.covers
    check = next(c for c in result.checks if c.name == "min_three_organizations")
    assert check.params["why"] == why


# Rule 5 — a gap says its cause; alternatives: in region first, then nearest regions.
CAUSES = [
    ("nothing", [candidate("x", "VCF")], {}, GapCause.NONE_IN_REGION),
    (
        "excluded",
        [candidate("p", "PSM")],
        {"exclude_organisations": frozenset({"org-p"})},
        GapCause.EXCLUDED,
    ),
    (
        "swapped",
        [candidate("p", "PSM")],
        {"exclude_candidates": frozenset({"p"})},
        GapCause.EXCLUDED,
    ),
    (
        "cap",
        [candidate("v", "VCF"), candidate("p", "PSM")],
        {"max_experts": 1},
        GapCause.CAP_REACHED,
    ),
    ("language", [candidate("p", "PSM", languages=frozenset({"en"}))], {}, GapCause.LANGUAGE),
    (
        "population",
        [candidate("p", "PSM", populations={"PSM": frozenset({"youth"})})],
        {},
        GapCause.POPULATION,
    ),
    (
        "capacity",
        [candidate("p", "PSM", capacity=2, recent_invitations=2)],
        {},
        GapCause.UNAVAILABLE,
    ),
    ("declined", [candidate("p", "PSM", regions="06", home="03")], {}, GapCause.UNAVAILABLE),
    (
        "territorial",
        [candidate("dpj", "PSM", regions="06", remote=True, territory=frozenset({"06"}))],
        {"mode": Mode.REMOTE},
        GapCause.TERRITORIAL,
    ),
    (
        "group",
        [candidate("v", "VCF", remote=True), candidate("p", "PSM", remote=True)],
        {"mode": Mode.REMOTE, "on_file": tuple(on_file(f"f{i}", "SANTE") for i in range(6))},
        GapCause.CAP_REACHED,
    ),
]


@pytest.mark.parametrize(("name", "pool", "fields", "cause"), CAUSES, ids=[c[0] for c in CAUSES])
def test_rule_5_each_gap_says_its_cause(name, pool, fields, cause):
    result = recommend(_case(**fields), pool, regions=CENTROIDS)
    gap = next(g for g in result.gaps if g.sector in {"PSM", "VCF"} and g.cause is cause)
    if name == "group":
        assert gap.params["limit"] == "group_size"
        assert gap.params["group_limit"] == GROUP_LIMIT
    if name == "cap":
        assert gap.params["limit"] == "max_experts"
    if cause not in {GapCause.NONE_IN_REGION, GapCause.TERRITORIAL}:
        assert gap.alternatives[0].in_region  # the in-region ones left out come first
    if cause is GapCause.TERRITORIAL:
        assert gap.alternatives == ()  # never offered remotely outside its territory


def test_rule_5_the_first_filter_that_leaves_nobody_is_the_cause():
    """English-only and excluded: un-excluding would not help, so the cause is the language."""
    pool = [
        candidate("a", "PSM", languages=frozenset({"en"})),
        candidate("b", "PSM", languages=frozenset({"en"})),
    ]
    result = recommend(_case(exclude_organisations=frozenset({"org-a"})), pool)
    assert _gap(result, "PSM").cause is GapCause.LANGUAGE
    french = [candidate("c", "PSM"), *pool]
    excluded = recommend(_case(exclude_organisations=frozenset({"org-c"})), french)
    assert _gap(excluded, "PSM").cause is GapCause.EXCLUDED


def _gap(result, sector: str):
    return next(gap for gap in result.gaps if gap.sector == sector)


def test_rule_5_remote_alternatives_come_from_the_nearest_regions():
    pool = [
        candidate("mtl", "PSM", regions="06", remote=True),  # best value, farther region
        candidate("sag", "PSM", regions="02", remote=True, recent_invitations=3),
        candidate("here", "PSM", capacity=1, recent_invitations=1),  # in region, unavailable
    ]
    result = recommend(_case(), pool, regions=CENTROIDS)
    gap = _gap(result, "PSM")
    assert gap.cause is GapCause.UNAVAILABLE
    assert [a.candidate.id for a in gap.alternatives] == ["here", "sag", "mtl"]
    assert [a.blocked_by for a in gap.alternatives] == [GapCause.UNAVAILABLE, None, None]


# Rule 6 — territorial services act on their territory only, unless pinned.
@pytest.mark.parametrize(
    ("region", "pinned", "proposed", "reason"),
    [("06", False, True, False), ("03", False, False, False), ("03", True, True, True)],
)
def test_rule_6_territorial_services(region, pinned, proposed, reason):
    dpj = candidate(
        "dpj", "MT", regions="06", remote=True, type_="institutional", territory=frozenset({"06"})
    )
    case = _case(
        region=region,
        cooccurrences=frozenset({"MT"}),
        mode=Mode.REMOTE,
        on_file=(on_file("shelter", "VCF"),),
        pinned=frozenset({"dpj"}) if pinned else frozenset(),
    )
    result = recommend(case, [dpj])
    assert (_ids(result) == ["dpj"]) is proposed
    if proposed:
        assert ("outside_territory" in _codes(result.panel[0])) is reason
    else:
        assert result.gaps[0].cause is GapCause.TERRITORIAL


# Rule 7 — populations: a service for others is not eligible; not stated fits everyone.
@pytest.mark.parametrize(
    ("stated", "people", "fits"),
    [
        ((), {"women"}, True),
        (("youth",), {"women"}, False),
        (("youth",), {"women", "children", "youth"}, True),
        (("children", "youth", "families"), {"women"}, True),  # families: the parents too
        (("women", "children"), {"women"}, True),
        (("women",), {"men"}, False),
        (("men",), {"men"}, True),
        (("immigrants",), {"women"}, True),  # a fact the case never states: not a reason
        (("youth", "immigrants"), {"women"}, False),
        (("seniors",), {"men"}, True),
    ],
)
def test_rule_7_population_fit(stated, people, fits):
    assert population_fits(stated, frozenset(people)) is fits


@pytest.mark.parametrize(("cooccurrences", "eligible"), [({"PSM"}, False), ({"PSM", "MT"}, True)])
def test_rule_7_a_youth_team_for_an_adult_victim(cooccurrences, eligible):
    youth = candidate("youth", "PSM", populations={"PSM": frozenset({"youth"})})
    case = _case(cooccurrences=frozenset(cooccurrences), on_file=(on_file("f", "VCF MT"),))
    result = recommend(case, [youth])
    assert ("youth" in _ids(result)) is eligible


# Rule 8 — remote and hybrid: the file (one per organisation), the panel and the facilitator ≤ 8.
@pytest.mark.parametrize(
    ("mode", "files", "max_experts", "seats"),
    [
        (Mode.IN_PERSON, 5, 8, 8),
        (Mode.REMOTE, 0, 8, 7),
        (Mode.REMOTE, 2, 8, 5),
        (Mode.HYBRID, 5, 3, 2),
        (Mode.REMOTE, 7, 8, 0),
        (Mode.HYBRID, 1, 3, 3),
    ],
)
def test_rule_8_group_size(mode, files, max_experts, seats):
    sectors = ("AS", "AVAC", "POLICE", "SCOLAIRE", "SANTE", "DI", "FAMILLE", "JUSTICE")
    pool = [candidate(code.lower(), code, remote=True) for code in sectors]
    case = _case(
        mode=mode,
        max_experts=max_experts,
        other_needs=frozenset(sectors),
        on_file=tuple(on_file(f"f{i}", "VCF PSM") for i in range(files)),
    )
    result = recommend(case, pool)
    assert len(result.panel) == seats
    if mode is not Mode.IN_PERSON:
        assert files + len(result.panel) + 1 <= GROUP_LIMIT


# Rule 9 — an unknown position is unknown: it ranks after every known one, and says so.
@pytest.mark.parametrize(
    ("unknown", "known_km", "chosen"),
    [
        ((None, None), 1, "known"),
        ((None, None), 500, "known"),
        ((QUEBEC_CITY, DistanceBasis.REGION), 500, "unknown"),
    ],
)
def test_rule_9_unknown_location_ranks_last(unknown, known_km, chosen):
    location, basis = unknown
    far = Point(QUEBEC_CITY.latitude + known_km / 111.2, QUEBEC_CITY.longitude)
    pool = [
        candidate("unknown", "PSM", location=location, location_basis=basis),
        candidate("known", "PSM", location=far, location_basis=DistanceBasis.MUNICIPALITY),
    ]
    files = (on_file("f1", "VCF"), on_file("f2", "SANTE"))
    result = recommend(_case(on_file=files), pool)
    assert _ids(result) == [chosen]
    member = result.panel[0]
    assert member.distance_basis is (basis if chosen == "unknown" else DistanceBasis.MUNICIPALITY)
    assert math.isclose(
        member.distance_km or 0.0, 0.0 if chosen == "unknown" else known_km, abs_tol=1.0
    )


def test_rule_9_an_unknown_distance_is_never_zero():
    pool = [candidate("nowhere", "PSM")]
    result = recommend(_case(on_file=(on_file("f1", "VCF"), on_file("f2", "SANTE"))), pool)
    member = result.panel[0]
    assert member.distance_km is None
    assert member.distance_basis is None
    assert "unknown_location" in _codes(member)
    assert member.score["distance"] == -Weights().distance * UNKNOWN_KM / 100


# Rule 10 — a follow-up keeps its members (pinned by the meetings layer) and says so.
@pytest.mark.parametrize("pin", [True, False])
def test_rule_10_previous_members_are_kept_and_say_so(pin):
    pool = [
        candidate("before", "PSM", recent_invitations=3, location=Point(47.5, -71.2)),
        candidate("nearer", "PSM", location=QUEBEC_CITY),
    ]
    case = _case(
        on_file=(on_file("f1", "VCF"), on_file("f2", "SANTE")),
        previous_candidates=frozenset({"before"}),
        pinned=frozenset({"before"}) if pin else frozenset(),
    )
    result = recommend(case, pool)
    if pin:
        assert _ids(result) == ["before"]
        assert Reason("continuity") in result.panel[0].reasons
    else:
        assert _ids(result) == ["nearer"]  # continuity weighs, but a pin is what keeps


# Input limits of the library itself.
@pytest.mark.parametrize(
    "build",
    [
        lambda: Weights(distance=math.inf),
        lambda: Weights(load=math.nan),
        lambda: Weights(size=-math.inf),
        lambda: _case(max_experts=0),
        lambda: _case(max_experts=-3),
        lambda: _case(cooccurrences=frozenset()),
        lambda: _case(cooccurrences=frozenset({"VCF"})),
        lambda: _case(followed=frozenset()),
        lambda: recommend(
            _case(), [candidate("same", "VCF", org="a"), candidate("same", "PSM", org="b")]
        ),
        lambda: recommend(_case(), [], node_budget=0),
    ],
)
def test_the_library_refuses_inputs_that_make_no_sense(build):
    with pytest.raises(ValueError):  # noqa: PT011 - each message names the input; the type is the contract
        build()


def test_an_organisation_listed_twice_on_the_file_counts_once():
    files = (
        on_file("f", "VCF"),
        on_file("f", "PSM"),
        *(on_file(f"g{i}", "SANTE") for i in range(4)),
    )
    pool = [candidate(code.lower(), code, remote=True) for code in ("PC", "MT", "AS")]
    case = _case(
        mode=Mode.REMOTE,
        cooccurrences=frozenset({"PSM", "PC", "MT"}),
        other_needs=frozenset({"AS"}),
        on_file=files,
        exclude_organisations=frozenset({"org-f"}),  # on the file: no effect
    )
    result = recommend(case, pool)
    assert result.coverage["VCF"] is Coverage.ON_FILE
    assert len(result.panel) == GROUP_LIMIT - 1 - 5  # five organisations on the file


def test_coverage_by_remote_member_and_gap_alternatives_are_distinct_organisations():
    pool = [
        candidate("a1", "PSM", org="a", regions="06", remote=True),
        candidate("a2", "PSM", org="a", regions="03", capacity=0),
    ]
    result = recommend(
        _case(mode=Mode.HYBRID, on_file=(on_file("f", "VCF"),)), pool, regions=CENTROIDS
    )
    assert result.coverage["PSM"] is Coverage.COVERED_REMOTE


def test_rule_6_a_pin_does_not_make_a_service_an_alternative_outside_its_territory():
    """A pin seats a territorial service outside its territory when it can sit; it does not
    make it a suggestion for the gap it leaves (found by the property test: an in-person
    meeting the pinned team cannot reach)."""
    dpj = candidate(
        "dpj", "PSM", regions="06", remote=True, type_="institutional", territory=frozenset({"06"})
    )
    result = recommend(_case(pinned=frozenset({"dpj"})), [dpj], regions=CENTROIDS)
    assert "dpj" not in _ids(result)  # in person in 03: it cannot attend
    gap = _gap(result, "PSM")
    assert [alt.candidate.id for alt in gap.alternatives] == []
