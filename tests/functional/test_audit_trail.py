"""Every account, approval and meeting event joins the audit trail; the trail is
append-only; `flask audit export` writes it as JSON Lines or CSV, without street addresses."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from directory.accounts import operations
from directory.accounts.models import AccountRequest, User
from directory.audit.models import AppendOnlyError, AuditEntry
from directory.config import REPOSITORY_ROOT
from directory.db import utcnow
from directory.extensions import db
from directory.seeding import seed_id
from tests.factories import PASSWORD, create_organisation, create_user
from tests.web import login, post_form


def _events(entity: str | None = None) -> list[tuple[str, str, str | None]]:
    """(entity, action, actor e-mail) of every entry, oldest first."""
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    return [
        (entry.entity, entry.action, entry.user.email if entry.user else None)
        for entry in db.session.scalars(stmt)
    ]


def test_account_events_join_the_trail(client, mailbox):
    create_user("chef@fictif.example", role="admin")
    post_form(client, "/connexion", {"email": "chef@fictif.example", "password": "mauvais"})
    login(client, "chef@fictif.example")
    post_form(
        client,
        "/admin/comptes/inviter",
        {"email": "nouvelle-audit@fictif.example", "role": "facilitator"},
    )
    invited = db.session.scalars(
        select(User).where(User.email == "nouvelle-audit@fictif.example")
    ).one()
    invited_id = invited.id
    link = mailbox.link_in(mailbox.to("nouvelle-audit@fictif.example")[0])
    other = client.application.test_client()
    post_form(
        other, link, {"password": "une phrase assez longue", "confirm": "une phrase assez longue"}
    )
    post_form(
        client, f"/admin/comptes/{invited_id}/role", {"role": "admin"}, page="/admin/comptes/"
    )
    post_form(client, f"/admin/comptes/{invited_id}/desactiver", {}, page="/admin/comptes/")
    post_form(client, f"/admin/comptes/{invited_id}/reactiver", {}, page="/admin/comptes/")
    invited = db.session.get(User, invited_id)
    operations.issue_api_token(invited)
    operations.revoke_api_tokens(invited)
    events = _events("user")
    assert ("user", "login_failed", None) in events
    assert ("user", "login", "chef@fictif.example") in events
    assert ("user", "invite", "chef@fictif.example") in events
    assert ("user", "password_change", "nouvelle-audit@fictif.example") in events
    assert ("user", "role_change", "chef@fictif.example") in events
    assert ("user", "disable", "chef@fictif.example") in events
    assert ("user", "enable", "chef@fictif.example") in events
    assert ("user", "token_issue", None) in events
    assert ("user", "token_revoke", None) in events
    role = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "role_change")).one()
    assert role.changes == {"role": ["facilitator", "admin"]}
    assert role.entity_id == str(invited_id)
    assert db.session.get(User, invited_id).role == "admin"


def test_no_password_and_no_client_address_in_the_trail(client):
    create_user("secret@fictif.example", role="facilitator")
    post_form(client, "/connexion", {"email": "secret@fictif.example", "password": "mot-errone-42"})
    login(client, "secret@fictif.example")
    dumped = json.dumps([entry.changes for entry in db.session.scalars(select(AuditEntry))])
    assert "mot-errone-42" not in dumped
    assert PASSWORD not in dumped
    assert "127.0.0.1" not in dumped


def test_role_change_refuses_an_editor_without_organisation_and_oneself(client):
    create_user("chef-role@fictif.example", role="admin")
    target = create_user("sans-org@fictif.example", role="facilitator").id
    login(client, "chef-role@fictif.example")
    post_form(client, f"/admin/comptes/{target}/role", {"role": "editor"}, page="/admin/comptes/")
    assert db.session.get(User, target).role == "facilitator"
    me = db.session.scalars(select(User.id).where(User.email == "chef-role@fictif.example")).one()
    post_form(client, f"/admin/comptes/{me}/role", {"role": "editor"}, page="/admin/comptes/")
    assert db.session.get(User, me).role == "admin"
    assert _events("user").count(("user", "role_change", "chef-role@fictif.example")) == 0


def test_account_request_decisions_join_the_trail(client, mailbox):
    create_user("chef-demandes@fictif.example", role="admin")
    organisation = create_organisation("audit-demande")
    first = AccountRequest(name="Une", email="une-audit@fictif.example", organisation=organisation)
    second = AccountRequest(
        name="Deux", email="deux-audit@fictif.example", organisation=organisation
    )
    db.session.add_all([first, second])
    db.session.flush()
    ids = (first.id, second.id)
    login(client, "chef-demandes@fictif.example")
    post_form(client, f"/admin/demandes/{ids[0]}/approuver", {}, page="/admin/demandes/")
    post_form(client, f"/admin/demandes/{ids[1]}/rejeter", {}, page="/admin/demandes/")
    decisions = _events("account_request")
    assert decisions == [
        ("account_request", "approve", "chef-demandes@fictif.example"),
        ("account_request", "reject", "chef-demandes@fictif.example"),
    ]
    assert mailbox.to("une-audit@fictif.example")


def test_planning_a_meeting_joins_the_trail_with_codes_only(client):
    create_user("animatrice-audit@fictif.example", role="facilitator")
    login(client, "animatrice-audit@fictif.example")
    case = {"region": "03", "cooccurrences": ["PSM"], "followed": ["victim"],
            "meeting_type": "consultation", "mode": "in_person", "language": "fr",
            "max_experts": "3",  # a consultation: the referrer's organisation on the file
            "on_file_organization_ids": [str(seed_id("violence-info"))]}  # fmt: skip
    response = post_form(client, "/concertations/confirmer", case, page="/concertations/nouvelle")
    assert response.status_code == 302
    meeting_id = response.headers["Location"].rsplit("/", 1)[1]
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "meeting").order_by(AuditEntry.id)
    ).all()
    assert [(entry.action, entry.entity_id) for entry in entries] == [
        ("create", meeting_id),
        ("confirm", meeting_id),
    ]
    assert entries[0].changes["region_code"] == [None, "03"]
    assert entries[0].user.email == "animatrice-audit@fictif.example"


def test_audit_rows_cannot_be_changed_or_deleted():
    entry = AuditEntry(entity="user", entity_id="x", action="login", changes={})
    db.session.add(entry)
    db.session.flush()
    entry.action = "logout"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    entry = AuditEntry(entity="user", entity_id="y", action="login", changes={})
    db.session.add(entry)
    db.session.flush()
    db.session.delete(entry)
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(update(AuditEntry).values(action="login"))
    with pytest.raises(AppendOnlyError):
        db.session.execute(delete(AuditEntry))


def test_no_code_path_updates_or_deletes_audit_rows():
    """Outside the guard itself, the application never names an audit row in a write."""
    pattern = re.compile(
        r"(update|delete)\(\s*AuditEntry|audit_entries.*(UPDATE|DELETE)|"
        r"(UPDATE|DELETE FROM)\s+audit_entries|\.reverted_by_id\s*=[^=]"
    )
    offenders = [
        f"{path.relative_to(REPOSITORY_ROOT)}:{number}"
        for path in (REPOSITORY_ROOT / "directory").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.fixture
def trail():
    """A location update carrying an address, and an older login."""
    organisation = create_organisation("audit-export")
    user = create_user("export@fictif.example", role="admin")
    db.session.add_all(
        [
            AuditEntry(
                user_id=user.id, entity="user", entity_id=str(user.id), action="login",
                changes={}, at=utcnow() - timedelta(days=40),
            ),
            AuditEntry(
                user_id=user.id, organisation_id=organisation.id, entity="location",
                entity_id="lieu", action="update",
                changes={"address": [None, "12 rue Secrète-Fictive"],
                         "postal_code": [None, "G8H 9Z9"], "name": ["Ancien", "Accueil"]},
            ),
        ]
    )  # fmt: skip
    db.session.flush()


@pytest.mark.usefixtures("trail")
def test_export_jsonl_to_standard_output_masks_addresses(app):
    result = app.test_cli_runner().invoke(args=["audit", "export"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    location = next(row for row in rows if row["entity"] == "location")
    assert location["organisation_slug"] == "audit-export"
    assert location["changes"]["name"] == ["Ancien", "Accueil"]
    assert location["changes"]["address"] == [None, "[masqué]"]
    assert "Secrète" not in result.output
    assert "9Z9" not in result.output
    assert {row["action"] for row in rows} >= {"login", "update"}


@pytest.mark.usefixtures("trail")
def test_export_csv_since_a_date_to_a_file(app, tmp_path: Path):
    since = (utcnow() - timedelta(days=1)).date().isoformat()
    output = tmp_path / "audit.csv"
    args = ["audit", "export", "--since", since, "--format", "csv", "--output", str(output)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert [row["action"] for row in rows if row["user_email"] == "export@fictif.example"] == [
        "update"
    ]
    assert json.loads(rows[-1]["changes"])["address"] == [None, "[masqué]"]
    assert f"{len(rows)} audit entries written" in result.output


def test_export_refuses_a_bad_date_or_format(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "export", "--since", "hier"]).exit_code != 0
    assert runner.invoke(args=["audit", "export", "--format", "xml"]).exit_code != 0
