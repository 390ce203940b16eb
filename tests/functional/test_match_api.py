"""`POST /api/v1/match`: the contract's keys and types, 400 naming the field, 401/403, tokens."""

from __future__ import annotations

import uuid

import pytest

from directory.accounts import operations as account_operations
from directory.extensions import db
from tests.factories import create_organisation, create_user

MATCH = "/api/v1/match"
CASE: dict[str, object] = {
    "region": "02",
    "municipality": None,
    "cooccurrences": ["PSM", "PC"],
    "followed": ["victim"],
    "other_needs": [],
    "on_file_organization_ids": [],
    "exclude_organization_ids": [],
    "meeting_type": "concertation",
    "mode": "in_person",
    "language": "fr",
    "max_experts": 5,
    "previous_meeting_id": None,
    "imminent_risk": False,
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
            "remote",
            "reasons",
            "alternatives",
        }
        _organization(member["organization"])
        assert member["expert"] is None or set(member["expert"]) == {"id", "name"}
        assert all(isinstance(code, str) for code in member["covers"])
        assert isinstance(member["region"], str)
        assert member["distance_km"] is None or isinstance(member["distance_km"], float)
        assert isinstance(member["remote"], bool)
        assert all(isinstance(reason, str) for reason in member["reasons"])
        for alternative in member["alternatives"]:
            assert set(alternative) == {"organization", "covers"}
            _organization(alternative["organization"])
    assert set(body["coverage"]) == {"VCF", "PSM", "PC"}  # JSON objects: keys sorted
    assert set(body["coverage"].values()) <= {"on_file", "covered", "covered_remote", "gap"}
    for gap in body["gaps"]:
        assert set(gap) == {"sector", "message"}
    assert isinstance(body["organizations_at_table"], int)
    assert set(body["rules"]) == {"min_three_organizations", "vc_plus_one"}
    assert all(isinstance(flag, bool) for flag in body["rules"].values())
    assert body["referral"] is None


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
