"""The Whoosh backend: an index in the instance folder, for one host (the embedded default).

Kept in step with the database through the search outbox (`sync.py`, `outbox.py`): a commit's
changes are applied right after it, and `flask search sync` applies what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from directory.search import query
from directory.search.backend import Documents, IndexUnavailableError
from directory.search.documents import DIGEST
from directory.search.engine import SearchContext
from directory.search.generation import generation_for
from directory.search.index import WhooshIndex
from directory.search.results import SearchRequest, SearchResult


class WhooshBackend:
    name = "whoosh"
    in_transaction = False

    def __init__(self, root: Path) -> None:
        self.index = WhooshIndex(root)

    def replace(
        self,
        session: Session,
        organisation_ids: list[str],
        documents: Documents,
        *,
        lock_timeout: float | None,
    ) -> None:
        del session  # the documents were read through it already; the index is on disk
        ready = list(documents)  # read before taking the index's write lock
        options = {} if lock_timeout is None else {"lock_timeout": lock_timeout}
        self.index.update(ready, delete_org_ids=organisation_ids, **options)

    def rebuild(
        self, session: Session, documents: Documents, progress: Callable[[int], object] | None
    ) -> int:
        del session
        return self.index.rebuild(documents, progress=progress)

    def search(self, request: SearchRequest, context: SearchContext) -> SearchResult:
        return query.search(self.index.searcher(), request, context)

    def status(self) -> str:
        return self.index.status()

    def stated_values(self, field_name: str) -> list[str]:
        try:
            generation = generation_for(self.index.searcher())
        except IndexUnavailableError:
            return []
        return list(generation.values(field_name))

    def stored_digests(self) -> dict[str, tuple[str, str | None]]:
        return {
            str(fields["doc_id"]): (
                str(fields["org_id"]),
                (fields.get("payload") or {}).get(DIGEST),
            )
            for fields in self.index.stored_documents()
        }
