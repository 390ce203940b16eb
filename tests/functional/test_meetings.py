"""Facilitators describe a case, review the proposed panel, swap and exclude, and plan it."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import String, select

from directory.db import utcnow
from directory.expertise.models import Expert, ExpertiseOffer
from directory.extensions import db
from directory.meetings.models import Invitation, Meeting
from directory.organisations.models import Organisation
from directory.reference.models import Region, Sector
from directory.seeding import seed_id
from tests.factories import create_meeting, create_organisation, create_user
from tests.web import csrf_token, login, post_form, text

NEW = "/concertations/nouvelle"
PROPOSE = "/concertations/proposition"
CONFIRM = "/concertations/confirmer"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
ACTION = re.compile(r'name="action"\s+class="link-button"\s+value="([^"]+)"')


ALMA = str(seed_id("centre-de-femmes-au-quatre-temps-alma"))


def case(**overrides: object) -> dict[str, object]:
    """A consultation in Saguenay–Lac-Saint-Jean: mental health and substance use, victim
    followed, referred by a women's centre in Alma."""
    return {
        "region": "02",
        "municipality": "",
        "cooccurrences": ["PSM", "PC"],
        "followed": ["victim"],
        "on_file_organization_ids": [ALMA],
        "meeting_type": "consultation",
        "mode": "in_person",
        "language": "fr",
        "max_experts": "5",
        "previous_meeting_id": "",
        **overrides,
    }


def hidden_state(page: str) -> list[tuple[str, str]]:
    return [(name, value) for name, value in HIDDEN.findall(page) if name != "csrf_token"]


def resubmit(client, page: str, path: str = PROPOSE, action: str | None = None):
    """Post the proposal page's hidden state back, as its buttons do."""
    data: dict[str, list[str]] = {}
    for name, value in hidden_state(page):
        data.setdefault(name, []).append(value)
    if action:
        data["action"] = [action]
    token = csrf_token(client, NEW)
    return client.post(path, data={"csrf_token": token, **data})


@pytest.fixture
def facilitator(client):
    user = create_user("animatrice-c@fictif.example", role="facilitator")
    user_id = user.id
    login(client, "animatrice-c@fictif.example")
    return user_id


@pytest.mark.usefixtures("facilitator")
def test_journey_form_proposal_swap_exclude_confirm(client):
    assert "Nouvelle concertation" in text(client.get("/compte"))
    assert client.get(NEW).status_code == 200
    response = post_form(client, PROPOSE, case(municipality="Robervall"), page=NEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, text(response)[:3000]
    assert "Couvre : " in text(response)
    assert "Confirmer et planifier" in page
    assert ("municipality", "Roberval") in hidden_state(page)
    swaps = [a for a in ACTION.findall(page) if a.startswith("swap|")]
    assert swaps, "the panel offers alternatives"
    _kind, chosen, replaced = swaps[0].split("|")
    swapped = resubmit(client, page, action=swaps[0])
    assert swapped.status_code == 200
    state = hidden_state(swapped.get_data(as_text=True))
    assert ("pinned", chosen) in state
    assert ("exclude_candidates", replaced) in state
    assert "Choisi par l'animatrice" in text(swapped)
    excludes = [
        a for a in ACTION.findall(swapped.get_data(as_text=True)) if a.startswith("exclude|")
    ]
    excluded_org = excludes[-1].split("|")[1]
    after = resubmit(client, swapped.get_data(as_text=True), action=excludes[-1])
    assert after.status_code == 200
    assert ("exclude_organization_ids", excluded_org) in hidden_state(after.get_data(as_text=True))
    assert f"exclude|{excluded_org}" not in after.get_data(as_text=True)
    confirmed = resubmit(client, after.get_data(as_text=True), path=CONFIRM)
    assert confirmed.status_code == 302
    meeting_page = client.get(confirmed.headers["Location"])
    assert meeting_page.status_code == 200
    assert "Concertation planifiée" in text(meeting_page)
    meeting_id = uuid.UUID(confirmed.headers["Location"].rsplit("/", 1)[1])
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting is not None
    assert meeting.invitations
    assert meeting.municipality.name == "Roberval"
    organisations = {str(invitation.organisation_id) for invitation in meeting.invitations}
    assert excluded_org not in organisations
    assert "Concertations planifiées" in text(client.get("/concertations/"))


def _plan(client, **overrides: object) -> uuid.UUID:
    proposal = post_form(client, PROPOSE, case(**overrides), page=NEW)
    assert proposal.status_code == 200, text(proposal)[:2000]
    confirmed = resubmit(client, proposal.get_data(as_text=True), path=CONFIRM)
    assert confirmed.status_code == 302
    return uuid.UUID(confirmed.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.usefixtures("facilitator")
def test_validation_messages_in_french(client):
    bad = case(cooccurrences=[], followed=[], max_experts="9", municipality="Xyzzyville")
    response = post_form(client, PROPOSE, bad, page=NEW)
    assert response.status_code == 400
    page = text(response)
    assert "Cochez au moins une problématique concomitante (PSM, PC ou MT)." in page
    assert "Cochez au moins une personne suivie." in page
    assert "Un nombre entier de 1 à 8." in page
    assert "Municipalité introuvable." in page


@pytest.mark.usefixtures("facilitator")
def test_validation_messages_in_english_and_municipality_of_another_region(client):
    client.set_cookie("lang", "en")
    response = post_form(client, PROPOSE, case(followed=[], municipality="Verdun"), page=NEW)
    assert response.status_code == 400
    page = text(response)
    assert "Tick at least one person followed." in page
    assert "This municipality is not in the chosen region." in page


@pytest.mark.usefixtures("facilitator")
def test_forged_pins_and_unknown_organisations_are_refused(client):
    token = csrf_token(client, NEW)
    forged = client.post(PROPOSE, data={"csrf_token": token, **case(), "pinned": "inconnu"})
    assert forged.status_code == 400
    unknown = {**case(), "on_file_organization_ids": [str(uuid.uuid4())]}
    assert client.post(PROPOSE, data={"csrf_token": token, **unknown}).status_code == 400


def test_roles(client, app):
    organisation = create_organisation("meetings-editeur", region="02")
    create_user("editeur-m@fictif.example", organisations=[organisation])
    create_user("admin-m@fictif.example", role="admin")
    create_user("animatrice-m@fictif.example", role="facilitator")
    db.session.commit()
    anonymous = client.get(NEW)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/connexion")
    login(client, "animatrice-m@fictif.example")
    meeting_id = _plan(client)
    editor = app.test_client()
    login(editor, "editeur-m@fictif.example")
    assert editor.get(NEW).status_code == 403
    assert editor.get(f"/concertations/{meeting_id}").status_code == 403
    admin = app.test_client()
    login(admin, "admin-m@fictif.example")
    assert admin.get(NEW).status_code == 200
    assert admin.get(f"/concertations/{meeting_id}").status_code == 200
    other = app.test_client()
    create_user("autre-animatrice@fictif.example", role="facilitator")
    db.session.commit()
    login(other, "autre-animatrice@fictif.example")
    assert other.get(f"/concertations/{meeting_id}").status_code == 404
    assert "Aucune concertation planifiée" in text(other.get("/concertations/"))


@pytest.mark.usefixtures("facilitator")
def test_consultation_stores_nothing_identifying(client):
    meeting_id = _plan(
        client,
        meeting_type="consultation",
        notes="Mme Fictive Tremblay, 12 rue des Exemples",
        name="Fictive Tremblay",
    )
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting.meeting_type == "consultation"
    stored = [
        repr(getattr(row, column.key))
        for row in [meeting, *meeting.invitations, *meeting.on_file]
        for column in row.__table__.columns
    ]
    assert not any("Tremblay" in value or "Exemples" in value for value in stored)
    text_columns = [
        column.name
        for table in (Meeting.__table__, Invitation.__table__)
        for column in table.columns
        if isinstance(column.type, String)
    ]
    # Codes only: no column could hold a name or a note about the family.
    assert sorted(text_columns) == [
        "language",
        "meeting_type",
        "mode",
        "region_code",
        "status",
        "status",
    ]


@pytest.mark.usefixtures("facilitator")
def test_imminent_risk_points_to_the_rapid_intervention_cell(client):
    response = post_form(client, PROPOSE, case(imminent_risk="y"), page=NEW)
    assert response.status_code == 200
    page = text(response)
    assert "cellule d'intervention rapide" in page
    assert "Confirmer et planifier" not in page
    assert "Couvre : " not in page


@pytest.mark.usefixtures("facilitator")
def test_default_offer_is_marked_unconfirmed(client):
    response = post_form(client, PROPOSE, case(), page=NEW)
    assert "offre non confirmée par l'organisme" in text(response)


def _pc_offer(slug: str, *, expert: str | None = None) -> Organisation:
    """A fictional PC organisation in 02 (the seed has none) with a confirmed offer."""
    organisation = create_organisation(slug, region="02", sectors=["PC"])
    offer = ExpertiseOffer(
        organisation_id=organisation.id,
        sectors=[db.session.get(Sector, "PC")],
        regions=[db.session.get(Region, "02")],
        joins_remotely=True,
    )
    db.session.add(offer)
    if expert:
        person = Expert(organisation_id=organisation.id, name=expert)
        person.sectors = [db.session.get(Sector, "PC")]
        db.session.add(person)
    db.session.flush()
    return organisation


@pytest.mark.usefixtures("facilitator")
def test_confirmed_offer_with_named_expert_is_proposed(client):
    _pc_offer("dependances-fictives-02", expert="Experte Fictive Gagnon")
    db.session.commit()
    response = post_form(client, PROPOSE, case(), page=NEW)
    page = text(response)
    assert "Experte Fictive Gagnon" in page
    meeting_id = _plan(client)
    invitations = db.session.get(Meeting, meeting_id).invitations
    assert any(i.expert and i.expert.name == "Experte Fictive Gagnon" for i in invitations)


def _chosen_pc(client) -> set[str]:
    response = post_form(client, PROPOSE, case(cooccurrences=["PC"]), page=NEW)
    return set(re.findall(r'href="/organismes/([^"]+)"', response.get_data(as_text=True)))


def _load(organisation: Organisation, created_by: uuid.UUID, times: int) -> None:
    create_meeting(
        created_by, cooccurrences=["PC"], invited=[organisation.id] * times, created_at=utcnow()
    )


@pytest.mark.parametrize("busy", [0, 1])
def test_recent_load_favours_the_less_invited_of_two_substitutable(client, facilitator, busy):
    twins = [_pc_offer("pc-jumeau-a"), _pc_offer("pc-jumeau-b")]
    slugs = [twin.slug for twin in twins]
    _load(twins[busy], facilitator, times=3)
    db.session.commit()
    chosen = _chosen_pc(client) & set(slugs)
    assert chosen == {slugs[1 - busy]}
    assert (
        "Invité 3 fois ces 90 derniers jours"
        not in text(post_form(client, PROPOSE, case(cooccurrences=["PC"]), page=NEW)).split(
            "Autres possibilités"
        )[0]
    )


def test_meetings_list_is_paginated_newest_first(client, facilitator, app):
    for _ in range(app.config["PER_PAGE"] + 1):
        _load(db.session.scalars(select(Organisation)).first(), facilitator, times=0)
    db.session.commit()
    first = client.get("/concertations/")
    assert first.status_code == 200
    assert "Page 1 sur 2" in text(first)


@pytest.mark.usefixtures("facilitator")
def test_follow_up_keeps_the_previous_members(client):
    first = _plan(client)
    response = post_form(client, PROPOSE, case(previous_meeting_id=str(first)), page=NEW)
    assert response.status_code == 200
    assert "présent à la rencontre précédente" in text(response)
    second = _plan(client, previous_meeting_id=str(first))
    assert db.session.get(Meeting, second).previous_meeting_id == first


@pytest.mark.usefixtures("facilitator")
def test_the_form_explains_concertation_and_consultation_where_the_type_is_chosen(client):
    page = text(client.get(NEW))
    assert "Concertation : les parents ont signé le consentement et au moins deux" in page
    assert "consultation : anonyme, sans consentement demandé" in page
    client.set_cookie("lang", "en")
    english = text(client.get(NEW))
    assert "Concertation: the parents signed the consent and at least two" in english


CRAN = str(seed_id("cran-d-arret-alma"))


@pytest.mark.usefixtures("facilitator")
@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"meeting_type": "concertation", "consents_attested": "y"}, 400, "au moins deux"),
        (
            {"meeting_type": "concertation", "on_file_organization_ids": [ALMA, CRAN]},
            400,
            "cochez l'attestation",
        ),
        (
            {
                "meeting_type": "concertation",
                "on_file_organization_ids": [ALMA, CRAN],
                "consents_attested": "y",
            },
            200,
            "Proposition d'experts",
        ),
        ({"on_file_organization_ids": []}, 400, "l'organisme de l'intervenant·e référent·e"),
        ({"consents_attested": "y"}, 400, "Une consultation est anonyme"),
    ],
)
def test_the_meeting_type_rule_in_the_form(client, change, status, message):
    response = post_form(client, PROPOSE, case(**change), page=NEW)
    assert response.status_code == status
    assert message in text(response)


@pytest.mark.usefixtures("facilitator")
def test_the_proposal_says_each_gaps_cause_and_what_satisfies_the_rules(client):
    response = post_form(client, PROPOSE, case(), page=NEW)
    page = text(response)
    assert "PC : aucune ressource répertoriée dans Filet pour la région 02" in page
    assert "Portage" in page.split("Manques")[1]  # a remote option from another region
    assert "(à la table : VCF, PSM ; manque : PC)" in page
    assert "programmes d'un même CISSS/CIUSSS comptent pour un" in page
    assert "ajouté pour atteindre trois organismes distincts" in page
    assert "depuis le centre de la municipalité" in page


@pytest.mark.usefixtures("facilitator")
def test_a_follow_up_in_another_region_needs_a_deliberate_change(client):
    first = _plan(client)
    moved = case(
        previous_meeting_id=str(first),
        region="03",
        on_file_organization_ids=[str(seed_id("violence-info"))],
    )
    refused = post_form(client, PROPOSE, moved, page=NEW)
    assert refused.status_code == 400
    assert "Une rencontre de suivi garde la région de la rencontre précédente (02)" in text(refused)
    confirmed = post_form(client, PROPOSE, {**moved, "follow_up_changes_confirmed": "y"}, page=NEW)
    assert confirmed.status_code == 200
    state = hidden_state(confirmed.get_data(as_text=True))
    assert ("follow_up_changes_confirmed", "y") in state
