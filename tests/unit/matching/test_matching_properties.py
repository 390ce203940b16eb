"""Property-based checks (hypothesis): every hard rule holds, or the gap is reported."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from directory.matching.engine import greedy, recommend
from directory.matching.types import (
    AUTHOR_SECTOR,
    COOCCURRENCES,
    VICTIM_SECTOR,
    Candidate,
    Case,
    Coverage,
    Followed,
    Mode,
    OnFile,
    Organisation,
    Point,
    Referral,
)

REGIONS = ("02", "03", "06", "09")
SECTORS = ("VCF", "VCH", "PSM", "PC", "MT", "AS", "POLICE")
ORGANISATIONS = [
    Organisation(f"o{i}", f"o{i}", f"Organisme fictif {i}", ("community", "institutional")[i % 2])
    for i in range(10)
]

organisations = st.sampled_from(ORGANISATIONS)
regions = st.frozensets(st.sampled_from(REGIONS), min_size=1, max_size=2)
sectors = st.frozensets(st.sampled_from(SECTORS), min_size=1, max_size=3)
points = st.none() | st.builds(Point, st.floats(45, 62), st.floats(-79, -57))


@st.composite
def pools(draw):
    size = draw(st.integers(0, 14))
    return [
        Candidate(
            id=f"c{i}",
            organisation=draw(organisations),
            sectors=draw(sectors),
            regions=draw(regions),
            home_regions=draw(regions),
            remote=draw(st.booleans()),
            languages=draw(
                st.sampled_from([frozenset({"fr"}), frozenset({"en"}), frozenset({"fr", "en"})])
            ),
            capacity=draw(st.none() | st.integers(0, 4)),
            recent_invitations=draw(st.integers(0, 5)),
            location=draw(points),
            confirmed=draw(st.booleans()),
        )
        for i in range(size)
    ]


@st.composite
def cases(draw, pool):
    ids = st.sampled_from([*(c.id for c in pool), "ghost"])  # an unknown id is harmless
    org_ids = st.sampled_from([o.id for o in ORGANISATIONS])
    on_file = draw(st.lists(st.builds(OnFile, organisations, sectors), max_size=3))
    return Case(
        region=draw(st.sampled_from(REGIONS)),
        cooccurrences=draw(st.frozensets(st.sampled_from(COOCCURRENCES), min_size=1)),
        followed=draw(st.frozensets(st.sampled_from(list(Followed)), min_size=1)),
        other_needs=draw(st.frozensets(st.sampled_from(("AS", "POLICE", "IMMIGRATION")))),
        on_file=tuple(on_file),
        exclude_organisations=draw(st.frozensets(org_ids, max_size=2)),
        exclude_candidates=draw(st.frozensets(ids, max_size=2)),
        pinned=draw(st.frozensets(ids, max_size=3)),
        mode=draw(st.sampled_from(list(Mode))),
        language=draw(st.sampled_from(("fr", "en"))),
        max_experts=draw(st.integers(0, 6)),
        location=draw(points),
        previous_candidates=draw(st.frozensets(ids, max_size=3)),
        imminent_risk=draw(st.booleans()),
    )


@st.composite
def instances(draw):
    pool = draw(pools())
    return draw(cases(pool)), pool


def _check_panel(case: Case, result) -> None:
    on_file = {entry.organisation.id for entry in case.on_file}
    organisations = [m.candidate.organisation.id for m in result.panel]
    assert len(organisations) == len(set(organisations)) <= case.max_experts
    for member in result.panel:
        c = member.candidate
        assert c.organisation.id not in on_file | case.exclude_organisations
        assert c.id not in case.exclude_candidates
        assert c.capacity is None or c.recent_invitations < c.capacity
        assert case.language in c.languages
        local = case.region in c.regions
        if case.mode is Mode.IN_PERSON:
            assert local
            assert not member.remote
        elif case.mode is Mode.REMOTE:
            assert member.remote
            assert local or c.remote
        else:
            assert member.remote is not local
            assert local or c.remote


def _check_coverage(case: Case, result) -> None:
    assert tuple(result.coverage) == case.required_sectors
    gaps = [gap.sector for gap in result.gaps]
    assert gaps == [code for code, state in result.coverage.items() if state is Coverage.GAP]
    on_file = set().union(*(entry.sectors for entry in case.on_file))
    for code, state in result.coverage.items():
        covering = [m for m in result.panel if code in m.candidate.sectors]
        if code in on_file:
            assert state is Coverage.ON_FILE
        elif state is Coverage.COVERED:
            assert any(not m.remote for m in covering)
        elif state is Coverage.COVERED_REMOTE:
            assert covering
            assert all(m.remote for m in covering)
        else:
            assert not covering
    for gap in result.gaps:
        assert gap.region == case.region
        assert len(gap.remote_options) <= 3
        for option in gap.remote_options:
            assert option.remote
            assert gap.sector in option.sectors
            assert case.region not in option.regions


def _check_rules(case: Case, result) -> None:
    organisations = len({e.organisation.id for e in case.on_file}) + len(result.panel)
    assert result.organisations_at_table == organisations
    assert result.rules["min_three_organizations"] == (organisations >= 3)
    at_table = set().union(
        *(e.sectors for e in case.on_file), *(m.candidate.sectors for m in result.panel)
    )
    expected = bool({VICTIM_SECTOR, AUTHOR_SECTOR} & at_table) and bool(
        set(COOCCURRENCES) & at_table
    )
    assert result.rules["vc_plus_one"] == expected


@settings(deadline=None, max_examples=200)
@given(instances())
def test_every_hard_rule_holds_or_the_gap_is_reported(instance):
    case, pool = instance
    for result in (recommend(case, pool), greedy(case, pool)):
        if case.imminent_risk:
            assert result.referral == Referral()
            assert result.panel == ()
        else:
            assert result.referral is None
        _check_panel(case, result)
        _check_coverage(case, result)
        _check_rules(case, result)


@settings(deadline=None, max_examples=200)
@given(instances())
def test_eligible_pins_are_kept_and_alternatives_are_outside_the_panel(instance):
    case, pool = instance
    result = recommend(case, pool)
    chosen = {m.candidate.id for m in result.panel}
    used = {m.candidate.organisation.id for m in result.panel}
    for member in result.panel:
        assert len(member.alternatives) <= 3
        seen = {a.candidate.organisation.id for a in member.alternatives}
        assert len(seen) == len(member.alternatives)
        assert not seen & used
        for alternative in member.alternatives:
            assert alternative.candidate.id not in chosen
            assert not member.covers or set(alternative.covers) & set(member.covers)
    assert abs(sum(result.breakdown.values()) - result.objective) < 1e-9
    if not case.imminent_risk:
        members_total = sum(sum(m.score.values()) for m in result.panel)
        assert abs(members_total + result.breakdown["balance"] - result.objective) < 1e-9
        pinned = [m for m in result.panel if m.candidate.id in case.pinned]
        assert all(any(r.code == "pinned" for r in m.reasons) for m in pinned)
