"""The online questionnaire: a single-use link e-mailed to an attendee, answered without an
account in French or English, anonymous, refusing identifying data in the open answers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from directory.db import utcnow
from directory.evaluations import notifications, operations
from directory.evaluations.models import Questionnaire, QuestionnaireLink
from directory.extensions import db
from tests.evaluation_factories import HELD_ON, create_meeting, issue_link
from tests.functional.test_get_is_safe import _snapshot
from tests.web import csrf_token, text

ANSWERS = {
    "security": "oui",
    "practice": "incertain",
    "strategy": "oui",
    "knowledge": "beaucoup",
    "s1": "tres_satisfaisant",
    "s6": "peu_satisfaisant",
    "divergence": "non",
    "helped": "La présence de l'experte en dépendances.",
    "difficult": "",
}


def _post(client, path, data):
    # One CSRF token per session: read it where every visitor can.
    return client.post(path, data={"csrf_token": csrf_token(client, "/connexion"), **data})


def _stored(meeting_id):
    """What was stored for a meeting (by id: a request's commit detaches earlier objects)."""
    return db.session.scalars(select(Questionnaire).where(Questionnaire.meeting_id == meeting_id))


def test_an_attendee_answers_by_the_emailed_link_once(app, client, mailbox):
    previous = create_meeting()
    meeting = create_meeting(previous_meeting_id=previous.id, meeting_type="consultation")
    meeting_id = meeting.id
    with app.test_request_context():
        issued = operations.issue_questionnaires(
            meeting,
            [
                operations.Attendee("referente@fictif.example", "referrer", "VCF"),
                operations.Attendee("experte@fictif.example", "external_expert", "PC"),
            ],
            held_on=HELD_ON,
        )
        db.session.commit()  # into the test's transaction: leaving the context closes the session
        for item in issued:
            notifications.send_questionnaire(item)
    [message] = mailbox.to("referente@fictif.example")
    assert "2026-03-12" in message.get_body(preferencelist=("plain",)).get_content()
    path = mailbox.link_in(message)

    page = client.get(path)
    assert page.status_code == 200
    assert "Répond" not in text(page)  # the form asks questions, the reports use short labels
    assert "Cette rencontre améliore-t-elle votre pratique ?" in text(page)
    assert "Vous répondez comme : Intervenant·e référent·e (au dossier)" in text(page)

    response = _post(client, path, ANSWERS)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/evaluations/merci")
    [stored] = _stored(meeting_id)
    assert (stored.role, stored.referrer, stored.sector_code) == ("on_file", True, "VCF")
    assert (stored.region_code, stored.meeting_type, stored.round) == ("02", "consultation",
                                                                      "follow_up")  # fmt: skip
    assert (stored.cooccurrence, stored.meeting_date) == ("MT+PSM", HELD_ON)
    assert (stored.security, stored.practice, stored.s6, stored.partners) == (
        "oui", "incertain", "peu_satisfaisant", None)  # fmt: skip
    assert stored.helped == "La présence de l'experte en dépendances."
    assert stored.difficult is None

    again = client.get(path)
    assert again.status_code == 410
    assert "déjà été rempli" in text(again)
    assert _post(client, path, ANSWERS).status_code == 410
    assert len(list(_stored(meeting_id))) == 1


def test_an_external_expert_is_not_asked_about_practice(client):
    meeting = create_meeting()
    meeting_id, issued = meeting.id, issue_link(meeting, role="external_expert", sector="PSM")
    path = f"/evaluations/{issued.token}"
    page = text(client.get(path))
    assert "améliore-t-elle votre pratique" not in page
    assert "Experte ou expert externe" in page
    assert _post(client, path, ANSWERS).status_code == 302
    [stored] = _stored(meeting_id)
    assert (stored.role, stored.referrer, stored.practice, stored.security) == (
        "external_expert", None, None, "oui")  # fmt: skip


def test_identifying_data_in_an_open_answer_is_refused_and_nothing_is_stored(client):
    meeting = create_meeting()
    meeting_id, path = meeting.id, f"/evaluations/{issue_link(meeting).token}"
    response = _post(
        client,
        path,
        {**ANSWERS, "difficult": "Rappeler la mère au 418 555-0123, née le 3 mars 1985"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "un numéro de téléphone (« 418 555-0123 »)" in page
    assert "une date de naissance ou une date complète (« née le 3 mars 1985 »)" in page
    assert list(_stored(meeting_id)) == []
    # Nothing was used up: the corrected answer goes through.
    assert _post(client, path, ANSWERS).status_code == 302


def test_an_empty_questionnaire_is_refused_with_a_message(client):
    meeting = create_meeting()
    meeting_id, path = meeting.id, f"/evaluations/{issue_link(meeting).token}"
    response = _post(client, path, {})
    assert response.status_code == 400
    assert "Répondez à au moins une question avant d'envoyer." in text(response)
    assert list(_stored(meeting_id)) == []


def test_an_unknown_answer_code_is_a_400_not_a_500(client):
    meeting = create_meeting()
    meeting_id, path = meeting.id, f"/evaluations/{issue_link(meeting).token}"
    response = _post(client, path, {**ANSWERS, "security": "peut-etre"})
    assert response.status_code == 400
    assert list(_stored(meeting_id)) == []


def test_expired_and_unknown_links(client, db_session):
    meeting = create_meeting()
    issued = issue_link(meeting)
    issued.link.expires_at = utcnow() - timedelta(minutes=1)
    db_session.flush()
    closed = client.get(f"/evaluations/{issued.token}")
    assert closed.status_code == 410
    assert "Ce questionnaire est fermé" in text(closed)
    unknown = client.get("/evaluations/pas-un-jeton")
    assert unknown.status_code == 404
    assert "Ce lien de questionnaire est inconnu" in text(unknown)


def test_the_questionnaire_in_english(client):
    meeting = create_meeting()
    path = f"/evaluations/{issue_link(meeting, sector='MT').token}"
    client.set_cookie("lang", "en")
    page = text(client.get(path))
    assert "Does this meeting improve your practice?" in page
    assert "Very satisfactory" in page
    response = _post(client, path, {**ANSWERS, "helped": "Call me at jane@example.org"})
    assert response.status_code == 400
    assert "an e-mail address (« jane@example.org »)" in text(response)


def test_no_person_is_stored_and_nothing_ties_an_answer_to_its_link(app, client, db_session):
    meeting = create_meeting()
    email = "personne-invitee@fictif.example"
    issued = issue_link(meeting, email=email)
    link_id = issued.link.id
    before = _snapshot()
    assert client.get(f"/evaluations/{issued.token}").status_code == 200
    assert _snapshot() == before  # reading the form changes nothing
    assert _post(client, f"/evaluations/{issued.token}", ANSWERS).status_code == 302
    dump = "\n".join(
        repr(row)
        for table in db.metadata.sorted_tables
        for row in db_session.execute(select(table)).all()
    )
    assert email not in dump
    assert issued.token not in dump  # only its hash is kept
    columns = {column.name for column in Questionnaire.__table__.columns}
    assert not columns & {"link_id", "email", "name", "created_at"}
    assert db_session.get(QuestionnaireLink, link_id).used is True
    del app
