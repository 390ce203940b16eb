"""The offline gazetteer: every place has a region, seed places resolve, lookups work."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from directory import geo, seeding
from directory.extensions import db
from directory.meetings import inputs
from directory.reference.models import Municipality, PostalArea, Region

REGION_CODES = {f"{n:02d}" for n in range(1, 18)}


def _rows(seed_dir, name):
    with (seed_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_seventeen_regions():
    regions = db.session.scalars(select(Region)).all()
    assert {region.code for region in regions} == REGION_CODES
    assert all(region.label_fr and region.label_en for region in regions)


def test_every_municipality_and_postal_area_has_a_valid_region(seed_dir):
    places = _rows(seed_dir, "municipalities.csv")
    areas = _rows(seed_dir, "postal_areas.csv")
    assert len(places) > 400
    assert len(areas) > 400
    assert {row["region_code"] for row in places} == REGION_CODES
    assert {row["region_code"] for row in areas} <= REGION_CODES
    for row in places + areas:
        assert 44.9 < float(row["latitude"]) < 63.0, row
        assert -80.0 < float(row["longitude"]) < -57.0, row
    assert all(row["fsa"][0] in "GHJ" and len(row["fsa"]) == 3 for row in areas)


def test_gazetteer_is_loaded_in_the_database(seed_dir):
    count = db.session.scalar(select(func.count()).select_from(Municipality))
    assert count == len(_rows(seed_dir, "municipalities.csv"))


def test_every_seed_municipality_resolves_in_its_region(seed_dir):
    entries = seeding.read_organisations(seed_dir)
    named = []
    for entry, parent in seeding._walk(entries):  # noqa: SLF001
        region = entry.get("region") or parent["region"]
        named += [
            (site["municipality"], region)
            for site in entry.get("sites", [])
            if "municipality" in site
        ]
    assert len(named) >= 20
    for name, region in named:
        assert geo.find_municipalities(name, region_code=region), (name, region)


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Mashteuiatsh", "02"),
        ("roberval", "02"),
        ("SAINT FELICIEN", "02"),
        ("Montreal-Nord", "06"),
        ("Québec", "03"),
        ("Laval", "13"),
        ("Lévis", "12"),
        ("Gatineau", "07"),
        ("Sherbrooke", "05"),
        ("Rimouski", "01"),
    ],
)
def test_lookup_ignores_case_accents_and_punctuation(name, region):
    assert geo.find_municipalities(name)[0].region_code == region


@pytest.mark.parametrize(
    ("code", "fsa", "region"),
    [("g8h 1a1", "G8H", "02"), ("H1G", "H1G", "06"), ("H7N2B4", "H7N", "13"), ("G1R", "G1R", "03")],
)
def test_postal_area_lookup(code, fsa, region):
    area = geo.postal_area(code)
    assert (area.fsa, area.region_code) == (fsa, region)


@pytest.mark.parametrize("code", ["", "123", "K1A", "ZZZ 999", "G8H 1A"])
def test_postal_area_rejects_what_is_not_a_quebec_postal_code(code):
    assert geo.postal_area(code) is None


def test_distance_between_roberval_and_alma_is_about_fifty_km():
    roberval = geo.find_municipalities("Roberval")[0]
    alma = geo.find_municipalities("Alma")[0]
    distance = geo.distance_km(
        (roberval.latitude, roberval.longitude), (alma.latitude, alma.longitude)
    )
    assert 40 < distance < 55


def test_postal_areas_loaded(seed_dir):
    count = db.session.scalar(select(func.count()).select_from(PostalArea))
    assert count == len(_rows(seed_dir, "postal_areas.csv"))


def test_attribution_is_shipped(seed_dir):
    text = (seed_dir / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "GeoNames" in text
    assert "CC BY 4.0" in text or "Creative Commons Attribution 4.0" in text


@pytest.mark.parametrize(
    ("value", "region_code", "expected"),
    [
        ("Robervall", None, "Roberval"),
        ("Robervall", "02", "Roberval"),
        ("Robervall", "06", None),  # close to no place of Montréal
        ("Rob", None, None),  # too short to guess from
        ("Xyzzyville", None, None),
    ],
)
def test_guess_municipality_tolerates_typos_within_a_region(value, region_code, expected):
    guessed = geo.guess_municipality(value, region_code=region_code)
    assert (guessed.name if guessed else None) == expected


def test_search_and_meeting_form_share_the_typo_tolerant_lookup(app):
    with app.app_context():  # the former names' file is found through the app's settings
        assert geo.resolve_place("Robervall").label == "Roberval"
    assert inputs.resolve_municipality("Robervall", "02")[0].name == "Roberval"
    assert inputs.resolve_municipality("Robervall", "06") == (None, False)
    assert inputs.resolve_municipality("Roberval", "06") == (None, True)  # known elsewhere
