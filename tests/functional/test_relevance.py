"""The relevance set: recall@5 >= 0.95 is asserted; nDCG@10 is printed in the test summary."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from directory import geo
from directory.search import service
from directory.search.query import SearchRequest
from tests.factories import summarise

RELEVANCE_SET = Path(__file__).with_name("relevance.yaml")
REQUIRED_RECALL_AT_5 = 0.95


def _cases() -> list[dict]:
    with RELEVANCE_SET.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _request(case: dict) -> SearchRequest:
    """The case's search, with its place resolved and sorted by distance like the API does."""
    place = geo.resolve_place(case["near"]) if case.get("near") else None
    return SearchRequest(
        text=case["query"],
        filters=case.get("filters") or {},
        near=place.point if place else None,
        near_region=place.region_code if place else None,
        near_label=place.label if place else None,
        radius_km=case.get("radius_km"),
        sort="distance" if place else "relevance",
        per_page=10,
    )


def _ranked_slugs(app, case: dict) -> list[str]:
    with app.test_request_context():
        result = service.search(_request(case))
    slugs: list[str] = []
    for hit in result.hits:
        if hit.payload["slug"] not in slugs:
            slugs.append(hit.payload["slug"])
    return slugs


def _ndcg_at_10(ranked: list[str], expected: list[str]) -> float:
    gains = sum(
        1 / math.log2(rank + 2) for rank, slug in enumerate(ranked[:10]) if slug in expected
    )
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(expected), 10)))
    return gains / ideal


def test_relevance_set_is_large_and_names_real_listings(seed_dir):
    cases = _cases()
    assert len(cases) >= 50
    with (seed_dir / "organisations.yaml").open(encoding="utf-8") as handle:
        text = handle.read()
    for case in cases:
        for slug in [*case["expected"], *case.get("avoid", [])]:
            assert f"slug: {slug}\n" in text, slug
        assert case["expected"] or case.get("avoid") or case["kind"] == "out-of-scope", case


def test_recall_at_5(app, request: pytest.FixtureRequest):
    found = expected_total = 0
    ndcg = []
    misses = []
    for case in _cases():
        if case["kind"] == "out-of-scope":
            continue  # asserted below: they answer nothing
        ranked = _ranked_slugs(app, case)
        hits = [slug for slug in case["expected"] if slug in ranked[:5]]
        avoided = [slug for slug in case.get("avoid", []) if slug not in ranked[:5]]
        found += len(hits) + len(avoided)
        expected_total += len(case["expected"]) + len(case.get("avoid", []))
        if case["expected"]:
            ndcg.append(_ndcg_at_10(ranked, case["expected"]))
        if len(hits) + len(avoided) < len(case["expected"]) + len(case.get("avoid", [])):
            wrong = sorted(set(case["expected"]) - set(hits))
            wrong += sorted(set(case.get("avoid", [])) - set(avoided))
            misses.append((case["query"], wrong, ranked[:5]))
    recall = found / expected_total
    mean_ndcg = sum(ndcg) / len(ndcg)
    summary = (
        f"search relevance: recall@5 = {recall:.3f}, nDCG@10 = {mean_ndcg:.3f}"
        f" over {len(ndcg)} queries"
    )
    summarise(
        request,
        summary,
        *(f"  missed {missing} for {query!r}; top 5: {top}" for query, missing, top in misses),
    )
    assert recall >= REQUIRED_RECALL_AT_5, misses


def test_out_of_scope_queries_answer_nothing(app):
    cases = [case for case in _cases() if case["kind"] == "out-of-scope"]
    assert len(cases) >= 4
    for case in cases:
        assert _ranked_slugs(app, case) == [], case["query"]
