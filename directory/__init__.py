"""Filet: the regional directory application (Flask app factory)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from directory import config


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
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # French text stays readable
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    _init_subsystems(app)
    return app


def _init_subsystems(app: Flask) -> None:
    # Imported here so that importing the package has no side effects on other apps.
    from directory import cli, db  # noqa: PLC0415
    from directory.api import views as api_views  # noqa: PLC0415
    from directory.core import errors, i18n, security  # noqa: PLC0415
    from directory.core import views as core_views  # noqa: PLC0415
    from directory.extensions import csrf, migrate  # noqa: PLC0415
    from directory.extensions import db as database  # noqa: PLC0415
    from directory.organisations import views as organisation_views  # noqa: PLC0415

    database.init_app(app)
    migrate.init_app(
        app,
        database,
        directory=str(config.REPOSITORY_ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    app.register_blueprint(core_views.bp)
    app.register_blueprint(organisation_views.bp)
    app.register_blueprint(api_views.bp)
    csrf.exempt(api_views.bp)
