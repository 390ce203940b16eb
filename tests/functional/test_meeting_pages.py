"""The meeting lifecycle's pages: plan with a date on the proposal page, send, answer by phone,
download the .ics, print the agenda, record the held meeting, plan the follow-up, cancel, and
the list grouped by what needs doing."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from directory.db import utcnow
from directory.extensions import db
from directory.meetings.models import Invitation, Meeting
from tests.factories import add_site, create_organisation, create_user
from tests.functional.test_meetings import CONFIRM, NEW, PROPOSE, case, hidden_state
from tests.web import csrf_token, login, post_form, text


@pytest.fixture
def facilitator(client):
    user_id = create_user("animatrice-pages@fictif.example", role="facilitator").id
    for slug, sectors in (
        ("fictif-psm", ["PSM"]),
        ("fictif-pc-a", ["PC"]),
        ("fictif-pc-b", ["PC"]),
    ):
        create_organisation(slug, sectors=sectors, email=f"{slug}@fictif.example")
    db.session.commit()
    login(client, "animatrice-pages@fictif.example")
    return user_id


def _day(days: int = 20) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def _confirm(client, **schedule: str):
    proposal = post_form(client, PROPOSE, case(), page=NEW)
    assert proposal.status_code == 200
    data: dict[str, list[str]] = {}
    for name, value in hidden_state(proposal.get_data(as_text=True)):
        data.setdefault(name, []).append(value)
    fields = {f"schedule-{key}": value for key, value in schedule.items()}
    return client.post(CONFIRM, data={"csrf_token": csrf_token(client, NEW), **data, **fields})


def _planned(client, **schedule: str) -> uuid.UUID:
    values = {"day": _day(), "time": "09:30", "duration_minutes": "90", "mode": "in_person",
              "location": "Salle du conseil, Alma", **schedule}  # fmt: skip
    response = _confirm(client, **values)
    assert response.status_code == 302, text(response)[:3000]
    return uuid.UUID(response.headers["Location"].rsplit("/", 1)[1])


def _version(meeting_id: uuid.UUID) -> str:
    return str(db.session.get(Meeting, meeting_id).version)


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_token(client, "/concertations/"), **data})


@pytest.mark.usefixtures("facilitator")
def test_plan_with_a_date_send_and_download_the_calendar(client, mailbox):
    meeting_id = _planned(client)
    starts_at = db.session.get(Meeting, meeting_id).starts_at
    local = starts_at.astimezone(ZoneInfo("America/Toronto"))
    assert (local.hour, local.minute) == (9, 30)  # Québec time, stored in UTC
    page = text(client.get(f"/concertations/{meeting_id}"))
    assert "Salle du conseil, Alma" in page
    assert "Envoyer les invitations" in page
    sent = _post(client, f"/concertations/{meeting_id}/invitations", version=_version(meeting_id))
    assert sent.status_code == 302
    assert {message["To"] for message in mailbox.messages} >= {"fictif-psm@fictif.example"}
    page = text(client.get(f"/concertations/{meeting_id}"))
    assert "Invitations envoyées" in page
    assert "fictif-psm@fictif.example" in page  # contacts, for the facilitator
    ics = client.get(f"/concertations/{meeting_id}/invitation.ics")
    assert ics.status_code == 200
    assert ics.mimetype == "text/calendar"
    calendar = Calendar.from_ical(ics.get_data())
    assert str(calendar["METHOD"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting_id}@filet"
    assert event.decoded("DTSTART") == starts_at
    agenda = client.get(f"/concertations/{meeting_id}/ordre-du-jour")
    assert agenda.status_code == 200
    assert "Ordre du jour" in text(agenda)
    overview = text(client.get("/concertations/"))
    assert "En attente de réponses (1)" in overview


@pytest.mark.usefixtures("facilitator")
def test_plan_form_errors_and_confidential_place(client):
    shelter = create_organisation("maison-fictive-pages", email="maison@fictif.example")
    add_site(shelter, region_code="02", address="12 rue des Pins Fictifs", confidential=True)
    db.session.commit()
    refused = _confirm(client, day=_day(), time="09:30", mode="in_person",
                       location="12, rue des Pins Fictifs")  # fmt: skip
    assert refused.status_code == 400
    assert "site confidentiel" in text(refused)
    assert "12, rue des Pins Fictifs" not in text(refused).split("Lieu (en personne)")[0]
    bad_time = _confirm(client, day=_day(), time="25h", mode="in_person", location="Salle")
    assert bad_time.status_code == 400
    assert "Heure invalide" in text(bad_time)
    video = _confirm(client, day=_day(), time="10:00", mode="video", video_url="visio")
    assert video.status_code == 400
    assert "https://" in text(video)
    assert db.session.query(Meeting).count() == 0


@pytest.mark.usefixtures("facilitator")
def test_phone_answer_record_and_follow_up(client, mailbox):
    meeting_id = _planned(client)
    _post(client, f"/concertations/{meeting_id}/invitations", version=_version(meeting_id))
    seat = db.session.get(Meeting, meeting_id).seats[0]
    seat_id, organisation_id = seat.id, seat.organisation_id
    answered = _post(
        client,
        f"/concertations/{meeting_id}/invitations/{seat_id}/reponse",
        answer="accepted",
        version=_version(meeting_id),
    )
    assert answered.status_code == 302
    assert db.session.get(Meeting, meeting_id).seats[0].status == "accepted"
    # Recording waits for the date.
    early = client.get(f"/concertations/{meeting_id}/compte-rendu")
    assert early.status_code == 302
    db.session.get(Meeting, meeting_id).starts_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    form = client.get(f"/concertations/{meeting_id}/compte-rendu")
    assert form.status_code == 200
    assert "Qui était présent" in text(form)
    data = {f"attendance-{seat_id}": "1", "version": _version(meeting_id),
            "action-0-item": "Appeler la mère au 418 555-0123",
            "action-0-organization": str(organisation_id), "action-0-due": "2031-02-01",
            "gap-0-sector": "PC", "gap-0-cause": "none_in_region"}  # fmt: skip
    refused = _post(client, f"/concertations/{meeting_id}/compte-rendu", **data)
    assert refused.status_code == 400
    assert "numéro de téléphone" in text(refused)
    data["action-0-item"] = "Proposer un groupe de soutien"
    mailbox.messages.clear()
    recorded = _post(client, f"/concertations/{meeting_id}/compte-rendu", **data)
    assert recorded.status_code == 302, text(recorded)[:3000]
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting.status == "held"
    assert [gap.cause for gap in meeting.gaps] == ["none_in_region"]
    page = text(client.get(f"/concertations/{meeting_id}"))
    assert "Rencontre enregistrée; 1 questionnaire d'évaluation envoyé." in page
    assert "Proposer un groupe de soutien" in page
    assert "Planifier le suivi" in page
    assert "Suivi à planifier (1)" in text(client.get("/concertations/"))
    follow_up = _post(client, f"/concertations/{meeting_id}/suivi", day=_day(42), time="10:00")
    assert follow_up.status_code == 302
    follow_up_page = text(client.get(follow_up.headers["Location"]))
    assert "Rencontre de suivi" in follow_up_page
    assert "Proposer un groupe de soutien" in follow_up_page  # the actions to review


@pytest.mark.usefixtures("facilitator")
@pytest.mark.parametrize("missing", ["starts_at", "schedule_mode"])
def test_sending_from_the_page_needs_a_date_and_a_mode(client, mailbox, missing):
    meeting_id = _planned(client)
    setattr(db.session.get(Meeting, meeting_id), missing, None)
    db.session.commit()
    sent = _post(client, f"/concertations/{meeting_id}/invitations", version=_version(meeting_id))
    assert sent.status_code == 302
    page = text(client.get(f"/concertations/{meeting_id}"))
    assert "Fixez d'abord la date, la durée et le mode de la rencontre." in page
    assert db.session.get(Meeting, meeting_id).status == "planned"
    assert mailbox.messages == []


@pytest.mark.usefixtures("facilitator")
def test_cancel_from_the_page(client, mailbox):
    meeting_id = _planned(client)
    _post(client, f"/concertations/{meeting_id}/invitations", version=_version(meeting_id))
    mailbox.messages.clear()
    stale = _post(client, f"/concertations/{meeting_id}/annuler", version="0")
    assert stale.status_code == 409
    cancelled = _post(client, f"/concertations/{meeting_id}/annuler", version=_version(meeting_id))
    assert cancelled.status_code == 302
    assert mailbox.messages
    assert all("annulée" in message["Subject"] for message in mailbox.messages)
    page = text(client.get(f"/concertations/{meeting_id}"))
    assert "Concertation annulée" in page
    assert "Planifier le suivi" not in page  # closed: no follow-up, nothing to send or change
    assert "Envoyer les invitations" not in page
    version = _version(meeting_id)
    for path in ("suivi", "invitations", "annuler"):
        assert (
            _post(client, f"/concertations/{meeting_id}/{path}", version=version).status_code == 409
        )


@pytest.mark.usefixtures("facilitator")
def test_another_facilitators_meeting_is_not_found(client):
    meeting_id = _planned(client)
    create_user("autre-pages@fictif.example", role="facilitator")
    db.session.commit()
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/concertations/")})
    login(client, "autre-pages@fictif.example")
    for path in ("", "/invitation.ics", "/ordre-du-jour", "/compte-rendu"):
        assert client.get(f"/concertations/{meeting_id}{path}").status_code == 404, path
    for path in ("/invitations", "/annuler", "/suivi", "/horaire", "/remplacer"):
        assert _post(client, f"/concertations/{meeting_id}{path}").status_code == 404, path
    assert re.search(r"Rien pour l.instant", text(client.get("/concertations/")))


CANARY = ("4321 rue des Canaris-Cachés", "G8H 9Z9", "48.7654", "72.3456")


@pytest.mark.usefixtures("facilitator")
def test_meeting_pages_mails_and_api_never_show_a_confidential_address(client, mailbox):
    """A shelter invited to a meeting: its confidential site's street address, postal code and
    coordinates appear on no meeting page, .ics, e-mail, reply page or API answer."""
    shelter = create_organisation("refuge-canari-rencontre", sectors=["PC"],
                                  email="refuge-canari@fictif.example")  # fmt: skip
    add_site(shelter, region_code="02", address=CANARY[0], postal_code=CANARY[1],
             latitude=48.765432, longitude=-72.345678, confidential=True)  # fmt: skip
    shelter_id = shelter.id
    db.session.commit()
    meeting_id = _planned(client)
    meeting = db.session.get(Meeting, meeting_id)
    meeting.invitations.append(Invitation(organisation_id=shelter_id, position=9, covers=["PC"]))
    db.session.commit()
    _post(client, f"/concertations/{meeting_id}/invitations", version=_version(meeting_id))
    link = mailbox.link_in(mailbox.to("refuge-canari@fictif.example")[0])
    bodies = [message.as_string() for message in mailbox.messages]
    bodies.extend(
        client.get(f"/concertations/{meeting_id}{path}").get_data(as_text=True)
        for path in ("", "/invitation.ics", "/ordre-du-jour")
    )
    bodies.append(client.get("/concertations/").get_data(as_text=True))
    bodies.append(client.get(f"/api/v1/meetings/{meeting_id}").get_data(as_text=True))
    bodies.append(client.get(link).get_data(as_text=True))
    db.session.get(Meeting, meeting_id).starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    bodies.append(client.get(f"/concertations/{meeting_id}/compte-rendu").get_data(as_text=True))
    assert "Organisme fictif refuge-canari-rencontre" in "".join(bodies)  # the shelter is there
    for body in bodies:
        for needle in CANARY:
            assert needle not in body


@pytest.mark.usefixtures("facilitator")
def test_a_decline_taken_by_phone_keeps_its_reason(client):
    meeting_id = _planned(client)
    _post(client, f"/concertations/{meeting_id}/invitations", version=_version(meeting_id))
    seat_id = db.session.get(Meeting, meeting_id).seats[0].id
    page = text(client.get(f"/concertations/{meeting_id}"))
    assert "Raison du refus (facultatif)" in page
    assert "Hors de mon champ d'expertise" in page
    url = f"/concertations/{meeting_id}/invitations/{seat_id}/reponse"
    unknown = _post(client, url, answer="declined", reason="busy", version=_version(meeting_id))
    assert unknown.status_code == 400
    declined = _post(
        client, url, answer="declined", reason="not_my_field", version=_version(meeting_id)
    )
    assert declined.status_code == 302
    seat = db.session.get(Meeting, meeting_id).seats[0]
    assert (seat.status, seat.reply_reason) == ("declined", "not_my_field")
    assert "(Hors de mon champ d'expertise)" in text(client.get(f"/concertations/{meeting_id}"))
