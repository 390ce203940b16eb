"""The relevance set: recall@5 >= 0.95 is asserted; nDCG@10 is printed in the test summary."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from directory.search import service
from directory.search.query import SearchRequest
from tests.factories import SUMMARY

RELEVANCE_SET = Path(__file__).with_name("relevance.yaml")
REQUIRED_RECALL_AT_5 = 0.95


def _cases() -> list[dict]:
    with RELEVANCE_SET.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _ranked_slugs(app, query: str) -> list[str]:
    with app.test_request_context():
        result = service.search(SearchRequest(text=query, per_page=10))
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
        for slug in case["expected"]:
            assert f"slug: {slug}\n" in text, slug


def test_recall_at_5(app, request: pytest.FixtureRequest):
    found = expected_total = 0
    ndcg = []
    misses = []
    for case in _cases():
        ranked = _ranked_slugs(app, case["query"])
        hits = [slug for slug in case["expected"] if slug in ranked[:5]]
        found += len(hits)
        expected_total += len(case["expected"])
        ndcg.append(_ndcg_at_10(ranked, case["expected"]))
        if len(hits) < len(case["expected"]):
            misses.append((case["query"], sorted(set(case["expected"]) - set(hits)), ranked[:5]))
    recall = found / expected_total
    mean_ndcg = sum(ndcg) / len(ndcg)
    summary = (
        f"search relevance: recall@5 = {recall:.3f}, nDCG@10 = {mean_ndcg:.3f}"
        f" over {len(ndcg)} queries"
    )
    lines = request.config.stash.setdefault(SUMMARY, [])
    lines.append(summary)
    lines += [f"  missed {missing} for {query!r}; top 5: {top}" for query, missing, top in misses]
    assert recall >= REQUIRED_RECALL_AT_5, misses
