"""The 20 situations of issue 9, tried on the SEED directory through `POST /api/v1/match`.

Each expectation is written from the report's rules (§2.1, §2.1.2, Tableau 1;
docs/domain.md#matching-rules) and
from what the seed lists (seed/organisations.yaml), not from the engine's output: which
organisations offer which sector where, which are territorial, which serve youth only.
"""

from __future__ import annotations

import uuid

import pytest

from directory.accounts import operations as account_operations
from directory.extensions import db
from directory.meetings.models import Meeting, MeetingOnFile
from directory.seeding import seed_id
from tests.factories import create_meeting, create_user

MATCH = "/api/v1/match"
NONE_LISTED = "aucune ressource répertoriée dans Filet pour la région"
THIRD = "ajouté pour atteindre trois organismes distincts"
CONTINUITY = "présent à la rencontre précédente"


def ids(*slugs: str) -> list[str]:
    return [str(seed_id(slug)) for slug in slugs]


def slugs(items: list[dict]) -> set[str]:
    return {item["organization"]["slug"] for item in items}


def gap(body: dict, sector: str) -> dict:
    return next(item for item in body["gaps"] if item["sector"] == sector)


def consultation(region: str, referrer: str, **fields: object) -> dict[str, object]:
    """An anonymous consultation: the referrer's organisation is the one on the file."""
    return {
        "region": region,
        "cooccurrences": ["PSM"],
        "followed": ["victim"],
        "meeting_type": "consultation",
        "on_file_organization_ids": ids(referrer),
        **fields,
    }


@pytest.fixture
def facilitator() -> tuple[dict[str, str], object]:
    user = create_user("observe@fictif.example", role="facilitator")
    token = account_operations.issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}, user.id


@pytest.fixture
def match(client, facilitator):
    headers, _user = facilitator

    def post(body: dict[str, object], status: int = 200) -> dict:
        response = client.post(MATCH, json=body, headers=headers)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    return post


# 1. max_experts=1 in Montréal: the missing sector is a gap because the cap is reached, not
#    because Montréal has no resource (it lists a dozen shelters and five mental-health ones).
def test_01_cap_reached_is_not_an_empty_region(match):
    body = match(consultation("06", "option", max_experts=1))
    assert len(body["panel"]) == 1
    [missing] = body["gaps"]
    assert missing["sector"] in {"VCF", "PSM"}
    assert missing["cause"] == "cap_reached"
    assert NONE_LISTED not in missing["message"]
    assert "(1)" in missing["message"]
    local = [alt for alt in missing["alternatives"] if alt["in_region"]]
    assert local
    assert missing["alternatives"][: len(local)] == local  # in-region ones first
    assert all(alt["region"] == "06" for alt in local)


# 2. The facilitator excluded every mental-health organisation of Montréal.
def test_02_excluded_organisations_are_the_cause(match):
    excluded = ids(
        "l-autre-maison",
        "clinique-psychoalimentaire",
        "ciusss-est-de-l-ile-de-montreal",  # the institution: its programs with it
        "ciusss-ouest-de-l-ile-de-montreal",
    )
    body = match(consultation("06", "la-maison-grise", exclude_organization_ids=excluded))
    psm = gap(body, "PSM")
    assert psm["cause"] == "excluded"
    assert "exclu" in psm["message"]
    local = [alt for alt in psm["alternatives"] if alt["in_region"]]
    assert local
    assert {alt["blocked_by"] for alt in local} <= {"excluded", "population"}
    assert "excluded" in {alt["blocked_by"] for alt in local}


# 3. A language no organisation of the region states (the seed states none: French).
def test_03_language_nobody_states(match):
    body = match(consultation("03", "violence-info", language="en"))
    assert body["panel"] == []
    psm = gap(body, "PSM")
    assert psm["cause"] == "language"
    assert "anglais" in psm["message"]


# 4. Imminent homicide risk: the rapid-intervention cell, and no false gap.
def test_04_imminent_risk_is_a_referral_without_gaps(match):
    body = match(consultation("02", "centre-de-femmes-au-quatre-temps-alma", imminent_risk=True))
    assert body["referral"]["kind"] == "rapid_intervention_cell"
    assert body["panel"] == []
    assert body["gaps"] == []


# 5. In-region organisations left out are offered first, then remote ones, nearest region
#    first: from Québec City (03), Saguenay–Lac-Saint-Jean (02, about 190 km between the
#    regions' centroids) is nearer than Montréal (06, about 240 km). GAPI is the only program
#    for violent partners (VCH) in 03; 02 lists two, 06 two.
def test_05_left_out_in_region_first_then_nearest_regions(match):
    body = match(
        consultation("03", "pech", followed=["author"], exclude_organization_ids=ids("gapi"))
    )
    vch = gap(body, "VCH")
    assert vch["cause"] == "excluded"
    first, *remote = vch["alternatives"]
    assert first["organization"]["slug"] == "gapi"
    assert first["in_region"]
    assert first["blocked_by"] == "excluded"
    assert [alt["region"] for alt in remote] == ["02", "02", "06"]
    assert {alt["organization"]["slug"] for alt in remote[:2]} == {
        "cran-d-arret-roberval",
        "cran-d-arret-alma",
    }
    assert all(alt["remote"] and not alt["in_region"] for alt in remote)


# 6. Two teams of the CIUSSS du Centre-Sud on the file are one institution.
def test_06_two_teams_of_one_ciusss_are_one_institution(match):
    body = match(
        {
            "region": "06",
            "cooccurrences": ["MT"],
            "followed": ["victim"],
            "meeting_type": "concertation",
            "consents_attested": True,
            "on_file_organization_ids": ids(
                "ciusss-centre-sud-enfance-sud-est-1", "ciusss-centre-sud-enfance-sud-est-3"
            ),
        }
    )
    assert body["coverage"]["MT"] == "on_file"
    assert body["organizations_at_table"] == 1 + len(body["panel"])  # the CIUSSS counts once
    assert body["rules"]["min_three_organizations"]
    assert len(body["panel"]) == 2


# 7. The CIUSSS de la Capitale-Nationale and its own program CRDQ are one institution.
def test_07_a_ciusss_and_its_program_are_one_institution(match):
    body = match(
        {
            "region": "03",
            "cooccurrences": ["PSM", "PC"],
            "followed": ["victim"],
            "meeting_type": "concertation",
            "consents_attested": True,
            "on_file_organization_ids": ids("ciusss-capitale-nationale", "crdq"),
        }
    )
    assert body["coverage"]["PC"] == "on_file"
    invited = {m["organization"]["slug"] for m in body["panel"]}
    assert not invited & {"ciusss-capitale-nationale-fej", "crdq"}  # same institution: no help
    assert body["organizations_at_table"] == 1 + len(body["panel"])
    assert body["organizations_at_table"] == 3


# 8. A PC case whose table has VCF and PSM but no PC does not meet « VC + co-occurrence »:
#    PSM is not the family's problem. Saguenay–Lac-Saint-Jean lists no PC resource.
def test_08_vc_plus_one_counts_only_the_familys_cooccurrences(match):
    body = match(
        {
            "region": "02",
            "cooccurrences": ["PC"],
            "followed": ["victim"],
            "meeting_type": "consultation",
            "on_file_organization_ids": ids(
                "centre-de-femmes-au-quatre-temps-alma", "le-renfort-alma"
            ),
        }
    )
    assert body["coverage"]["PC"] == "gap"
    assert gap(body, "PC")["cause"] == "none_in_region"
    assert gap(body, "PC")["message"] == f"{NONE_LISTED} 02"
    assert body["rules"]["vc_plus_one"] is False


# 9. No filler: a school board, a police force, a CALACS or a CIUSSS with no sector of its
#    own never sits at the table for a case that does not need them.
@pytest.mark.parametrize(
    ("region", "referrer"),
    [("02", "centre-de-femmes-au-quatre-temps-alma"), ("03", "violence-info")],
)
def test_09_every_member_offers_a_needed_sector(match, region, referrer):
    body = match(consultation(region, referrer, cooccurrences=["PSM", "PC"]))
    needed = {"VCF", "PSM", "PC"}
    never = {
        "commission-scolaire-du-pays-des-bleuets",
        "ciusss-saguenay-lac-saint-jean",
        "surete-municipale-ville-de-saguenay",
        "viol-secours",
        "cavac-capitale-nationale",
    }
    assert not slugs(body["panel"]) & never
    for member in body["panel"]:
        assert set(member["covers"]) & needed


# 10. « Équilibre la table » is never the only reason: every member says what it covers, and
#     the one seated for the third institution says so.
def test_10_the_third_institution_says_why_it_is_there(match):
    body = match(consultation("02", "centre-de-femmes-au-quatre-temps-alma"))
    assert body["organizations_at_table"] == 3
    for member in body["panel"]:
        assert any(reason.startswith("Couvre : ") for reason in member["reasons"])
    thirds = [m for m in body["panel"] if THIRD in m["reasons"]]
    assert len(thirds) == 1


# 11. A concertation needs two practitioners on the file (Tableau 1).
def test_11_a_concertation_with_one_practitioner_is_refused(match):
    body = match(
        {
            **consultation("02", "centre-de-femmes-au-quatre-temps-alma"),
            "meeting_type": "concertation",
            "consents_attested": True,
        },
        status=400,
    )
    assert body["error"]["parameter"] == "on_file_organization_ids"


# 12. A concertation needs the parents' consents; a consultation needs the referrer's
#     organisation on the file and asks for no consent.
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"meeting_type": "concertation", "consents_attested": False}, "consents_attested"),
        ({"on_file_organization_ids": []}, "on_file_organization_ids"),
        ({"consents_attested": True}, "consents_attested"),
    ],
)
def test_12_the_type_and_the_consents_agree(match, change, field):
    case = consultation("02", "centre-de-femmes-au-quatre-temps-alma")
    case["on_file_organization_ids"] = ids(
        "centre-de-femmes-au-quatre-temps-alma", "cran-d-arret-alma"
    )
    body = match({**case, **change}, status=400)
    assert body["error"]["parameter"] == field


# 13. A remote meeting holds at most 8 people: the file (one per organisation), the panel
#     and the facilitator.
def test_13_remote_group_of_eight_at_most(match):
    shelters = ids(
        "la-maison-grise", "transit-24", "logifem", "maison-passages", "bouclier-d-athena"
    )
    body = match(
        {
            "region": "06",
            "cooccurrences": ["PSM", "PC", "MT"],
            "followed": ["victim", "author"],
            "meeting_type": "consultation",
            "on_file_organization_ids": shelters,
            "mode": "remote",
            "max_experts": 8,
        }
    )
    assert len(shelters) + len(body["panel"]) + 1 <= 8
    assert len(body["panel"]) == 2
    # VCH, PSM, PC and MT are needed; two seats; Portage (03, joins remotely) offers both PC
    # and PSM, so the best table covers three of the four.
    assert len(body["gaps"]) == 1
    for item in body["gaps"]:
        assert item["cause"] == "cap_reached"
        assert "8" in item["message"]


# 14. Youth protection acts on its own territory: no DPJ of another region joins remotely.
def test_14_youth_protection_is_territorial(match):
    body = match(
        consultation("13", "commission-scolaire-de-laval", cooccurrences=["MT"], mode="remote")
    )
    assert "MT" not in {code for member in body["panel"] for code in member["covers"]}
    mt = gap(body, "MT")
    assert mt["cause"] == "territorial"
    assert all(
        alt["organization"]["slug"] != "ciusss-capitale-nationale" for alt in mt["alternatives"]
    )


# 15. Police acts on its own territory: the SPVM is not proposed for a case in Québec City.
def test_15_police_is_territorial(match):
    body = match(consultation("03", "violence-info", other_needs=["POLICE"], mode="remote"))
    assert "spvm" not in slugs(body["panel"])
    assert gap(body, "POLICE")["cause"] == "territorial"


# 16. A youth-only team is not proposed for an adult victim when the children are not
#     involved; with child maltreatment at stake, it is eligible again. School services in
#     Montréal serve children and youth only: for an adult, that is a population gap.
def test_16_a_youth_team_for_an_adult_victim_is_not_proposed(match):
    others = ids(
        "l-autre-maison",
        "clinique-psychoalimentaire",
        "clsc-saint-leonard-saint-michel-sante-mentale",
        "institut-douglas-troubles-complexes-de-l-humeur",
    )
    adult = match(consultation("06", "la-maison-grise", exclude_organization_ids=others))
    assert "youth-mental-health-team" not in slugs(adult["panel"])
    psm = gap(adult, "PSM")
    assert psm["cause"] == "excluded"  # the last filter to leave nobody: her exclusions
    family = match(
        consultation(
            "06", "la-maison-grise", cooccurrences=["PSM", "MT"], exclude_organization_ids=others
        )
    )
    assert "youth-mental-health-team" in slugs(family["panel"])
    school = match(consultation("06", "la-maison-grise", other_needs=["SCOLAIRE"]))
    assert gap(school, "SCOLAIRE")["cause"] == "population"
    assert not {"petit-revdec", "ecole-le-carignan"} & slugs(school["panel"])


# 17. Distances say what they are measured from; the seed gives no site coordinates, so
#     they come from a municipality or a region, and the nearest one comes first.
def test_17_distance_says_its_basis(match):
    body = match(
        {
            **consultation("02", "auberge-de-l-amitie-roberval"),
            "municipality": "Roberval",
        }
    )
    for member in body["panel"]:
        assert member["distance_basis"] in {"municipality", "region"}
    psm = [m for m in body["panel"] if THIRD not in m["reasons"]]
    assert psm[0]["organization"]["slug"] == "centre-le-bouscueil-roberval"  # in Roberval
    assert psm[0]["distance_basis"] == "municipality"
    assert psm[0]["distance_km"] == 0.0


def _previous(user_id: uuid.UUID) -> Meeting:
    """A first consultation in 02 on PSM, referred by Alma's women's centre, with Le Renfort
    d'Alma invited."""
    meeting = create_meeting(user_id, invited=[seed_id("le-renfort-alma")])
    alma = seed_id("centre-de-femmes-au-quatre-temps-alma")
    meeting.on_file = [MeetingOnFile(organisation_id=alma)]
    db.session.commit()
    return meeting


# 18. A follow-up keeps its first meeting's region and co-occurrences unless the change is
#     confirmed as deliberate.
def test_18_a_follow_up_keeps_region_and_cooccurrences(match, facilitator):
    previous = str(_previous(facilitator[1]).id)
    case = consultation("02", "centre-de-femmes-au-quatre-temps-alma", previous_meeting_id=previous)
    assert match({**case, "region": "03"}, status=400)["error"]["parameter"] == "region"
    other = {**case, "cooccurrences": ["PC"]}
    assert match(other, status=400)["error"]["parameter"] == "cooccurrences"
    confirmed = match({**other, "follow_up_changes_confirmed": True})
    assert list(confirmed["coverage"]) == ["VCF", "PC"]
    inherited = {
        key: value for key, value in case.items() if key not in {"region", "cooccurrences"}
    }
    assert list(match(inherited)["coverage"]) == ["VCF", "PSM"]
    # Left out, the file and the type are the previous meeting's too (a consultation, Alma).
    bare = match({"previous_meeting_id": previous})
    assert list(bare["coverage"]) == ["VCF", "PSM"]
    assert bare["coverage"]["VCF"] == "on_file"


# 19. A follow-up keeps the members of the first meeting, and says so.
def test_19_a_follow_up_keeps_its_members(match, facilitator):
    previous = str(_previous(facilitator[1]).id)
    body = match(
        consultation(
            "02",
            "centre-de-femmes-au-quatre-temps-alma",
            previous_meeting_id=previous,
            municipality="Roberval",  # Le Bouscueil would be nearer: continuity wins
        )
    )
    renfort = next(m for m in body["panel"] if m["organization"]["slug"] == "le-renfort-alma")
    assert CONTINUITY in renfort["reasons"]


# 20. The largest case the API accepts (every sector, remote, eight experts) is answered, its
#     search bounded and said to be so.
def test_20_the_largest_case_is_answered(client, facilitator):
    headers, _user = facilitator
    body = consultation(
        "06",
        "la-maison-grise",
        cooccurrences=["PSM", "PC", "MT"],
        followed=["victim", "author"],
        other_needs=[
            "AS",
            "AVAC",
            "POLICE",
            "SCOLAIRE",
            "SANTE",
            "DI",
            "FAMILLE",
            "JUSTICE",
            "IMMIGRATION",
        ],
        mode="remote",
        max_experts=8,
    )
    response = client.post(MATCH, json=body, headers=headers)
    assert response.status_code == 200
    assert response.headers["X-Match-Search"].split(";")[0] in {"exact", "bounded"}
    answer = response.get_json()
    assert len(answer["coverage"]) == 14
    assert len(answer["panel"]) <= 8 - 1 - 1
