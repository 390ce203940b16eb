"""API tokens expire and can be listed and revoked; a password change or disabling revokes
them; sessions have an absolute lifetime; `flask accounts prune` forgets what is no longer
needed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from directory.accounts import operations
from directory.accounts.models import ApiToken, LoginAttempt, LoginSession, OneTimeToken
from directory.core import throttle
from directory.core.models import ThrottleWindow
from directory.db import utcnow
from directory.extensions import db
from tests.factories import PASSWORD, create_user
from tests.web import login, post_form

API = "/api/v1/organizations"


def _status(client, token: str) -> int:
    return client.get(API, headers={"Authorization": f"Bearer {token}"}).status_code


def test_tokens_expire_after_90_days_by_default(client):
    user = create_user("expire@fictif.example", role="facilitator")
    token = operations.issue_api_token(user)
    [row] = db.session.scalars(select(ApiToken)).all()
    lifetime = row.expires_at - row.created_at
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)
    assert _status(client, token) == 200
    row = db.session.scalars(select(ApiToken)).one()  # the request closed the session
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert _status(client, token) == 401


def test_a_password_change_revokes_every_token(client):
    user = create_user("change-jeton@fictif.example", role="facilitator")
    token = operations.issue_api_token(user)
    login(client, "change-jeton@fictif.example")
    new = "une toute nouvelle phrase"
    response = post_form(
        client,
        "/compte/mot-de-passe",
        {"current": PASSWORD, "password": new, "confirm": new},
        page="/compte",
    )
    assert response.status_code == 302
    assert _status(client, token) == 401
    assert db.session.scalars(select(ApiToken.revoked_at)).one() is not None


def test_a_password_reset_revokes_every_token(app, client, mailbox):
    user = create_user("reset-jeton@fictif.example", role="facilitator")
    token = operations.issue_api_token(user)
    post_form(client, "/mot-de-passe/oubli", {"email": "reset-jeton@fictif.example"})
    link = mailbox.link_in(mailbox.wait_for("reset-jeton@fictif.example")[0])
    new = "encore une autre phrase"
    post_form(client, link, {"password": new, "confirm": new})
    assert _status(app.test_client(), token) == 401


def test_disabling_revokes_tokens_and_keeps_them_listed(client):
    create_user("admin-jeton@fictif.example", role="admin")
    user = create_user("cesse-jeton@fictif.example", role="facilitator")
    token, user_id = operations.issue_api_token(user), user.id
    login(client, "admin-jeton@fictif.example")
    post_form(client, f"/admin/comptes/{user_id}/desactiver", {}, page="/admin/comptes/")
    assert _status(client, token) == 401
    [row] = db.session.scalars(select(ApiToken)).all()
    assert row.status() == "revoked"


def test_cli_issues_lists_and_revokes_tokens(app, client):
    create_user("cli-jeton@fictif.example", role="facilitator")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["user", "token", "cli-jeton@fictif.example", "--days", "5"])
    assert first.exit_code == 0, first.output
    token = first.output.strip()
    second = runner.invoke(args=["user", "token", "cli-jeton@fictif.example"]).output.strip()
    rows = db.session.scalars(select(ApiToken).order_by(ApiToken.expires_at)).all()
    assert [(row.expires_at - row.created_at).days for row in rows] in ([4, 89], [5, 90], [4, 90])
    listing = runner.invoke(args=["user", "tokens", "cli-jeton@fictif.example"])
    assert listing.exit_code == 0
    assert listing.output.count("active") == 2
    assert token not in listing.output  # the secret is never shown again
    assert rows[0].prefix in listing.output
    one = runner.invoke(
        args=["user", "revoke-tokens", "cli-jeton@fictif.example", "--id", rows[0].prefix]
    )
    assert "1 API tokens revoked" in one.output
    assert _status(client, token) == 401
    assert _status(client, second) == 200
    rest = runner.invoke(args=["user", "revoke-tokens", "cli-jeton@fictif.example"])
    assert "1 API tokens revoked" in rest.output
    assert _status(client, second) == 401
    assert "revoked" in runner.invoke(args=["user", "tokens", "cli-jeton@fictif.example"]).output
    refused = runner.invoke(args=["user", "token", "cli-jeton@fictif.example", "--days", "0"])
    assert refused.exit_code != 0


def test_sessions_end_twelve_hours_after_login_however_active(client, app):
    create_user("longue@fictif.example", role="facilitator")
    login(client, "longue@fictif.example")
    assert client.get("/compte").status_code == 200
    for row in db.session.scalars(select(LoginSession)):
        row.created_at = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
        row.last_seen_at = utcnow()
    db.session.flush()
    assert client.get("/compte").status_code == 302
    assert db.session.scalar(select(LoginSession)) is None


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_prune_forgets_old_attempts_ended_sessions_used_links_and_windows(app):
    user = create_user("menage@fictif.example", role="facilitator")
    now = utcnow()
    db.session.add_all(
        [
            LoginAttempt(email="a@fictif.example", client_key="k", at=now - timedelta(days=31)),
            LoginAttempt(email="b@fictif.example", client_key="k", at=now - timedelta(days=2)),
            LoginSession(token_hash="1" * 64, user_id=user.id, last_seen_at=now),
            LoginSession(
                token_hash="2" * 64, user_id=user.id, last_seen_at=now - timedelta(hours=1)
            ),
            LoginSession(
                token_hash="3" * 64,
                user_id=user.id,
                created_at=now - timedelta(hours=13),
                last_seen_at=now,
            ),
            OneTimeToken(
                token_hash="4" * 64, user_id=user.id, purpose="reset",
                expires_at=now + timedelta(hours=1), used_at=now,
            ),
            OneTimeToken(
                token_hash="5" * 64, user_id=user.id, purpose="reset",
                expires_at=now - timedelta(hours=1),
            ),
            OneTimeToken(
                token_hash="6" * 64, user_id=user.id, purpose="invite",
                expires_at=now + timedelta(hours=1),
            ),
        ]
    )  # fmt: skip
    db.session.commit()  # into the test's transaction: the contexts below close the session
    with app.test_request_context():
        rule = throttle.Rule("test:prune", 5, timedelta(minutes=15))
        throttle.hit(rule, "cle", now=now - timedelta(days=3))
        throttle.hit(rule, "cle", now=now)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["accounts", "prune"])
    assert result.exit_code == 0, result.output
    assert "1 login attempts, 2 sessions, 2 one-time links, 1 throttle windows" in result.output
    assert _count(LoginAttempt) == 1
    assert _count(LoginSession) == 1
    assert _count(OneTimeToken) == 1
    assert _count(ThrottleWindow) == 1
    shorter = app.test_cli_runner().invoke(args=["accounts", "prune", "--days", "1"])
    assert "1 login attempts" in shorter.output
