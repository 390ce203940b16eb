"""`POST /api/v1/match`: the contract's keys and types, 400 naming the field, 401/403, tokens."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from directory.accounts import operations as account_operations
from directory.extensions import db
from directory.reference.models import Municipality
from directory.seeding import seed_id
from tests.factories import create_organisation, create_user

MATCH = "/api/v1/match"
# A consultation in Saguenay–Lac-Saint-Jean: the referrer is a women's centre in Alma.
CASE: dict[str, object] = {
    "region": "02",
    "municipality": None,
    "cooccurrences": ["PSM", "PC"],
    "followed": ["victim"],
    "other_needs": [],
    "on_file_organization_ids": [str(seed_id("centre-de-femmes-au-quatre-temps-alma"))],
    "exclude_organization_ids": [],
    "meeting_type": "consultation",
    "mode": "in_person",
    "language": "fr",
    "max_experts": 5,
    "previous_meeting_id": None,
    "follow_up_changes_confirmed": False,
    "consents_attested": False,
    "imminent_risk": False,
}


CAUSES = {
    "none_in_region",
    "excluded",
    "cap_reached",
    "language",
    "population",
    "territorial",
    "unavailable",
}


@pytest.fixture
def bearer() -> dict[str, str]:
    user = create_user("api-animatrice@fictif.example", role="facilitator")
    token = account_operations.issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _organization(value: dict) -> None:
    assert set(value) == {"id", "slug", "name"}
    assert all(isinstance(item, str) for item in value.values())


def test_contract_keys_and_types(client, bearer):
    response = client.post(MATCH, json=CASE, headers=bearer)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {
        "panel",
        "coverage",
        "gaps",
        "organizations_at_table",
        "rules",
        "referral",
    }
    assert body["panel"]
    for member in body["panel"]:
        assert set(member) == {
            "organization",
            "expert",
            "covers",
            "region",
            "distance_km",
            "distance_basis",
            "remote",
            "reasons",
            "alternatives",
        }
        _organization(member["organization"])
        assert member["expert"] is None or set(member["expert"]) == {"id", "name"}
        assert all(isinstance(code, str) for code in member["covers"])
        assert isinstance(member["region"], str)
        assert member["distance_km"] is None or isinstance(member["distance_km"], float)
        assert member["distance_basis"] in {"site", "municipality", "region", None}
        assert (member["distance_basis"] is None) == (member["distance_km"] is None)
        assert isinstance(member["remote"], bool)
        assert all(isinstance(reason, str) for reason in member["reasons"])
        for alternative in member["alternatives"]:
            assert set(alternative) == {"organization", "covers"}
            _organization(alternative["organization"])
    assert set(body["coverage"]) == {"VCF", "PSM", "PC"}  # JSON objects: keys sorted
    assert set(body["coverage"].values()) <= {"on_file", "covered", "covered_remote", "gap"}
    assert body["gaps"]
    for gap in body["gaps"]:
        assert set(gap) == {"sector", "cause", "message", "alternatives"}
        assert gap["cause"] in CAUSES
        for alternative in gap["alternatives"]:
            assert set(alternative) == {
                "organization",
                "region",
                "in_region",
                "remote",
                "blocked_by",
            }
            _organization(alternative["organization"])
            assert alternative["blocked_by"] in {*CAUSES, None}
    assert isinstance(body["organizations_at_table"], int)
    assert set(body["rules"]) == {"min_three_organizations", "vc_plus_one"}
    assert all(isinstance(flag, bool) for flag in body["rules"].values())
    assert body["referral"] is None
    assert response.headers["X-Match-Search"] == "exact"


def test_reasons_follow_the_language_cookie(client, bearer):
    french = client.post(MATCH, json=CASE, headers=bearer).get_json()
    assert any(r.startswith("Couvre : ") for m in french["panel"] for r in m["reasons"])
    client.set_cookie("lang", "en")
    english = client.post(MATCH, json=CASE, headers=bearer).get_json()
    assert any(r.startswith("Covers: ") for m in english["panel"] for r in m["reasons"])


def test_imminent_risk_gives_a_referral(client, bearer):
    body = client.post(MATCH, json={**CASE, "imminent_risk": True}, headers=bearer).get_json()
    assert body["referral"]["kind"] == "rapid_intervention_cell"
    assert "cellule d'intervention rapide" in body["referral"]["message"]
    assert body["panel"] == []


BAD = [
    ("region", {"region": "99"}),
    ("region", {"region": None}),
    ("municipality", {"municipality": "Xyzzyville"}),
    ("municipality", {"municipality": 12}),
    ("cooccurrences", {"cooccurrences": []}),
    ("cooccurrences", {"cooccurrences": ["VCF"]}),
    ("cooccurrences", {"cooccurrences": "PSM"}),
    ("followed", {"followed": []}),
    ("followed", {"followed": ["neighbour"]}),
    ("other_needs", {"other_needs": ["NOPE"]}),
    ("other_needs", {"other_needs": ["PSM"]}),
    ("on_file_organization_ids", {"on_file_organization_ids": [str(uuid.uuid4())]}),
    ("on_file_organization_ids", {"on_file_organization_ids": [3]}),
    ("exclude_organization_ids", {"exclude_organization_ids": ["pas-un-id"]}),
    ("meeting_type", {"meeting_type": "party"}),
    ("mode", {"mode": "telepathy"}),
    ("language", {"language": "xx"}),
    ("max_experts", {"max_experts": 0}),
    ("max_experts", {"max_experts": 9}),
    ("max_experts", {"max_experts": "5"}),
    ("max_experts", {"max_experts": True}),
    ("previous_meeting_id", {"previous_meeting_id": str(uuid.uuid4())}),
    ("imminent_risk", {"imminent_risk": "yes"}),
    ("surname", {"surname": "Tremblay"}),
]


@pytest.mark.parametrize(
    ("field", "change"), BAD, ids=[f"{f}-{i}" for i, (f, _c) in enumerate(BAD)]
)
def test_bad_input_names_the_field(client, bearer, field, change):
    response = client.post(MATCH, json={**CASE, **change}, headers=bearer)
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == field


def test_missing_region_and_non_object_body(client, bearer):
    body = {key: value for key, value in CASE.items() if key != "region"}
    missing = client.post(MATCH, json=body, headers=bearer)
    assert missing.get_json()["error"]["parameter"] == "region"
    assert client.post(MATCH, json=["02"], headers=bearer).status_code == 400


def test_anonymous_401_editor_403_session_needs_csrf(client, app):
    assert client.post(MATCH, json=CASE).status_code == 401
    organisation = create_organisation("api-editeur", region="02")
    editor = create_user("api-editeur@fictif.example", organisations=[organisation])
    headers = {"Authorization": f"Bearer {account_operations.issue_api_token(editor)}"}
    db.session.commit()
    assert client.post(MATCH, json=CASE, headers=headers).status_code == 403
    assert (
        client.post(MATCH, json=CASE, headers={"Authorization": "Bearer faux"}).status_code == 401
    )
    from tests.web import csrf_token, login  # noqa: PLC0415 - session flavour only here

    create_user("api-admin@fictif.example", role="admin")
    db.session.commit()
    session = app.test_client()
    login(session, "api-admin@fictif.example")
    assert session.post(MATCH, json=CASE).status_code == 400  # no CSRF header
    token = csrf_token(session, "/connexion")
    assert session.post(MATCH, json=CASE, headers={"X-CSRFToken": token}).status_code == 200


def test_coverage_lists_the_required_sectors_in_order(client, bearer):
    case = {**CASE, "followed": ["victim", "author"], "cooccurrences": ["PC", "PSM"]}
    case["other_needs"] = ["POLICE", "IMMIGRATION"]
    body = client.post(MATCH, json=case, headers=bearer).get_json()
    assert list(body["coverage"]) == ["VCF", "VCH", "PSM", "PC", "IMMIGRATION", "POLICE"]


ALMA = str(seed_id("centre-de-femmes-au-quatre-temps-alma"))
CRAN = str(seed_id("cran-d-arret-alma"))
RENFORT = str(seed_id("le-renfort-alma"))
CONCERTATION = {
    **CASE,
    "meeting_type": "concertation",
    "on_file_organization_ids": [ALMA, CRAN],
    "consents_attested": True,
}

# Tableau 1: a concertation needs two practitioners on the file and the parents' consents; a
# consultation is anonymous, with the referrer's organisation on the file.
MEETING_TYPES = [
    ("concertation", [ALMA, CRAN], True, None),
    ("concertation", [ALMA, CRAN, RENFORT], True, None),
    ("concertation", [ALMA], True, "on_file_organization_ids"),
    ("concertation", [], True, "on_file_organization_ids"),
    ("concertation", [ALMA, CRAN], False, "consents_attested"),
    ("consultation", [ALMA], False, None),
    ("consultation", [ALMA, CRAN], False, None),
    ("consultation", [], False, "on_file_organization_ids"),
    ("consultation", [ALMA], True, "consents_attested"),
]


@pytest.mark.parametrize(
    "row", MEETING_TYPES, ids=[f"{r[0]}-{len(r[1])}-{r[2]}" for r in MEETING_TYPES]
)
def test_meeting_type_must_match_the_file_and_the_consents(client, bearer, row):
    kind, on_file, consents, field = row
    body = {
        **CASE,
        "meeting_type": kind,
        "on_file_organization_ids": on_file,
        "consents_attested": consents,
    }
    response = client.post(MATCH, json=body, headers=bearer)
    if field is None:
        assert response.status_code == 200, response.get_json()
    else:
        assert response.status_code == 400
        assert response.get_json()["error"]["parameter"] == field


def test_meeting_type_errors_in_french_and_english(client, bearer):
    body = {**CONCERTATION, "on_file_organization_ids": [ALMA]}
    french = client.post(MATCH, json=body, headers=bearer).get_json()["error"]["message"]
    assert "au moins deux organismes au dossier" in french
    client.set_cookie("lang", "en")
    english = client.post(MATCH, json=body, headers=bearer).get_json()["error"]["message"]
    assert "at least two organisations on the file" in english
    no_consent = client.post(
        MATCH, json={**CONCERTATION, "consents_attested": False}, headers=bearer
    ).get_json()["error"]["message"]
    assert "consent" in no_consent


IDS = [
    ("on_file_organization_ids", {"on_file_organization_ids": [ALMA, ALMA]}),
    ("exclude_organization_ids", {"exclude_organization_ids": [RENFORT, RENFORT]}),
    ("exclude_organization_ids", {"exclude_organization_ids": [ALMA]}),  # also on the file
    ("cooccurrences", {"cooccurrences": ["PSM", "PSM"]}),
    ("consents_attested", {"consents_attested": "yes"}),
    ("follow_up_changes_confirmed", {"follow_up_changes_confirmed": 1}),
]


@pytest.mark.parametrize(
    ("field", "change"), IDS, ids=[f"{f}-{i}" for i, (f, _c) in enumerate(IDS)]
)
def test_repeated_and_contradictory_ids_name_the_field(client, bearer, field, change):
    response = client.post(MATCH, json={**CASE, **change}, headers=bearer)
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == field


def _raw(client, bearer, text: str | bytes, content_type: str = "application/json"):
    return client.post(MATCH, data=text, headers={**bearer, "Content-Type": content_type})


RAW = [
    ("body", "[]"),
    ("body", '"02"'),
    ("body", "42"),
    ("body", "null"),
    ("body", "{"),
    ("body", "[" * 100_000 + "]" * 100_000),  # crashed the parser (500) before
    ("body", "NaN"),
    ("max_experts", '{"region": "02", "max_experts": NaN}'),
    ("max_experts", '{"region": "02", "max_experts": Infinity}'),
    ("max_experts", '{"region": "02", "max_experts": -Infinity}'),
    ("max_experts", '{"region": "02", "max_experts": 1e999}'),
    ("cooccurrences", '{"region": "02", "cooccurrences": [[[["PSM"]]]]}'),
    ("region", '{"region": "02", "region": "06"}'),
]


@pytest.mark.parametrize(("field", "text"), RAW, ids=[f"{f}-{i}" for i, (f, _t) in enumerate(RAW)])
def test_malformed_json_is_a_400_naming_the_field_or_the_body(client, bearer, field, text):
    response = _raw(client, bearer, text)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == field
    assert error["status"] == 400


def test_json_needs_its_content_type(client, bearer):
    import json  # noqa: PLC0415 - only here

    response = _raw(client, bearer, json.dumps(CASE), content_type="text/plain")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "body"


def test_a_body_over_one_megabyte_is_a_413_in_the_api_format(client, bearer):
    padding = "x" * (18 * 1024 * 1024)
    response = _raw(client, bearer, '{"region": "' + padding + '"}')
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["status"] == 413
    assert error["parameter"] == "body"
    assert "1024 Ko" in error["message"]


def test_the_organisation_patch_reads_json_the_same_way(client):
    organisation = create_organisation("api-patch-json", region="02")
    editor = create_user("api-patch-json@fictif.example", organisations=[organisation])
    headers = {"Authorization": f"Bearer {account_operations.issue_api_token(editor)}"}
    db.session.commit()
    path = f"/api/v1/organizations/{organisation.slug}"
    deep = client.patch(
        path,
        data='{"version": 1, "description": [[[[["x"]]]]]}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert deep.status_code == 400
    assert deep.get_json()["error"]["parameter"] == "description"
    listed = client.patch(path, json=["version"], headers=headers)
    assert listed.get_json()["error"]["parameter"] == "body"
    nan = client.patch(
        path,
        data='{"version": NaN}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert nan.get_json()["error"]["parameter"] == "version"
    too_big = client.patch(
        path, json={"version": 1, "description": "x" * 2_000_000}, headers=headers
    )
    assert too_big.status_code == 413
    fine = client.patch(path, json={"version": 1, "description": "Revue."}, headers=headers)
    assert fine.status_code == 200, fine.get_json()


def test_answers_never_reveal_a_confidential_site(client, bearer):
    """A shelter's street address, postal code and coordinates stay out of the answer: its
    distance is measured from its municipality, and says so."""
    roberval = db.session.scalars(
        select(Municipality).where(Municipality.name == "Roberval")
    ).first()
    shelter = create_organisation("refuge-canari-match", name="Refuge Canari (fictif)")
    site = shelter.locations[0]
    site.municipality = roberval
    site.confidential = True
    site.address = "4321 rue des Canaris-Cachés"
    site.postal_code = "G8H 9Z9"
    site.latitude, site.longitude = 48.765432, -72.345678
    slug = shelter.slug
    db.session.commit()
    others = [
        str(seed_id(slug))
        for slug in (
            "auberge-de-l-amitie-roberval",
            "centre-de-femmes-la-source-saint-felicien",
        )
    ]
    body = {**CASE, "municipality": "Roberval", "exclude_organization_ids": others}
    response = client.post(MATCH, json=body, headers=bearer)
    text = response.get_data(as_text=True)
    for needle in ("Canaris", "G8H 9Z9", "9Z9", "48.7654", "72.3456"):
        assert needle not in text
    member = next(m for m in response.get_json()["panel"] if m["organization"]["slug"] == slug)
    assert member["distance_basis"] == "municipality"
    assert member["distance_km"] == 0.0
