"""Figures of the seed directory read from its files, not from a database under test.

Tests that count seeded listings, regions or sectors compare the application's answers with
these, so adding a listing to `seed/organisations.yaml` changes the expectation with it.
(`tests/functional/test_seed.py` pins the Annexe A figures themselves.)
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

import yaml

from directory.config import SEED_DIR


def _walk(entries: list[dict[str, Any]], region: str | None = None) -> Iterator[str]:
    """The region of every listing; a sub-programme inherits its parent's."""
    for entry in entries:
        own = entry.get("region", region)
        yield own
        yield from _walk(entry.get("sub_programmes", []), own)


@cache
def _listing_regions() -> Counter[str]:
    with (SEED_DIR / "organisations.yaml").open(encoding="utf-8") as handle:
        return Counter(_walk(yaml.safe_load(handle)))


@cache
def _csv_rows(name: str) -> tuple[dict[str, str], ...]:
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def listings() -> int:
    """Seeded listings, sub-programmes included (all published)."""
    return sum(_listing_regions().values())


def listings_in(region: str) -> int:
    """Seeded listings in `region` (a two-digit code)."""
    return _listing_regions()[region]


def regions() -> int:
    return len(_csv_rows("regions.csv"))


def sectors() -> int:
    return len(_csv_rows("sectors.csv"))


def region_label(code: str) -> str:
    return next(row["label_fr"] for row in _csv_rows("regions.csv") if row["code"] == code)


def region_codes() -> list[str]:
    return [row["code"] for row in _csv_rows("regions.csv")]


def fiches(count: int) -> str:
    """The French label of a listing count, as the pages write it ("0 fiche", "13 fiches")."""
    return f"{count} fiche" if count <= 1 else f"{count} fiches"
