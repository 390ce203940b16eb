"""The Whoosh index on disk: one writer at a time, atomic rebuilds, fresh readers.

Layout under the index root (in the instance folder):
  current -> index-<stamp>/   a symlink swapped atomically by a rebuild
  write.lock                   an flock taken by every writer, across gunicorn workers
"""

from __future__ import annotations

import fcntl
import gc
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import COLUMN, Schema
from whoosh.index import Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from directory.search import whoosh_fixes
from directory.search.backend import IndexBusyError, IndexUnavailableError
from directory.search.schema import build_schema

__all__ = ["IndexBusyError", "IndexUnavailableError", "WhooshIndex"]

logger = logging.getLogger(__name__)
whoosh_fixes.apply()

WRITE_TIMEOUT_SECONDS = 60.0
BUILD_PROCESSES = min(2, os.cpu_count() or 1)
INDEXER_NICENESS = 5
BUILD_GC_THRESHOLD = 100_000  # allocations between young-generation collections (700 usually)


class _Indexer(SubWriterTask):
    """A build's indexing process, a little less urgent than the one loading the listings."""

    def run(self) -> None:
        os.nice(INDEXER_NICENESS)
        super().run()


class _BuildWriter(MpWriter):
    """Whoosh's multi-process writer, with indexers that yield to the loading process.

    Loading listings and making documents is one process, the critical path of a build; the
    indexers have slack (they finish their segments after it). At equal priority the three
    processes shared the two cores evenly, and the build took the time of a slowed loader.
    """

    def _new_task(self) -> SubWriterTask:
        task = _Indexer(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage cycles less often while a build runs, over the objects made during it.

    A build makes millions of short-lived objects (ORM rows, documents, postings): at the
    default thresholds the cycle collector ran thousands of times, a third of the loading
    process's time. Objects from before the build are frozen out of its reach, which also
    spares the indexing processes forked from this one.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(BUILD_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _write_all(
    index: Index, documents: Iterable[dict[str, Any]], progress: Callable[[int], object] | None
) -> int:
    # Two processes share the analysis (the machine's two cores); segments stay unmerged.
    writer = (
        _BuildWriter(index, procs=BUILD_PROCESSES, limitmb=128, multisegment=True)
        if BUILD_PROCESSES > 1
        else index.writer(limitmb=128)
    )
    count = 0
    for document in documents:
        writer.add_document(**document)
        count += 1
        if progress:
            progress(1)
    writer.commit()
    return count


def _fitted(document: dict[str, Any], schema: Schema) -> dict[str, Any]:
    """An index built before the sort key became a column (bytes) indexed it as text: such
    an index keeps taking updates until the next rebuild."""
    return {
        name: value.decode()
        if isinstance(value, bytes) and name in schema and not isinstance(schema[name], COLUMN)
        else value
        for name, value in document.items()
    }


class WhooshIndex:
    """A directory of Whoosh segments behind `current`, shared by all worker processes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index: Index | None = None
        self._target: str | None = None
        self._searcher: Searcher | None = None

    @property
    def current(self) -> Path:
        return self.root / "current"

    def exists(self) -> bool:
        return self.status() == "ok"

    def status(self) -> str:
        """The index's state: "ok", "missing" (never built, or gone) or "unreadable"."""
        if not self.current.exists():
            return "missing"
        try:
            whoosh_index.open_dir(str(self.current)).doc_count()
        except Exception:  # noqa: BLE001 - any failure to read it makes it unreadable
            return "unreadable"
        return "ok"

    @contextmanager
    def _write_lock(self, timeout: float = WRITE_TIMEOUT_SECONDS) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "write.lock").open("a") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise IndexBusyError(str(self.root)) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _open(self) -> Index:
        try:
            target = str(self.current.readlink())
        except OSError:
            raise IndexUnavailableError(str(self.current)) from None
        if self._index is None or target != self._target:
            # Opened on a change only: reading the table of contents costs ~1 ms a search.
            try:
                # A rebuild swapped the symlink: open the new index, drop the old searcher.
                self._index = whoosh_index.open_dir(str(self.current))
            except Exception as error:  # a missing, unreadable or corrupt table of contents
                raise IndexUnavailableError(str(self.current)) from error
            self._target = target
            self._searcher = None
        return self._index

    def searcher(self) -> Searcher:
        """A searcher on the latest committed state (readers never see a half-written one)."""
        index = self._open()
        # Not Searcher.refresh(): it reuses segment readers that miss new deletions. The old
        # searcher is not closed either (a request may still use it); it goes when unreferenced.
        try:
            if self._searcher is None or not self._searcher.up_to_date():
                self._searcher = index.searcher()
        except Exception as error:  # its files were damaged or removed since it was opened
            self._index = self._target = self._searcher = None
            raise IndexUnavailableError(str(self.current)) from error
        return self._searcher

    def update(
        self,
        add: Iterable[dict[str, Any]],
        delete_org_ids: Iterable[str],
        *,
        lock_timeout: float = WRITE_TIMEOUT_SECONDS,
    ) -> None:
        """Replace the documents of some organisations, in one commit, under the write lock.

        Raises IndexBusyError when another writer holds the lock longer than `lock_timeout`.
        """
        with self._write_lock(lock_timeout):
            writer: SegmentWriter = self._open().writer()
            try:
                for org_id in delete_org_ids:
                    writer.delete_by_term("org_id", org_id)
                for document in add:
                    writer.add_document(**_fitted(document, writer.schema))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def stored_documents(self) -> Iterator[dict[str, Any]]:
        """The stored fields of every document in the latest committed state."""
        searcher = self.searcher()
        for _number, fields in searcher.reader().iter_docs():
            yield fields

    def rebuild(
        self, documents: Iterable[dict[str, Any]], progress: Callable[[int], object] | None = None
    ) -> int:
        """Build a new index beside the current one, then swap it in atomically."""
        with self._write_lock():
            target = self.root / f"index-{time.time_ns()}"
            target.mkdir(parents=True)
            new_index = whoosh_index.create_in(str(target), build_schema())
            with _fewer_collections(), whoosh_fixes.remembered_analysis():
                count = _write_all(new_index, documents, progress)
            link = self.root / f"current.{os.getpid()}"
            link.unlink(missing_ok=True)
            link.symlink_to(target.name)
            previous = str(self.current.readlink()) if self.current.is_symlink() else None
            link.replace(self.current)
            # Readers of other workers may still use the previous index: keep it one round.
            for stale in self.root.glob("index-*"):
                if stale.name not in {target.name, previous}:
                    shutil.rmtree(stale, ignore_errors=True)
        logger.info("search index rebuilt: %d documents in %s", count, target.name)
        return count
