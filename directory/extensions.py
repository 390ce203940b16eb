"""Flask extensions, created once and bound in `create_app`."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from directory.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()

if TYPE_CHECKING:
    import flask_sqlalchemy.model

    class Model(flask_sqlalchemy.model.Model, Base):
        """What `db.Model` is built from: Flask-SQLAlchemy's mixin over our declarative base.

        Flask-SQLAlchemy creates `db.Model` at run time, and a type checker cannot take an
        attribute as a base class: the models subclass this name instead.
        """

        __abstract__ = True

else:
    Model = db.Model
