"""Scenarios on the SEED directory (no extra data): the report's three regions × every
co-occurrence type of its Annexe C, victim followed, with and without an organisation on the
file, in person and remote. The hard rules must hold; the gaps found are recorded as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product

import pytest
from flask import Flask

from directory.matching.engine import recommend
from directory.matching.types import Coverage, Followed, Mode, Result
from directory.meetings import inputs
from directory.meetings.inputs import CaseRequest
from tests.factories import summarise

REGIONS = ("02", "03", "06")
COOCCURRENCES = ("MT", "PSM", "PC", "MT+PSM", "MT+PC", "PSM+PC", "MT+PSM+PC")  # Annexe C
SCENARIOS = list(product(REGIONS, COOCCURRENCES, (False, True), (Mode.IN_PERSON, Mode.REMOTE)))


@pytest.fixture
def request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def _on_file(region: str) -> inputs.Organisation:
    """A seed organisation of the region offering VCF (a shelter or women's resource)."""
    found = [
        org
        for org in inputs.organisation_queries.public_organisations(with_services=True)
        if region in {site.region_code for site in org.locations}
        and "VCF" in {sector.code for sector in org.sectors}
    ]
    return found[0]


def _run(region: str, codes: str, *, on_file: bool, mode: Mode) -> tuple[inputs.Inputs, Result]:
    request = CaseRequest(
        region=region,
        cooccurrences=frozenset(codes.split("+")),
        followed=frozenset({Followed.VICTIM}),
        on_file_ids=(_on_file(region).id,) if on_file else (),
        mode=mode,
    )
    built = inputs.build(request)
    return built, recommend(built.case, built.candidates, weights=built.weights)


@pytest.mark.usefixtures("request_context")
@pytest.mark.parametrize(
    ("region", "codes", "on_file", "mode"),
    SCENARIOS,
    ids=[f"{r}-{c}-{'file' if f else 'nofile'}-{m}" for r, c, f, m in SCENARIOS],
)
def test_hard_rules_on_the_seed(request, region, codes, on_file, mode):
    built, result = _run(region, codes, on_file=on_file, mode=mode)
    case = built.case
    on_file_ids = {entry.organisation.id for entry in case.on_file}
    organisations = [member.candidate.organisation.id for member in result.panel]
    assert not on_file_ids & set(organisations), "no organisation on the file is invited"
    assert len(organisations) == len(set(organisations)), "at most one seat per organisation"
    assert len(result.panel) <= case.max_experts
    assert list(result.coverage) == list(case.required_sectors)
    gaps = {gap.sector for gap in result.gaps}
    assert gaps == {code for code, state in result.coverage.items() if state is Coverage.GAP}
    assert all(gap.region == region for gap in result.gaps)
    if mode is Mode.IN_PERSON:
        for member in result.panel:
            assert not member.remote
            assert region in member.candidate.regions
    line = (
        f"{region} {codes:<10} {'file' if on_file else 'nofile':<6} {mode!s:<9} "
        f"panel={len(result.panel)} orgs={result.organisations_at_table} "
        f"gaps={','.join(sorted(gaps)) or '-'}"
    )
    summarise(request, "scenario " + line)


@pytest.mark.usefixtures("request_context")
def test_region_02_has_no_substance_use_resource_in_person():
    """The seed lists no PC (dépendances) organisation in Saguenay–Lac-Saint-Jean (02)."""
    _built, result = _run("02", "PSM+PC", on_file=False, mode=Mode.IN_PERSON)
    assert result.coverage["PC"] is Coverage.GAP
    gap = next(gap for gap in result.gaps if gap.sector == "PC")
    assert gap.region == "02"
    # Remote options come from other regions (03 and 06 have PC resources).
    assert gap.remote_options
    assert all("02" not in option.home_regions for option in gap.remote_options)
    assert result.coverage["PSM"] is not Coverage.GAP


@pytest.mark.usefixtures("request_context")
def test_remote_mode_covers_the_02_gap_from_another_region():
    _built, result = _run("02", "PC", on_file=False, mode=Mode.REMOTE)
    assert result.coverage["PC"] is Coverage.COVERED_REMOTE
    pc = [member for member in result.panel if "PC" in member.covers]
    assert pc
    assert all(member.remote for member in pc)
    assert all("02" not in member.candidate.home_regions for member in pc)
