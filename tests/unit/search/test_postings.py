"""Bulk reads of Whoosh segments give what Whoosh's own per-document API gives."""

from __future__ import annotations

from whoosh import index as whoosh_index

from directory.search import postings
from directory.search.generation import generation_for
from directory.search.index import WhooshIndex
from directory.search.schema import TEXT_FIELDS, build_schema

WORDS = ("refuge", "femmes", "hébergement", "jeunesse", "famille", "crise")


def _document(number: int) -> dict:
    words = [WORDS[(number * k) % len(WORDS)] for k in range(1, number % 5 + 2)]
    return {
        "doc_id": f"o{number}:-",
        "org_id": f"o{number}",
        "name": " ".join(words),
        "body": " ".join(words * (number % 3)),
        "region": "02" if number % 2 else "03",
        "payload": {"org": f"o{number}", "points": [[46.0 + number % 7, -72.0]]},
    }


def _index(tmp_path) -> WhooshIndex:
    """Several segments (a rebuild, then updates) with deleted documents in some."""
    index = WhooshIndex(tmp_path)
    index.rebuild([_document(n) for n in range(400)])
    for number in range(0, 400, 37):
        index.update([_document(number + 1000)], delete_org_ids=[f"o{number}"])
    index.update([], delete_org_ids=["o5", "o6"])
    return index


def test_bulk_reads_match_whoosh(tmp_path):
    reader = _index(tmp_path).searcher().reader()
    assert len(list(reader.leaf_readers())) > 1
    expected_deleted = {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}
    assert expected_deleted
    assert postings.deleted_documents(reader) == expected_deleted
    for field_name in TEXT_FIELDS:
        lengths = postings.field_lengths(reader, field_name)
        assert lengths == [
            reader.doc_field_length(d, field_name, 0) or 0 for d in range(reader.doc_count_all())
        ]
    terms = [(f, t.decode()) for f in ("name", "body", "region") for t in reader.lexicon(f)]
    assert len(terms) > len(WORDS)
    for field_name, text in terms:
        read = {
            local + offset: weight
            for offset, (ids, weights) in postings.postings(reader, field_name, text)
            for local, weight in zip(ids, weights, strict=True)
        }
        live = dict(reader.postings(field_name, text).items_as("weight"))
        assert {d: w for d, w in read.items() if d not in expected_deleted} == live


def test_bulk_reads_of_an_empty_index(tmp_path):
    (tmp_path / "index-1").mkdir()
    whoosh_index.create_in(str(tmp_path / "index-1"), build_schema())
    reader = whoosh_index.open_dir(str(tmp_path / "index-1")).reader()
    assert postings.deleted_documents(reader) == frozenset()
    assert postings.field_lengths(reader, "name") == []
    assert list(postings.postings(reader, "name", "refug")) == []


def test_what_is_kept_per_segment_follows_updates(tmp_path):
    index = WhooshIndex(tmp_path)
    index.rebuild([_document(n) for n in range(40)])
    before = generation_for(index.searcher())
    assert len(before.documents("region", "02")) == 20
    assert "o1" in {before.payload(d)["org"] for d in before.documents("region", "02")}
    assert sum(len(place[2]) for cell in before.grid.values() for place in cell) == 40
    index.update([_document(41)], delete_org_ids=["o1", "o3"])
    after = generation_for(index.searcher())
    in_region = {after.payload(d)["org"] for d in after.documents("region", "02")}
    assert "o1" not in in_region
    assert "o3" not in in_region
    assert "o41" in in_region
    placed = {d for cell in after.grid.values() for place in cell for d in place[2]}
    assert {after.payload(d)["org"] for d in placed} == {f"o{n}" for n in range(42)} - {
        "o1",
        "o3",
        "o40",
    }
