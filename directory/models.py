"""Every mapped class, imported once so Alembic and the application see the whole schema."""

from directory.accounts import models as accounts
from directory.audit import models as audit
from directory.corrections import models as corrections
from directory.evaluations import models as evaluations
from directory.expertise import models as expertise
from directory.meetings import models as meetings
from directory.organisations import models as organisations
from directory.reference import models as reference

__all__ = [
    "accounts",
    "audit",
    "corrections",
    "evaluations",
    "expertise",
    "meetings",
    "organisations",
    "reference",
]
