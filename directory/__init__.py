"""Filet: the regional directory application (Flask app factory)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# Nothing of Flask, the database or the search engines is imported here: `import
# directory.matching` (the pure library) must not load them. The application's modules are
# imported by `create_app`, when an application is built.


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` overrides the environment-derived settings."""
    from flask import Flask

    from directory import config
    from directory.core import logs
    from directory.core.json_output import JSONProvider

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
    app.json = JSONProvider(app)
    logs.init_app()
    _init_subsystems(app)
    return app


def _init_subsystems(app: Flask) -> None:  # noqa: PLR0915 - one line per subsystem
    from directory import cli, config, models, search
    from directory.accounts import admin_views as account_admin_views
    from directory.accounts import auth as accounts_auth
    from directory.accounts import cli as accounts_cli
    from directory.accounts import views as account_views
    from directory.api import health
    from directory.api import meetings as api_meetings
    from directory.api import views as api_views
    from directory.audit import cli as audit_cli
    from directory.audit import editing
    from directory.audit import models as audit_models
    from directory.backups import cli as backup_cli
    from directory.confidentiality import operations as confidentiality_operations
    from directory.confidentiality import views as confidentiality_views
    from directory.core import database, errors, formatting, hygiene, i18n, security
    from directory.core import views as core_views
    from directory.corrections import views as correction_views
    from directory.evaluations import cli as evaluations_cli
    from directory.evaluations import views as evaluation_views
    from directory.extensions import csrf, db, migrate
    from directory.listings import manage_views
    from directory.listings import views as organisation_views
    from directory.meetings import cli as meetings_cli
    from directory.meetings import lifecycle_views as meeting_lifecycle_views
    from directory.meetings import reply_views as invitation_reply_views
    from directory.meetings import views as meeting_views
    from directory.onboarding import views as onboarding_views
    from directory.organisations.models import Location
    from directory.reports import views as report_views
    from directory.search import views as search_views
    from directory.verification import cli as verification_cli
    from directory.verification import views as verification_views

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
    # Unticking a site's "confidential address" becomes a request for a second person.
    editing.add_hold(Location.audit_entity, confidentiality_operations.hold_release)
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
