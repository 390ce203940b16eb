"""The meeting lifecycle through the API: plan with a schedule, send the invitations (real
SMTP on loopback, the .ics parsed back), reply by link, replace, reschedule, cancel, remind,
follow up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from directory.accounts import operations as account_operations
from directory.db import utcnow
from directory.extensions import db
from directory.meetings import queries
from directory.meetings.models import Invitation, Meeting
from directory.seeding import seed_id
from tests.factories import add_site, create_organisation, create_user

MEETINGS = "/api/v1/meetings"
RENFORT = str(seed_id("le-renfort-alma"))  # a real listing with no e-mail on file
CASE: dict[str, object] = {
    "region": "02",
    "cooccurrences": ["PSM", "PC"],
    "followed": ["victim"],
    "on_file_organization_ids": [str(seed_id("centre-de-femmes-au-quatre-temps-alma"))],
    "meeting_type": "consultation",
    "mode": "in_person",
    "max_experts": 5,
}


def later(days: int = 20, hour: int = 14) -> datetime:
    """A moment `days` from now at `hour`:30 UTC (whole minutes, as people schedule)."""
    day = (utcnow() + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=UTC)


def quebec(moment: datetime) -> str:
    """`moment` written in Québec time (« …T09:30:00-05:00 »), as a client would send it."""
    return moment.astimezone(ZoneInfo("America/Toronto")).isoformat()


@pytest.fixture
def experts() -> dict[str, uuid.UUID]:
    """Three fictional organisations of Saguenay–Lac-Saint-Jean with an e-mail on file."""
    found = {}
    for slug, sectors in (
        ("fictif-psm", ["PSM"]),
        ("fictif-pc-a", ["PC"]),
        ("fictif-pc-b", ["PC"]),
    ):
        found[slug] = create_organisation(slug, sectors=sectors, email=f"{slug}@fictif.example").id
    db.session.commit()
    return found


def _bearer(email: str, role: str = "facilitator") -> dict[str, str]:
    user = create_user(email, role=role)
    token = account_operations.issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def bearer() -> dict[str, str]:
    return _bearer("animatrice-cycle@fictif.example")


def plan_body(experts: dict[str, uuid.UUID], **overrides: object) -> dict[str, object]:
    return {
        "case": CASE,
        "panel": [
            {"organization_id": str(experts["fictif-psm"]), "expert_id": None},
            {"organization_id": str(experts["fictif-pc-a"]), "expert_id": None},
            {"organization_id": RENFORT, "expert_id": None},
        ],
        "starts_at": later().isoformat(),
        "duration_minutes": 90,
        "mode": "in_person",
        "location": "Salle 2, 100 rue Fictive, Alma",
        "video_url": None,
        "consents_attested": False,
        **overrides,
    }


def plan(client, bearer, experts, **overrides) -> dict:
    response = client.post(MEETINGS, json=plan_body(experts, **overrides), headers=bearer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def by_org(meeting: dict, organisation_id: object) -> dict:
    return next(
        item
        for item in meeting["invitations"]
        if item["organization"]["id"] == str(organisation_id) and item["status"] != "replaced"
    )


def calendar_of(message) -> Calendar:
    parts = [
        part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"
    ]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_content())


def event_of(calendar: Calendar):
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def test_plan_answers_the_meeting_contract(client, bearer, experts):
    starts = later()
    body = plan(client, bearer, experts, starts_at=quebec(starts))
    assert set(body) >= {
        "id", "type", "round", "follow_up_of", "status", "starts_at", "duration_minutes", "mode",
        "invitations", "replacement_proposals", "actions", "gaps",
    }  # fmt: skip
    assert body["type"] == "consultation"
    assert body["round"] == "first"
    assert body["follow_up_of"] is None
    assert body["status"] == "planned"
    assert datetime.fromisoformat(body["starts_at"]) == starts
    assert body["duration_minutes"] == 90
    assert body["mode"] == "in_person"
    assert body["location"] == "Salle 2, 100 rue Fictive, Alma"
    statuses = [(item["organization"]["id"], item["status"]) for item in body["invitations"]]
    assert statuses == [
        (str(experts["fictif-psm"]), "pending"),
        (str(experts["fictif-pc-a"]), "pending"),
        (RENFORT, "pending"),
    ]
    for item in body["invitations"]:
        assert set(item) >= {"id", "organization", "expert", "status", "replacement_for"}
        assert set(item["organization"]) == {"id", "slug", "name"}
    assert body["replacement_proposals"] == []
    stored = db.session.get(Meeting, uuid.UUID(body["id"]))
    assert stored.starts_at == starts  # stored in UTC
    fetched = client.get(f"{MEETINGS}/{body['id']}", headers=bearer)
    assert fetched.status_code == 200
    assert fetched.get_json()["id"] == body["id"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": None}, "starts_at"),
        ({"starts_at": "demain matin"}, "starts_at"),
        ({"starts_at": "2031-03-04T09:30:00"}, "starts_at"),  # no offset: ambiguous
        ({"starts_at": "2020-03-04T09:30:00-05:00"}, "starts_at"),  # in the past
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": "90"}, "duration_minutes"),
        ({"mode": "carrier_pigeon"}, "mode"),
        ({"location": None}, "location"),
        ({"mode": "video", "video_url": "http://visio.fictif.example/x"}, "video_url"),
        ({"mode": "video"}, "video_url"),
        ({"mode": "phone"}, "bridge_number"),
        ({"mode": "phone", "bridge_number": "appelez-moi"}, "bridge_number"),
        ({"panel": []}, "panel"),
        ({"panel": [{"organization_id": "pas-un-uuid", "expert_id": None}]}, "panel"),
        ({"panel": [{"organization_id": str(uuid.uuid4()), "expert_id": None}]}, "panel"),
        ({"case": "un cas"}, "case"),
        ({"family_name": "Tremblay"}, "family_name"),
        ({"consents_signed_on": "2099-01-01"}, "consents_signed_on"),
    ],
)
def test_plan_refuses_bad_input_naming_the_field(client, bearer, experts, overrides, field):
    response = client.post(MEETINGS, json=plan_body(experts, **overrides), headers=bearer)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["parameter"] == field
    assert db.session.scalars(select(Meeting)).first() is None


def test_a_concertation_needs_the_consents_attested(client, bearer, experts):
    case = {**CASE, "meeting_type": "concertation", "on_file_organization_ids": [
        str(seed_id("centre-de-femmes-au-quatre-temps-alma")), RENFORT]}  # fmt: skip
    body = plan_body(experts, case=case)
    body["panel"] = body["panel"][:2]
    refused = client.post(MEETINGS, json=body, headers=bearer)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["parameter"] == "consents_attested"
    body.update(consents_attested=True, consents_signed_on="2026-01-15")
    accepted = client.post(MEETINGS, json=body, headers=bearer)
    assert accepted.status_code == 201, accepted.get_json()
    assert accepted.get_json()["consents_attested"] is True
    assert accepted.get_json()["consents_signed_on"] == "2026-01-15"


def test_place_is_never_a_confidential_sites_address(client, bearer, experts):
    shelter = create_organisation("maison-fictive-hebergement", email="maison@fictif.example")
    add_site(
        shelter,
        region_code="02",
        address="45, rue des Bouleaux Fictifs",
        postal_code="G8B 9Z9",
        confidential=True,
    )
    db.session.commit()
    for place in ("45 rue des Bouleaux Fictifs, Alma", "Local 3, g8b9z9"):
        response = client.post(MEETINGS, json=plan_body(experts, location=place), headers=bearer)
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["parameter"] == "location"
        assert "Bouleaux" not in error["message"]
        assert "confidentiel" in error["message"]


def test_permissions_editor_anonymous_and_another_facilitator(client, bearer, experts):
    body = plan(client, bearer, experts)
    editor = _bearer("editrice-cycle@fictif.example", role="editor")
    assert client.post(MEETINGS, json=plan_body(experts), headers=editor).status_code == 403
    assert client.get(f"{MEETINGS}/{body['id']}", headers=editor).status_code == 403
    assert client.get(f"{MEETINGS}/{body['id']}").status_code == 401
    other = _bearer("autre-animatrice@fictif.example")
    for path in ("", "/invitations", "/cancel", "/follow-up", "/replace"):
        method = client.get if path == "" else client.post
        kwargs = {} if path == "" else {"json": {}}
        response = method(f"{MEETINGS}/{body['id']}{path}", headers=other, **kwargs)
        assert response.status_code == 404, path
    admin = _bearer("admin-cycle@fictif.example", role="admin")
    assert client.get(f"{MEETINGS}/{body['id']}", headers=admin).status_code == 200


def send(client, bearer, meeting: dict) -> dict:
    response = client.post(f"{MEETINGS}/{meeting['id']}/invitations", json={}, headers=bearer)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_send_invitations_by_email_with_an_icalendar_request(client, bearer, experts, mailbox):
    starts = later()
    meeting = plan(client, bearer, experts, starts_at=starts.isoformat())
    sent = send(client, bearer, meeting)
    assert sent["status"] == "invited"
    assert by_org(sent, RENFORT)["status"] == "manual"  # « à joindre par téléphone »
    assert by_org(sent, experts["fictif-psm"])["status"] == "pending"
    assert {message["To"] for message in mailbox.messages} == {
        "fictif-psm@fictif.example",
        "fictif-pc-a@fictif.example",
    }
    for message in mailbox.messages:
        assert message["Subject"].startswith("Filet : invitation")
        assert "/invitations/" in mailbox.link_in(message)
        calendar = calendar_of(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        event = event_of(calendar)
        assert str(event["UID"]) == f"{meeting['id']}@filet"
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == starts
        assert event.decoded("DTEND") == starts + timedelta(minutes=90)
        assert str(event["LOCATION"]) == "Salle 2, 100 rue Fictive, Alma"
        attendees = event["ATTENDEE"]
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(item) for item in attendees] == [f"mailto:{message['To']}"]
    # Sending again sends nothing new: every seat was invited.
    mailbox.messages.clear()
    send(client, bearer, meeting)
    assert mailbox.messages == []


@pytest.mark.parametrize("missing", ["starts_at", "schedule_mode"])
def test_sending_needs_a_schedule(client, bearer, experts, missing):
    meeting = plan(client, bearer, experts)
    setattr(db.session.get(Meeting, uuid.UUID(meeting["id"])), missing, None)
    db.session.commit()
    response = client.post(f"{MEETINGS}/{meeting['id']}/invitations", json={}, headers=bearer)
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "starts_at"


def reply_link(mailbox, address: str) -> str:
    return mailbox.link_in(mailbox.to(address)[-1])


def answer(client, link: str, **data: str):
    page = client.get(link)
    assert page.status_code == 200
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    return client.post(link, data={"csrf_token": token.split('"')[0], **data})


def test_reply_link_declines_once_and_the_engine_proposes_a_replacement(
    client, bearer, experts, mailbox
):
    meeting = send(client, bearer, plan(client, bearer, experts))
    link = reply_link(mailbox, "fictif-pc-a@fictif.example")
    declined = answer(client, link, answer="decline", reason="not_available")
    assert declined.status_code == 302
    assert client.get(link).status_code == 404  # single use: the link is gone
    body = client.get(f"{MEETINGS}/{meeting['id']}", headers=bearer).get_json()
    seat = by_org(body, experts["fictif-pc-a"])
    assert seat["status"] == "declined"
    assert seat["reply_reason"] == "not_available"
    [proposal] = body["replacement_proposals"]
    assert proposal["for"] == seat["id"]
    # The decliner's organisation is excluded, the others keep their seats.
    assert proposal["organization"]["id"] == str(experts["fictif-pc-b"])
    assert proposal["reasons"]
    mailbox.messages.clear()
    replaced = client.post(
        f"{MEETINGS}/{meeting['id']}/replace", json={"invitation_id": seat["id"]}, headers=bearer
    )
    assert replaced.status_code == 200, replaced.get_json()
    after = replaced.get_json()
    old = next(item for item in after["invitations"] if item["id"] == seat["id"])
    assert old["status"] == "replaced"
    new = by_org(after, experts["fictif-pc-b"])
    assert new["replacement_for"] == seat["id"]
    assert new["status"] == "pending"
    assert after["replacement_proposals"] == []
    assert [message["To"] for message in mailbox.messages] == ["fictif-pc-b@fictif.example"]
    # Replacing again is refused: the seat is no longer declined.
    again = client.post(
        f"{MEETINGS}/{meeting['id']}/replace", json={"invitation_id": seat["id"]}, headers=bearer
    )
    assert again.status_code == 400
    assert again.get_json()["error"]["parameter"] == "invitation_id"


def test_accepting_needs_the_confidentiality_commitment(client, bearer, experts, mailbox):
    meeting = send(client, bearer, plan(client, bearer, experts))
    link = reply_link(mailbox, "fictif-psm@fictif.example")
    refused = answer(client, link, answer="accept")
    assert refused.status_code == 400
    assert "confidentialité" in refused.get_data(as_text=True)
    accepted = answer(client, link, answer="accept", confidentiality="y")
    assert accepted.status_code == 302
    body = client.get(f"{MEETINGS}/{meeting['id']}", headers=bearer).get_json()
    seat = by_org(body, experts["fictif-psm"])
    assert seat["status"] == "accepted"
    assert seat["confidentiality_acknowledged"] is True
    # The load criterion counts accepted invitations only.
    counts = queries.recent_invitation_counts()
    assert counts.get(experts["fictif-psm"]) == 1
    assert experts["fictif-pc-a"] not in counts


def test_reply_link_expires(client, bearer, experts, mailbox):
    send(client, bearer, plan(client, bearer, experts))
    link = reply_link(mailbox, "fictif-psm@fictif.example")
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.organisation_id == experts["fictif-psm"])
    ).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 410
    assert client.get("/invitations/pas-un-lien").status_code == 404


def test_reschedule_sends_an_update_and_refuses_a_stale_version(client, bearer, experts, mailbox):
    meeting = send(client, bearer, plan(client, bearer, experts))
    mailbox.messages.clear()
    moved = later(days=25, hour=15)
    response = client.patch(
        f"{MEETINGS}/{meeting['id']}",
        json={"version": meeting["version"], "starts_at": moved.isoformat(), "mode": "video",
              "video_url": "https://visio.fictif.example/r/42"},
        headers=bearer,
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["sequence"] == 1
    assert body["mode"] == "video"
    assert len(mailbox.messages) == 2
    for message in mailbox.messages:
        event = event_of(calendar_of(message))
        assert int(event["SEQUENCE"]) == 1
        assert str(event["UID"]) == f"{meeting['id']}@filet"
        assert event.decoded("DTSTART") == moved
        assert str(event["LOCATION"]) == "https://visio.fictif.example/r/42"
    stale = client.patch(
        f"{MEETINGS}/{meeting['id']}",
        json={"version": meeting["version"], "duration_minutes": 60},
        headers=bearer,
    )
    assert stale.status_code == 409
    stale_cancel = client.post(
        f"{MEETINGS}/{meeting['id']}/cancel", json={"version": meeting["version"]}, headers=bearer
    )
    assert stale_cancel.status_code == 409


def test_cancel_sends_method_cancel_and_closes_the_links(client, bearer, experts, mailbox):
    meeting = send(client, bearer, plan(client, bearer, experts))
    link = reply_link(mailbox, "fictif-psm@fictif.example")
    mailbox.messages.clear()
    response = client.post(f"{MEETINGS}/{meeting['id']}/cancel", json={}, headers=bearer)
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    assert len(mailbox.messages) == 2
    for message in mailbox.messages:
        calendar = calendar_of(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        event = event_of(calendar)
        assert str(event["UID"]) == f"{meeting['id']}@filet"
        assert int(event["SEQUENCE"]) == 1
        assert str(event["STATUS"]) == "CANCELLED"
    assert client.get(link).status_code in {404, 410}
    again = client.post(f"{MEETINGS}/{meeting['id']}/cancel", json={}, headers=bearer)
    assert again.status_code == 409
    follow_up = client.post(f"{MEETINGS}/{meeting['id']}/follow-up", json={}, headers=bearer)
    assert follow_up.status_code == 409  # a cancelled meeting has no follow-up


def test_follow_up_invites_the_same_members_six_weeks_later(client, bearer, experts, mailbox):
    meeting = send(client, bearer, plan(client, bearer, experts))
    answer(client, reply_link(mailbox, "fictif-pc-a@fictif.example"), answer="decline")
    response = client.post(f"{MEETINGS}/{meeting['id']}/follow-up", json={}, headers=bearer)
    assert response.status_code == 201, response.get_json()
    follow_up = response.get_json()
    assert follow_up["round"] == "follow_up"
    assert follow_up["follow_up_of"] == meeting["id"]
    assert follow_up["status"] == "planned"
    first_start = datetime.fromisoformat(meeting["starts_at"])
    assert datetime.fromisoformat(follow_up["starts_at"]) == first_start + timedelta(weeks=6)
    organisations = [item["organization"]["id"] for item in follow_up["invitations"]]
    assert organisations == [str(experts["fictif-psm"]), RENFORT]  # the decliner is not kept
    chosen = later(days=60)
    edited = client.post(
        f"{MEETINGS}/{meeting['id']}/follow-up",
        json={"starts_at": chosen.isoformat()},
        headers=bearer,
    )
    assert datetime.fromisoformat(edited.get_json()["starts_at"]) == chosen
    again = client.post(f"{MEETINGS}/{follow_up['id']}/follow-up", json={}, headers=bearer)
    assert again.status_code == 409  # a follow-up has no follow-up of its own


def test_remind_two_days_before_once(client, bearer, experts, mailbox, app):
    meeting = send(client, bearer, plan(client, bearer, experts))
    stored = db.session.get(Meeting, uuid.UUID(meeting["id"]))
    stored.starts_at = utcnow() + timedelta(days=1, hours=20)
    db.session.commit()
    mailbox.messages.clear()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["meetings", "remind"])
    assert result.exit_code == 0, result.output
    assert "2 reminders sent" in result.output
    assert sorted(message["To"] for message in mailbox.messages) == [
        "fictif-pc-a@fictif.example",
        "fictif-psm@fictif.example",
    ]
    assert all("rappel" in message["Subject"] for message in mailbox.messages)
    mailbox.messages.clear()
    result = runner.invoke(args=["meetings", "remind"])
    assert "0 reminders sent" in result.output
    assert mailbox.messages == []


def held_meeting(client, bearer, experts, mailbox) -> dict:
    """A meeting whose invitations were sent, whose date has now passed."""
    meeting = send(client, bearer, plan(client, bearer, experts))
    stored = db.session.get(Meeting, uuid.UUID(meeting["id"]))
    stored.starts_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    mailbox.messages.clear()
    return client.get(f"{MEETINGS}/{meeting['id']}", headers=bearer).get_json()


def record_body(meeting: dict, experts, **overrides) -> dict:
    attendance = {item["id"]: item["organization"]["id"] != str(experts["fictif-pc-a"])
                  for item in meeting["invitations"]}  # fmt: skip
    return {
        "attendance": attendance,
        "actions": [
            {
                "item": "Proposer un suivi en dépendances à la mère",
                "organization_id": str(experts["fictif-psm"]),
                "due_on": "2031-01-15",
            }
        ],
        "gaps": [{"sector": "PC", "cause": "none_in_region"}],
        **overrides,
    }


def test_phone_answers_are_recorded_by_hand(client, bearer, experts):
    meeting = send(client, bearer, plan(client, bearer, experts))
    manual = by_org(meeting, RENFORT)
    assert manual["status"] == "manual"
    path = f"{MEETINGS}/{meeting['id']}/invitations/{manual['id']}/reply"
    refused = client.post(path, json={"status": "peut-etre"}, headers=bearer)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["parameter"] == "status"
    response = client.post(path, json={"status": "accepted"}, headers=bearer)
    assert response.status_code == 200, response.get_json()
    assert by_org(response.get_json(), RENFORT)["status"] == "accepted"


def test_recording_waits_for_the_date(client, bearer, experts):
    meeting = send(client, bearer, plan(client, bearer, experts))
    response = client.post(
        f"{MEETINGS}/{meeting['id']}/record", json=record_body(meeting, experts), headers=bearer
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"attendance": {}}, "attendance", "présence"),
        (
            {
                "actions": [
                    {
                        "item": "Rappeler la mère au 418 555-0123",
                        "organization_id": None,
                        "due_on": None,
                    }
                ]
            },
            "actions",
            "téléphone",
        ),
        (
            {"actions": [{"item": "Écrire à mere.fictive@example.org", "organization_id": None}]},
            "actions",
            "courriel",
        ),
        (
            {"actions": [{"item": "Accompagner au CLSC", "organization_id": str(uuid.uuid4())}]},
            "actions",
            "organisme",
        ),
        ({"gaps": [{"sector": "PC", "cause": "la météo"}]}, "gaps", "Cause"),
        ({"gaps": [{"sector": "XYZ", "cause": "language"}]}, "gaps", "Secteur"),
    ],
)
def test_record_refuses_identifying_or_invalid_data(  # noqa: PLR0913 - fixtures and the table's columns
    client, bearer, experts, mailbox, overrides, field, says
):
    meeting = held_meeting(client, bearer, experts, mailbox)
    response = client.post(
        f"{MEETINGS}/{meeting['id']}/record",
        json=record_body(meeting, experts, **overrides),
        headers=bearer,
    )
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["parameter"] == field
    assert says in error["message"]
    assert db.session.get(Meeting, uuid.UUID(meeting["id"])).status == "invited"


def test_record_hold_feeds_questionnaires_gap_map_and_follow_up(client, bearer, experts, mailbox):
    meeting = held_meeting(client, bearer, experts, mailbox)
    response = client.post(
        f"{MEETINGS}/{meeting['id']}/record", json=record_body(meeting, experts), headers=bearer
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "held"
    assert by_org(body, experts["fictif-psm"])["attended"] is True
    assert by_org(body, experts["fictif-pc-a"])["attended"] is False
    [action] = body["actions"]
    assert action["item"] == "Proposer un suivi en dépendances à la mère"
    assert action["organization"]["id"] == str(experts["fictif-psm"])
    assert action["due_on"] == "2031-01-15"
    assert action["status"] == "in_progress"
    assert body["gaps"] == [{"sector": "PC", "cause": "none_in_region"}]
    # The attendee with an e-mail gets the evaluation questionnaire; the absent one does not.
    assert [message["To"] for message in mailbox.messages] == ["fictif-psm@fictif.example"]
    assert "/evaluations/" in mailbox.link_in(mailbox.messages[0])
    # The gap map reads the recorded gaps.
    assert queries.recorded_gap_counts()[("02", "PC")] == {"none_in_region": 1}
    # Recording twice is refused.
    again = client.post(
        f"{MEETINGS}/{meeting['id']}/record", json=record_body(meeting, experts), headers=bearer
    )
    assert again.status_code == 409
    # The follow-up shows the action paths to review, and records their status.
    follow_up = client.post(
        f"{MEETINGS}/{meeting['id']}/follow-up",
        json={"starts_at": later(days=42).isoformat()},
        headers=bearer,
    ).get_json()
    assert [item["id"] for item in follow_up["previous_actions"]] == [action["id"]]
    organisations = {item["organization"]["id"] for item in follow_up["invitations"]}
    assert str(experts["fictif-pc-a"]) not in organisations  # absent at the first meeting
    stored = db.session.get(Meeting, uuid.UUID(follow_up["id"]))
    stored.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    recorded = client.post(
        f"{MEETINGS}/{follow_up['id']}/record",
        json={
            "attendance": {item["id"]: True for item in follow_up["invitations"]},
            "previous_actions": {action["id"]: "done"},
        },
        headers=bearer,
    )
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["previous_actions"][0]["status"] == "done"
