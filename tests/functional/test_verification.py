"""Verification: staleness on public pages and search hits, the admins' dashboard per region,
and the reminder e-mails of `flask listings remind`."""

from __future__ import annotations

import re
import socket

from sqlalchemy import select

from directory.db import add_months, utcnow
from directory.extensions import db
from directory.organisations.models import Organisation
from tests.factories import add_phone, add_site, create_organisation, create_user, indexed
from tests.web import login, text


def _verified(organisation: Organisation, months_ago: int) -> Organisation:
    organisation.verification_status = "verified"
    organisation.last_verified_at = add_months(utcnow(), -months_ago)
    db.session.flush()
    return organisation


def _flag(client, slug: str) -> str:
    page = client.get(f"/organismes/{slug}").get_data(as_text=True)
    match = re.search(r'<p class="verification (\w+)">([^<]*)</p>', page)
    assert match is not None
    return match.group(1)


def test_a_listing_is_stale_twelve_months_after_its_confirmation(client):
    _verified(create_organisation("verif-fraiche"), 11)
    _verified(create_organisation("verif-perimee"), 13)
    create_organisation("verif-jamais")
    assert _flag(client, "verif-fraiche") == "verified"
    assert _flag(client, "verif-perimee") == "stale"
    assert _flag(client, "verif-jamais") == "unverified"
    page = text(client.get("/organismes/verif-perimee"))
    assert re.search(r"Vérifié le \d+ \w+ \d{4} — à revalider", page)
    assert "Non vérifié" in text(client.get("/organismes/verif-jamais"))


def test_shelters_and_crisis_lines_are_stale_after_six_months(client):
    shelter = _verified(create_organisation("verif-refuge"), 7)
    add_site(shelter, region_code="02", confidential=True)
    hotline = _verified(create_organisation("verif-ligne"), 7)
    add_phone(hotline, "418-555-0142", type="hotline")
    _verified(create_organisation("verif-ordinaire"), 7)
    fresh_shelter = _verified(create_organisation("verif-refuge-frais"), 5)
    add_site(fresh_shelter, region_code="02", confidential=True)
    assert _flag(client, "verif-refuge") == "stale"
    assert _flag(client, "verif-ligne") == "stale"
    assert _flag(client, "verif-ordinaire") == "verified"
    assert _flag(client, "verif-refuge-frais") == "verified"


def test_search_hits_show_a_stale_confirmation(app, client, db_session):
    stale = _verified(create_organisation("verif-zorglub", name="Zorglub périmé fictif"), 13)
    with indexed(app, db_session, stale):
        page = text(client.get("/recherche?q=zorglub"))
    assert "Zorglub périmé fictif" in page
    assert "— à revalider" in page


def _counts(client, region: str) -> tuple[int, int]:
    page = client.get("/admin/verification/").get_data(as_text=True)
    row = re.search(rf'<tr data-region="{region}">(.*?)</tr>', page, re.DOTALL)
    assert row is not None
    never = re.search(r'class="never-count">(\d+)<', row.group(1))
    stale = re.search(r'class="stale-count">(\d+)<', row.group(1))
    assert never is not None
    assert stale is not None
    return int(never.group(1)), int(stale.group(1))


def test_dashboard_counts_never_verified_and_stale_listings_per_region(client):
    create_user("admin-verif@fictif.example", role="admin")
    login(client, "admin-verif@fictif.example")
    before = {code: _counts(client, code) for code in ("05", "06")}
    create_organisation("verif-estrie-jamais", region="05")
    _verified(create_organisation("verif-estrie-perimee", region="05"), 13)
    _verified(create_organisation("verif-estrie-fraiche", region="05"), 2)
    create_organisation("verif-estrie-cachee", region="05", published=False)
    create_organisation("verif-estrie-archivee", region="05", archived_at=utcnow())
    assert _counts(client, "05") == (before["05"][0] + 1, before["05"][1] + 1)
    assert _counts(client, "06") == before["06"]
    page = text(client.get("/admin/verification/?region=05"))
    assert "Organisme fictif verif-estrie-jamais" in page
    assert "Organisme fictif verif-estrie-perimee" in page
    assert "Organisme fictif verif-estrie-fraiche" not in page
    assert "Organisme fictif verif-estrie-cachee" not in page
    assert "Organisme fictif verif-estrie-archivee" not in page
    assert "/organismes/verif-estrie-perimee" in client.get("/admin/verification/").text
    assert "Organisme fictif verif-estrie-jamais" not in text(
        client.get("/admin/verification/?region=06")
    )


def test_dashboard_is_for_admins_only(client):
    assert client.get("/admin/verification/").status_code == 302
    create_user("anim-verif@fictif.example", role="facilitator")
    login(client, "anim-verif@fictif.example")
    assert client.get("/admin/verification/").status_code == 403


def test_dashboard_is_linked_from_the_admin_space(client):
    create_user("admin-lien@fictif.example", role="admin")
    login(client, "admin-lien@fictif.example")
    assert 'href="/admin/verification/"' in client.get("/compte").get_data(as_text=True)


def _remind(app, *args: str):
    return app.test_cli_runner().invoke(args=["listings", "remind", *args])


def test_reminders_are_sent_once_per_interval(app, mailbox):
    organisation = _verified(create_organisation("verif-rappel"), 13)
    create_user("rappel@fictif.example", organisations=[organisation])
    create_user("inactif@fictif.example", organisations=[organisation], active=False)
    fresh = _verified(create_organisation("verif-rappel-frais"), 1)
    create_user("frais@fictif.example", organisations=[fresh])
    first = _remind(app)
    assert first.exit_code == 0, first.output
    assert "verif-rappel: e-mailed rappel@fictif.example" in first.output
    assert len(mailbox.to("rappel@fictif.example")) == 1
    assert mailbox.to("inactif@fictif.example") == []
    assert mailbox.to("frais@fictif.example") == []
    message = mailbox.to("rappel@fictif.example")[0]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "doit être confirmée" in body
    assert "needs to be confirmed" in body
    assert "12 mois" in body
    assert "6 mois" in body
    assert mailbox.link_in(message) == "/organismes/verif-rappel"
    assert "e-mails sent" in first.output
    second = _remind(app)
    assert second.exit_code == 0, second.output
    assert len(mailbox.to("rappel@fictif.example")) == 1
    # Once the last reminder is older than the interval, the editors hear again.
    listing = db.session.scalar(select(Organisation).where(Organisation.slug == "verif-rappel"))
    listing.verification_reminder_at = add_months(utcnow(), -13)
    db.session.flush()
    _remind(app)
    assert len(mailbox.to("rappel@fictif.example")) == 2


def test_never_verified_listings_are_reminded_and_dry_run_sends_nothing(app, mailbox):
    organisation = create_organisation("verif-rappel-jamais")
    create_user("jamais@fictif.example", organisations=[organisation])
    dry = _remind(app, "--dry-run")
    assert "would e-mail jamais@fictif.example" in dry.output
    assert mailbox.messages == []
    assert _remind(app).exit_code == 0
    assert len(mailbox.to("jamais@fictif.example")) == 1


def test_smtp_failures_are_reported_and_not_marked_as_sent(app, mailbox, monkeypatch):
    organisation = create_organisation("verif-rappel-panne")
    slug = organisation.slug
    create_user("panne@fictif.example", organisations=[organisation])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_PORT", closed_port)
    failed = _remind(app)
    assert "FAILED to e-mail panne@fictif.example" in failed.output
    listing = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    assert listing.verification_reminder_at is None
    monkeypatch.undo()
    _remind(app)
    assert len(mailbox.to("panne@fictif.example")) == 1
