"""What a search backend does behind `directory.search.service`, and the errors it raises.

Two implementations: `WhooshBackend` (files in the instance folder, one host; the embedded
default) and `PostgresBackend` (tables in the database every host shares). The documents
they store are the same (`documents.py`); only storage, retrieval and scoring differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from sqlalchemy.orm import Session

from directory.search.engine import SearchContext
from directory.search.results import SearchRequest, SearchResult

Documents = Iterable[dict[str, Any]]


class IndexUnavailableError(RuntimeError):
    """The index does not exist yet or cannot be read (run `flask search sync`)."""


class IndexBusyError(RuntimeError):
    """Another writer held the index's write lock for longer than the caller would wait."""


class Backend(Protocol):
    name: str
    # Whether a commit's changes reach the index in the commit itself (PostgreSQL) rather
    # than through the outbox after it (Whoosh).
    in_transaction: bool

    def replace(
        self,
        session: Session,
        organisation_ids: list[str],
        documents: Documents,
        *,
        lock_timeout: float | None,
    ) -> None:
        """Replace the documents of the listed organisations by `documents` (read lazily)."""
        ...

    def rebuild(
        self, session: Session, documents: Documents, progress: Callable[[int], object] | None
    ) -> int:
        """Rebuild the whole index from `documents`; how many were written."""
        ...

    def search(self, request: SearchRequest, context: SearchContext) -> SearchResult: ...

    def status(self) -> str:
        """ "ok", "missing" (never built, or gone) or "unreadable"."""
        ...

    def stated_values(self, field_name: str) -> list[str]:
        """Values of a facet field some indexed document states ("unknown" included)."""
        ...

    def stored_digests(self) -> dict[str, tuple[str, str | None]]:
        """Every stored document: its id → (its listing's id, its content digest)."""
        ...
