"""The gap map: region × sector counts of the published directory (an institution once, its
sub-programs with it), 0 cells highlighted, meeting gaps for signed-in roles only; page, CSV
and API."""

from __future__ import annotations

import csv
import io
import re
import uuid

from flask import render_template

from directory.db import utcnow
from directory.organisations import queries
from directory.reference.models import Region, Sector
from directory.reports import coverage
from directory.reports.coverage import Coverage, institution_counts, top_level
from tests import seedfacts
from tests.factories import create_organisation, create_user
from tests.web import login, text


def _api(client):
    response = client.get("/api/v1/reports/coverage")
    assert response.status_code == 200
    return response.get_json()["regions"]


def test_every_region_and_sector_has_a_cell(client):
    regions = _api(client)
    assert sorted(regions) == sorted(seedfacts.region_codes())
    assert all(len(sectors) == seedfacts.sectors() for sectors in regions.values())
    assert list(regions["02"]) == ["VCF", "VCH", "MT", "PSM", "PC", "AS", "AVAC", "POLICE",
                                   "SCOLAIRE", "SANTE", "DI", "FAMILLE", "JUSTICE",
                                   "IMMIGRATION"]  # fmt: skip


def test_the_seed_counts_an_institution_once(client):
    regions = _api(client)
    # Montréal's five youth-protection listings are programmes of one CIUSSS (Centre-Sud).
    assert regions["06"]["MT"]["organizations"] == 1
    assert queries.sector_counts("06")["MT"] == 5
    # Five mental-health listings, two of them programmes of the CIUSSS de l'Est-de-l'Île.
    assert regions["06"]["PSM"]["organizations"] == 4
    # Saguenay–Lac-Saint-Jean lists no substance-use resource (README, matching findings).
    assert regions["02"]["PC"]["organizations"] == 0
    assert regions["02"]["MT"]["organizations"] == 1  # the CIUSSS, through its DPJ programme


def test_sub_programs_unpublished_and_archived_listings(client):
    parent = create_organisation("ciusss-fictif-10", region="10", sectors=["PSM"],
                                 type="institutional")  # fmt: skip
    for number, sectors in enumerate((["PSM"], ["PSM", "MT"])):
        programme = create_organisation(f"programme-fictif-{number}", region="10", sectors=sectors)
        programme.parent = parent
    create_organisation("communautaire-fictif-10", region="10", sectors=["PSM"])
    create_organisation("non-publie-10", region="10", sectors=["PC"], published=False)
    create_organisation("archive-10", region="10", sectors=["PC"], archived_at=utcnow())
    hidden_parent = create_organisation("parent-non-publie", region="10", published=False)
    orphan = create_organisation("programme-orphelin", region="10", sectors=["AS"])
    orphan.parent = hidden_parent
    cells = _api(client)["10"]
    assert cells["PSM"]["organizations"] == 2  # the CIUSSS (three listings) and the community one
    assert cells["MT"]["organizations"] == 1  # through a programme, counted as its CIUSSS
    assert cells["PC"]["organizations"] == 0
    assert cells["AS"]["organizations"] == 0  # a sub-program of an unpublished organisation


def test_meeting_gaps_are_for_signed_in_callers_only(client):
    anonymous = _api(client)
    assert anonymous["02"]["PC"]["meeting_gaps"] is None  # not 0: not theirs to know
    create_user("editrice-couverture@fictif.example")
    login(client, "editrice-couverture@fictif.example")
    signed_in = _api(client)
    # Meetings do not record their gaps yet (the meeting lifecycle): none recorded is 0.
    assert signed_in["02"]["PC"]["meeting_gaps"] == 0
    assert signed_in["02"]["PC"]["organizations"] == 0


def test_the_page_highlights_empty_cells_and_says_what_is_counted(client):
    response = client.get("/rapports/couverture")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    row_02 = re.search(r'<tr data-region="02">(.*?)</tr>', page, re.DOTALL).group(1)
    assert re.search(r'class="numeric coverage-zero"\s+data-sector="PC"', row_02)
    assert not re.search(r'class="numeric coverage-zero"\s+data-sector="MT"', row_02)
    reader = text(response)
    assert "Un établissement compte une seule fois" in reader
    assert "cela ne veut pas dire qu'il n'en existe aucune" in reader
    assert "Manques relevés par les rencontres" not in reader
    assert 'href="/regions/06/secteurs/MT"' in page
    create_user("animatrice-couverture@fictif.example", role="facilitator")
    login(client, "animatrice-couverture@fictif.example")
    signed_in = text(client.get("/rapports/couverture"))
    assert "Manques relevés par les rencontres" in signed_in
    assert "Aucun manque n'a encore été enregistré par une rencontre." in signed_in
    client.set_cookie("lang", "en")
    assert "An institution counts once" in text(client.get("/rapports/couverture"))


def _csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_export(client):
    rows = _csv(client.get("/rapports/couverture.csv"))
    assert len(rows) == seedfacts.regions() * seedfacts.sectors()
    assert list(rows[0]) == ["région", "nom de la région", "secteur", "organismes"]
    montreal_mt = next(row for row in rows if (row["région"], row["secteur"]) == ("06", "MT"))
    assert montreal_mt == {"région": "06", "nom de la région": "Montréal", "secteur": "MT",
                           "organismes": "1"}  # fmt: skip
    create_user("admin-couverture@fictif.example", role="admin")
    login(client, "admin-couverture@fictif.example")
    client.set_cookie("lang", "en")
    signed_in = _csv(client.get("/rapports/couverture.csv"))
    assert list(signed_in[0]) == ["region", "region name", "sector", "organisations",
                                  "gaps recorded in meetings"]  # fmt: skip


def test_top_level_and_institution_counts_are_pure():
    parent, child, grandchild, other = (uuid.uuid4() for _ in range(4))
    parents = {parent: None, child: parent, grandchild: child, other: None}
    assert top_level(grandchild, parents) == parent
    assert top_level(other, parents) == other
    looping = {parent: child, child: parent}
    assert top_level(parent, looping) in {parent, child}  # never loops forever
    listings = [(grandchild, "06", "MT"), (child, "06", "MT"), (other, "06", "MT"),
                (parent, "03", "PSM")]  # fmt: skip
    assert institution_counts(listings, parents) == {("06", "MT"): 2, ("03", "PSM"): 1}


def test_recorded_gaps_by_cause_render_on_the_page_and_in_the_api(app, db_session):
    """What `meetings.queries.recorded_gap_counts` returns (the gaps held meetings recorded) is
    shown per cause to signed-in roles, and totalled per cell in the API."""
    regions = [db_session.get(Region, "02")]
    sectors = [db_session.get(Sector, code) for code in ("PC", "PSM")]
    found = Coverage(
        regions=regions,
        sectors=sectors,
        organisations={("02", "PSM"): 4},
        gaps={("02", "PC"): {"none_in_region": 3, "language": 1}, ("02", "PSM"): {"new_cause": 2}},
    )
    assert found.as_json(with_gaps=True)["regions"]["02"] == {
        "PC": {"organizations": 0, "meeting_gaps": 4},
        "PSM": {"organizations": 4, "meeting_gaps": 2},
    }
    assert found.causes == ["none_in_region", "language", "new_cause"]
    with app.test_request_context():
        page = render_template("reports/coverage.html", coverage=found, show_gaps=True, lang="fr")
    reader = " ".join(page.split())
    assert "aucune ressource répertoriée dans la région" in reader
    assert "new_cause" in reader  # an unknown cause is shown as is, never dropped
    assert coverage.cause_label("cap_reached") == "nombre maximal de participants atteint"
