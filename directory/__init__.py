"""Filet: the regional directory application (Flask app factory)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from directory import cli, config, models, search
from directory.accounts import admin_views as account_admin_views
from directory.accounts import auth as accounts_auth
from directory.accounts import cli as accounts_cli
from directory.accounts import views as account_views
from directory.api import health
from directory.api import meetings as api_meetings
from directory.api import views as api_views
from directory.audit import cli as audit_cli
from directory.audit import models as audit_models
from directory.backups import cli as backup_cli
from directory.confidentiality import views as confidentiality_views
from directory.core import database, errors, formatting, hygiene, i18n, logs, security
from directory.core import views as core_views
from directory.corrections import views as correction_views
from directory.evaluations import cli as evaluations_cli
from directory.evaluations import views as evaluation_views
from directory.extensions import csrf, db, migrate
from directory.meetings import cli as meetings_cli
from directory.meetings import lifecycle_views as meeting_lifecycle_views
from directory.meetings import reply_views as invitation_reply_views
from directory.meetings import views as meeting_views
from directory.onboarding import views as onboarding_views
from directory.organisations import manage_views
from directory.organisations import views as organisation_views
from directory.reports import views as report_views
from directory.search import views as search_views
from directory.verification import cli as verification_cli
from directory.verification import views as verification_views


class _JSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # French text stays readable
    sort_keys = False  # keep meaningful orders (coverage)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` overrides the environment-derived settings."""
    instance_path = config.default_instance_path()
    if test_config and "INSTANCE_PATH" in test_config:
        instance_path = test_config["INSTANCE_PATH"]
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_mapping(config.build_config(instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    app.json = _JSONProvider(app)
    logs.init_app()
    _init_subsystems(app)
    return app


def _init_subsystems(app: Flask) -> None:
    app.extensions["directory.models"] = models  # the whole schema, for Alembic
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(config.REPOSITORY_ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    database.init_app(app)
    audit_models.guard()
    i18n.init_app(app)
    formatting.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    hygiene.init_app(app)
    cli.init_app(app)
    accounts_cli.init_app(app)
    audit_cli.init_app(app)
    backup_cli.init_app(app)
    verification_cli.init_app(app)
    evaluations_cli.init_app(app)
    meetings_cli.init_app(app)
    accounts_auth.init_app(app)
    search.init_app(app)
    app.register_blueprint(core_views.bp)
    app.register_blueprint(organisation_views.bp)
    app.register_blueprint(manage_views.bp)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(account_admin_views.bp)
    app.register_blueprint(api_views.bp)
    app.register_blueprint(api_meetings.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(verification_views.bp)
    app.register_blueprint(correction_views.bp)
    app.register_blueprint(onboarding_views.bp)
    app.register_blueprint(meeting_views.bp)
    app.register_blueprint(invitation_reply_views.bp)
    app.register_blueprint(meeting_lifecycle_views.bp)
    app.register_blueprint(evaluation_views.bp)
    app.register_blueprint(report_views.bp)
    app.register_blueprint(confidentiality_views.bp)
    csrf.exempt(api_views.bp)
    csrf.exempt(api_meetings.bp)
