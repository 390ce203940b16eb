"""The seed directory pins what Annexe A says, with its traps handled, and invents nothing."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from sqlalchemy import select

from directory import seeding
from directory.extensions import db
from directory.organisations import queries
from directory.organisations.models import Contact, Location, Organisation, Phone

# Listings per region: top-level organisations, and all listings including sub-programs.
EXPECTED_TOP_LEVEL = {"02": 12, "03": 12, "06": 26, "13": 1}
EXPECTED_LISTINGS = {"02": 13, "03": 14, "06": 36, "13": 1}
EXPECTED_SUB_PROGRAMMES = {
    "ciusss-capitale-nationale": 2,
    "ciusss-saguenay-lac-saint-jean": 1,
    "ciusss-est-de-l-ile-de-montreal": 3,
    "ciusss-ouest-de-l-ile-de-montreal": 1,
    "ciusss-centre-sud-de-l-ile-de-montreal": 6,
}


def _all() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation)))


def test_listings_per_region_match_annexe_a():
    assert queries.region_counts() == EXPECTED_LISTINGS


def test_top_level_organisations_per_region():
    counts = Counter(code for org in _all() if org.parent is None for code in org.region_codes)
    assert dict(counts) == EXPECTED_TOP_LEVEL
    assert sum(EXPECTED_TOP_LEVEL.values()) == 51


def test_sub_programmes_per_ciusss():
    with_children = {org.slug: len(org.sub_programmes) for org in _all() if org.sub_programmes}
    assert with_children == EXPECTED_SUB_PROGRAMMES


def test_no_duplicate_names_within_a_region():
    names = Counter((code, org.name_key) for org in _all() for code in org.region_codes)
    assert [key for key, count in names.items() if count > 1] == []


def test_gapi_repeated_header_is_one_organisation_in_quebec_city():
    gapi = [org for org in _all() if org.alternate_name == "GAPI"]
    assert len(gapi) == 1
    assert gapi[0].region_codes == ["03"]
    assert gapi[0].municipality.name == "Québec"


def test_crdm_pointe_de_l_ile_is_one_sub_programme_of_the_est_ciusss():
    crdm = [org for org in _all() if "pointe de l ile" in org.name_key]
    assert len(crdm) == 1
    assert crdm[0].parent.slug == "ciusss-est-de-l-ile-de-montreal"
    assert [sector.code for sector in crdm[0].sectors] == ["PC"]


def test_two_distinct_cavacs():
    cavacs = sorted((org for org in _all() if org.alternate_name == "CAVAC"), key=lambda o: o.slug)
    assert [org.region_codes for org in cavacs] == [["03"], ["06"]]
    assert cavacs[0].id != cavacs[1].id
    assert cavacs[0].name == cavacs[1].name


def test_laval_school_board_is_in_laval():
    board = queries.organisation_by_slug("commission-scolaire-de-laval")
    assert board.region_codes == ["13"]
    assert board.municipality.name == "Laval"


@pytest.mark.parametrize(
    ("slug", "municipality"),
    [
        ("auberge-de-l-amitie-roberval", "Roberval"),
        ("centre-de-femmes-au-quatre-temps-alma", "Alma"),
        ("centre-de-femmes-la-source-saint-felicien", "Saint-Félicien"),
        ("centre-l-escale-jonquiere", "Jonquière"),
        ("maison-de-la-famille-de-mashteuiatsh", "Mashteuiatsh"),
        ("centre-des-femmes-de-verdun", "Verdun"),
        ("halte-femmes-montreal-nord", "Montréal-Nord"),
    ],
)
def test_municipality_named_in_the_source_is_set(slug, municipality):
    assert queries.organisation_by_slug(slug).municipality.name == municipality


def test_every_listing_starts_unverified_with_its_source():
    for org in _all():
        assert org.verification_status == "unverified"
        assert org.last_verified_at is None
        assert org.source_note.startswith("Annexe A")


def test_no_contact_fact_is_invented():
    assert db.session.scalars(select(Phone)).all() == []
    assert db.session.scalars(select(Contact)).all() == []
    for org in _all():
        assert (org.email, org.website) == (None, None)
    for site in db.session.scalars(select(Location)):
        assert (site.address, site.postal_code, site.latitude, site.longitude) == (
            None,
            None,
            None,
            None,
        )


def test_seed_file_holds_no_phone_email_web_site_or_address(seed_dir):
    text = (seed_dir / "organisations.yaml").read_text(encoding="utf-8")
    assert not re.search(r"\d{3}\D{0,2}\d{3}\D?\d{4}", text), "phone-like number"
    assert "@" not in text
    assert not re.search(r"https?://|www\.", text)
    assert not re.search(r"\b\d+,? (rue|avenue|boulevard|chemin|boul\.)", text, re.IGNORECASE)
    keys = {key for entry, _ in seeding._walk(yaml.safe_load(text)) for key in entry}  # noqa: SLF001
    assert keys <= seeding.ORGANISATION_KEYS


def test_shelters_have_confidential_sites():
    for org in _all():
        if any("hébergement" in service.name for service in org.services):
            assert all(site.confidential for site in org.locations), org.slug


def test_reseeding_keeps_existing_listings(seed_dir):
    gapi = queries.organisation_by_slug("gapi")
    gapi.description = "Edited by the organisation"
    db.session.flush()
    counts = seeding.load_organisations(seed_dir)
    assert counts.created == 0
    assert counts.kept == sum(EXPECTED_LISTINGS.values())
    assert queries.organisation_by_slug("gapi").description == "Edited by the organisation"


def test_seed_ids_are_stable():
    assert queries.organisation_by_slug("gapi").id == seeding.seed_id("gapi")


def test_unknown_sector_in_seed_is_reported(tmp_path, seed_dir):
    for name in ("regions.csv", "sectors.csv", "populations.csv"):
        (tmp_path / name).write_text((seed_dir / name).read_text(encoding="utf-8"))
    (tmp_path / "organisations.yaml").write_text(
        "- {slug: fictif, name: Fictif, type: community, region: '02',"
        " services: [{name: S, sectors: [NOPE]}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(seeding.SeedError, match="unknown sectors"):
        seeding.load_organisations(tmp_path)


def test_unknown_municipality_in_seed_is_reported(tmp_path):
    (tmp_path / "organisations.yaml").write_text(
        "- {slug: fictif, name: Fictif, type: community, region: '02',"
        " sites: [{municipality: Atlantide}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(seeding.SeedError, match="Atlantide"):
        seeding.load_organisations(tmp_path)


def test_duplicate_slugs_are_refused(tmp_path):
    (tmp_path / "organisations.yaml").write_text(
        "- {slug: a, name: A, type: community, region: '02'}\n"
        "- {slug: a, name: B, type: community, region: '03'}\n",
        encoding="utf-8",
    )
    with pytest.raises(seeding.SeedError, match="duplicate slugs"):
        seeding.read_organisations(tmp_path)
