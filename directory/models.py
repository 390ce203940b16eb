"""Every mapped class, imported once so Alembic and the application see the whole schema."""

from directory.accounts import models as accounts
from directory.audit import models as audit
from directory.confidentiality import models as confidentiality
from directory.core import models as core
from directory.corrections import models as corrections
from directory.evaluations import models as evaluations
from directory.expertise import models as expertise
from directory.meetings import models as meetings
from directory.organisations import models as organisations
from directory.reference import models as reference
from directory.search import models as search

__all__ = [
    "accounts",
    "audit",
    "confidentiality",
    "core",
    "corrections",
    "evaluations",
    "expertise",
    "meetings",
    "organisations",
    "reference",
    "search",
]
