"""Several worker processes share the index: writers take turns, readers never see half an index."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import ID

from directory.search.index import WhooshIndex
from directory.search.schema import build_schema

WRITERS = 4
UPDATES_PER_WRITER = 10
REBUILD_SIZE = 3000


def _document(org: str, name: str = "ressource") -> dict:
    return {"doc_id": f"{org}:-", "org_id": org, "name": name, "payload": {"org": org}}


def _write(root: str, writer: int) -> None:
    index = WhooshIndex(Path(root))
    for update in range(UPDATES_PER_WRITER):
        org = f"w{writer}-{update}"
        index.update([_document(org)], delete_org_ids=[org])


def test_concurrent_writers_lose_nothing(tmp_path):
    index = WhooshIndex(tmp_path)
    index.rebuild([])
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write, args=(str(tmp_path), n)) for n in range(WRITERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert index.searcher().doc_count() == WRITERS * UPDATES_PER_WRITER


def _rebuild(root: str) -> None:
    WhooshIndex(Path(root)).rebuild(_document(f"new-{n}", "nouvelle") for n in range(REBUILD_SIZE))


def test_readers_see_the_old_or_the_new_index_never_a_mix(tmp_path):
    index = WhooshIndex(tmp_path)
    index.rebuild(_document(f"old-{n}", "ancienne") for n in range(REBUILD_SIZE))
    rebuild = multiprocessing.get_context("fork").Process(target=_rebuild, args=(str(tmp_path),))
    rebuild.start()

    def read() -> str:
        searcher = WhooshIndex(tmp_path).searcher()  # a fresh reader, as another worker would
        old = searcher.search(wq.Term("name", "ancien"), limit=None).scored_length()
        new = searcher.search(wq.Term("name", "nouvel"), limit=None).scored_length()
        assert (old, new) in {(REBUILD_SIZE, 0), (0, REBUILD_SIZE)}, (old, new)
        return "old" if old else "new"

    reads = []
    while rebuild.is_alive():
        reads.append(read())
    rebuild.join(timeout=120)
    assert rebuild.exitcode == 0
    assert reads  # the rebuild took long enough to be read during it
    assert read() == "new"
    assert WhooshIndex(tmp_path).searcher().doc_count() == REBUILD_SIZE


def test_an_index_built_before_the_sort_key_column_takes_updates(tmp_path):
    """Indexes of earlier versions held the sort key as an ID term: updates reach them."""
    old_schema = build_schema()
    old_schema.remove("name_sort")
    old_schema.add("name_sort", ID(sortable=True))
    (tmp_path / "index-1").mkdir()
    whoosh_index.create_in(str(tmp_path / "index-1"), old_schema)
    (tmp_path / "current").symlink_to("index-1")
    index = WhooshIndex(tmp_path)
    index.update([{**_document("o1"), "name_sort": b"ressource"}], delete_org_ids=["o1"])
    assert index.searcher().reader().column_reader("name_sort")[0] == "ressource"
