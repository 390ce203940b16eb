"""The thesaurus is data: at least 40 groups, valid sector codes, and matched longest first."""

from __future__ import annotations

import csv

from directory.search.thesaurus import Group, Thesaurus


def _thesaurus(seed_dir):
    return Thesaurus.load(seed_dir / "thesaurus.yaml")


def test_at_least_forty_groups_with_known_sectors(seed_dir):
    thesaurus = _thesaurus(seed_dir)
    with (seed_dir / "sectors.csv").open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert len(thesaurus.groups) >= 40
    for group in thesaurus.groups:
        assert len(group.terms) >= 2, group
        assert set(group.sectors) <= codes, group


def test_the_issue_s_synonyms_are_there(seed_dir):
    thesaurus = _thesaurus(seed_dir)

    def sectors_of(text):
        return {code for match in thesaurus.matches(text.split()) for code in match.group.sectors}

    assert "MT" in sectors_of("dpj")
    assert "PC" in sectors_of("toxicomanie")
    assert "VCH" in sectors_of("hcv")
    assert "VCF" in sectors_of("shelter")
    assert "AS" in sectors_of("calacs")
    assert "AVAC" in sectors_of("cavac")
    assert "PSM" in sectors_of("psm")


def test_longest_term_wins():
    short = Group(terms=(("sante",), ("health",)), sectors=("SANTE",))
    long = Group(terms=(("sante", "mentale"), ("mental", "health")), sectors=("PSM",))
    matches = Thesaurus([short, long]).matches(["sante", "mentale", "roberval"])
    assert [(m.start, m.end, m.group.sectors) for m in matches] == [(0, 2, ("PSM",))]
