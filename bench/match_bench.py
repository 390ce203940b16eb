"""Matching benchmark: time per case, exact engine versus greedy baseline, and load fairness.

For each pool size N the script GENERATES a CLEARLY FICTIONAL pool of N candidates
("Organisme fictif N", no contact details) across Québec's 17 regions, deterministic from
`--seed`: sectors drawn with the frequencies of the report's Tableau 2 (VCF 30.8 %, PSM 20.8 %,
MT 19.6 %, VCH 14 %, others 8.4 %, PC 6.4 %), organisations of one to three experts, 60 %
community and 40 % institutional, half of them joining remotely, half with a stated 90-day
capacity, loads, unconfirmed offers, coordinates around each region's main town (inside
Québec's bounding box). It then draws `--cases` random cases (region, who is followed,
co-occurrences, other needs, one or two organisations on the file taken from the pool, mode,
size limit, sometimes a follow-up) and measures, case by case, in the same process:

- `recommend` (exact branch and bound) and `greedy` (the baseline): p50/p95 ms per case;
- how often greedy's answer is worse (lexicographic key: sectors covered, three
  organisations, weighted objective) and by how much objective (mean and max when worse);
- load fairness: a simulated year of meetings (`--per-week` a week, in the three regions of
  the report's project: 02, 03, 06) where every panel organisation gets one recent invitation
  that leaves its 90-day count after 90 days; the figure is the Gini coefficient of the year's
  invitations among substitutable organisations (those offering the same sector in the same
  region, groups of two organisations or more that got an invitation), weighted by each
  group's invitations, for the engine and for the same engine with the load weight at 0.

Run it with `make bench-match`, or:

    .venv/bin/python bench/match_bench.py [--sizes 100,1000,5000,10000] [--cases 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from directory.matching.engine import greedy, recommend
from directory.matching.types import (
    COOCCURRENCES,
    Candidate,
    Case,
    Coverage,
    Followed,
    Mode,
    OnFile,
    Organisation,
    Point,
    Result,
    Weights,
)

# Main town of each region (approximate), to place the fictional organisations.
TOWNS: dict[str, tuple[float, float]] = {
    "01": (48.45, -68.52),
    "02": (48.43, -71.07),
    "03": (46.81, -71.21),
    "04": (46.35, -72.55),
    "05": (45.40, -71.89),
    "06": (45.50, -73.57),
    "07": (45.48, -75.70),
    "08": (48.24, -79.02),
    "09": (50.22, -66.38),
    "10": (49.91, -74.37),
    "11": (48.83, -64.48),
    "12": (46.12, -70.67),
    "13": (45.57, -73.75),
    "14": (46.03, -73.44),
    "15": (45.78, -74.00),
    "16": (45.31, -73.26),
    "17": (46.05, -72.48),
}
REGION_WEIGHTS = (3, 4, 9, 4, 4, 24, 5, 2, 2, 1, 2, 5, 5, 6, 7, 17, 3)  # roughly population
QUEBEC_BOX = ((45.0, 62.6), (-79.8, -57.1))
JITTER = 0.3
SECTOR_WEIGHTS = {"VCF": 30.8, "PSM": 20.8, "MT": 19.6, "VCH": 14.0, "PC": 6.4}
OTHER_SECTORS = ("AS", "AVAC", "POLICE", "SCOLAIRE", "SANTE", "DI", "FAMILLE", "JUSTICE")
OTHERS_WEIGHT = 8.4
PROJECT_REGIONS = ("02", "03", "06")
DAYS_REMEMBERED = 90
DAYS_A_YEAR = 364
TARGET_P95_MS = 50.0
TARGET_SIZE = 5_000
PERCENT = 100
# Shares of the generated pool and cases.
COMMUNITY_SHARE = 0.6
SECOND_REGION_SHARE = 0.15  # organisations that also attend in a second region
HALF = 0.5  # join remotely; state a capacity
LOADED_SHARE = 0.6  # already have recent invitations
CONFIRMED_SHARE = 0.6  # have confirmed their offer
FRENCH_ONLY_SHARE = 0.9
OTHER_NEED_SHARE = 0.25
FOLLOW_UP_SHARE = 0.3


def _sector(rng: random.Random) -> str:
    codes = [*SECTOR_WEIGHTS, "other"]
    code = rng.choices(codes, weights=[*SECTOR_WEIGHTS.values(), OTHERS_WEIGHT])[0]
    return rng.choice(OTHER_SECTORS) if code == "other" else code


def _point(rng: random.Random, region: str) -> Point:
    lat, lon = TOWNS[region]
    (south, north), (west, east) = QUEBEC_BOX
    return Point(
        min(north, max(south, lat + rng.uniform(-JITTER, JITTER))),
        min(east, max(west, lon + rng.uniform(-JITTER, JITTER))),
    )


def _organisation_candidates(rng: random.Random, index: int, start: int) -> list[Candidate]:
    region = rng.choices(list(TOWNS), weights=REGION_WEIGHTS)[0]
    kind = "community" if rng.random() < COMMUNITY_SHARE else "institutional"
    organisation = Organisation(
        f"o{index}", f"organisme-fictif-{index}", f"Organisme fictif {index}", kind
    )
    attends = {region} | (
        {rng.choice(list(TOWNS))} if rng.random() < SECOND_REGION_SHARE else set()
    )
    capacity = None if rng.random() < HALF else rng.randint(2, 8)
    load = rng.randint(0, (capacity or 6) - 1) if rng.random() < LOADED_SHARE else 0
    place = _point(rng, region)
    remote = rng.random() < HALF
    confirmed = rng.random() < CONFIRMED_SHARE
    return [
        Candidate(
            id=f"e{start + n}",
            organisation=organisation,
            sectors=frozenset({_sector(rng) for _ in range(rng.choice((1, 1, 2)))}),
            regions=frozenset(attends),
            home_regions=frozenset({region}),
            remote=remote,
            languages=frozenset({"fr"})
            if rng.random() < FRENCH_ONLY_SHARE
            else frozenset({"fr", "en"}),
            capacity=capacity,
            recent_invitations=load,
            location=place,
            confirmed=confirmed,
        )
        for n in range(rng.randint(1, 3))
    ]


def generate_pool(rng: random.Random, size: int) -> list[Candidate]:
    """`size` fictional candidates, organisations of one to three experts."""
    pool: list[Candidate] = []
    index = 0
    while len(pool) < size:
        pool += _organisation_candidates(rng, index, len(pool))
        index += 1
    return pool[:size]


def generate_case(rng: random.Random, pool: Sequence[Candidate], regions: Sequence[str]) -> Case:
    """A random case in one of `regions`, its file drawn from the pool's local organisations."""
    region = rng.choice(regions)
    local = [c for c in pool if region in c.home_regions] or list(pool)
    on_file = {
        c.organisation.id: OnFile(c.organisation, c.sectors)
        for c in rng.sample(local, min(len(local), rng.randint(1, 2)))
    }
    followed = rng.choices(
        [{Followed.VICTIM}, {Followed.AUTHOR}, {Followed.VICTIM, Followed.AUTHOR}],
        weights=[6, 2, 2],
    )[0]
    return Case(
        region=region,
        cooccurrences=frozenset(rng.sample(COOCCURRENCES, rng.choice((1, 1, 2)))),
        followed=frozenset(followed),
        other_needs=frozenset({rng.choice(OTHER_SECTORS)})
        if rng.random() < OTHER_NEED_SHARE
        else frozenset(),
        on_file=tuple(on_file.values()),
        mode=rng.choices(list(Mode), weights=[2, 1, 1])[0],
        max_experts=rng.randint(3, 5),
        location=Point(*TOWNS[region]),
        previous_candidates=frozenset(c.id for c in rng.sample(local, min(3, len(local))))
        if rng.random() < FOLLOW_UP_SHARE
        else frozenset(),
    )


def _key(result: Result) -> tuple[int, bool, float]:
    covered = sum(1 for state in result.coverage.values() if state is not Coverage.GAP)
    return (covered, result.rules["min_three_organizations"], result.objective)


def _percentiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]


def _timed(run: Callable[[], Result]) -> tuple[Result, float]:
    start = time.perf_counter()
    result = run()
    return result, (time.perf_counter() - start) * 1000


def compare(pool: list[Candidate], cases: list[Case]) -> dict[str, float]:
    """Timings of both engines and how often / how much greedy is worse."""
    exact_ms, greedy_ms, gaps = [], [], []
    for case in cases:
        best, ms = _timed(lambda case=case: recommend(case, pool))
        exact_ms.append(ms)
        baseline, ms = _timed(lambda case=case: greedy(case, pool))
        greedy_ms.append(ms)
        if _key(baseline)[:2] > _key(best)[:2] or (
            _key(baseline)[:2] == _key(best)[:2] and baseline.objective > best.objective + 1e-9
        ):
            raise AssertionError(f"greedy beat the exact engine on {case}")
        if _key(baseline)[:2] < _key(best)[:2] or baseline.objective < best.objective - 1e-9:
            gaps.append(best.objective - baseline.objective)
    p50, p95 = _percentiles(exact_ms)
    g50, g95 = _percentiles(greedy_ms)
    return {
        "p50": p50,
        "p95": p95,
        "g50": g50,
        "g95": g95,
        "worse": PERCENT * len(gaps) / len(cases),
        "mean_gap": statistics.fmean(gaps) if gaps else 0.0,
        "max_gap": max(gaps, default=0.0),
    }


def gini(values: Sequence[int]) -> float:
    """Gini coefficient (0: all equal, close to 1: one takes everything)."""
    ordered = sorted(values)
    total = sum(ordered)
    if not total:
        return 0.0
    n = len(ordered)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def simulate_year(
    pool: list[Candidate], rng: random.Random, per_week: int, weights: Weights
) -> float:
    """Invitations over a year of meetings; the weighted Gini among substitutable organisations."""
    current = {c.id: c for c in pool}
    by_org: dict[str, list[str]] = defaultdict(list)
    for c in pool:
        by_org[c.organisation.id].append(c.id)
    history: dict[str, list[int]] = defaultdict(list)
    meetings = DAYS_A_YEAR // 7 * per_week
    for number in range(meetings):
        day = number * 7 // per_week
        for org, days in history.items():
            count = sum(1 for d in days if d > day - DAYS_REMEMBERED)
            for cid in by_org[org]:
                if current[cid].recent_invitations != count:
                    current[cid] = dataclasses.replace(current[cid], recent_invitations=count)
        case = generate_case(rng, pool, PROJECT_REGIONS)
        for member in recommend(case, list(current.values()), weights=weights).panel:
            history[member.candidate.organisation.id].append(day)
    return _fairness(pool, {org: len(days) for org, days in history.items()})


def _fairness(pool: list[Candidate], invited: dict[str, int]) -> float:
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in pool:
        for region in c.regions & set(PROJECT_REGIONS):
            for sector in c.sectors:
                groups[sector, region].add(c.organisation.id)
    total = weighted = 0.0
    for organisations in groups.values():
        counts = [invited.get(org, 0) for org in organisations]
        if len(counts) >= 2 and sum(counts):  # noqa: PLR2004 - substitutes need two
            weighted += gini(counts) * sum(counts)
            total += sum(counts)
    return weighted / total if total else 0.0


def bench_size(size: int, args: argparse.Namespace) -> dict[str, float]:
    """Every figure of one table row for a pool of `size` candidates."""
    rng = random.Random(args.seed * 1_000_003 + size)
    pool = generate_pool(rng, size)
    cases = [generate_case(rng, pool, list(TOWNS)) for _ in range(args.cases)]
    row = compare(pool, cases)
    row["gini"] = simulate_year(pool, random.Random(args.seed), args.per_week, Weights())
    row["gini_no_load"] = simulate_year(
        pool, random.Random(args.seed), args.per_week, Weights(load=0.0)
    )
    return row


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError as error:
        raise argparse.ArgumentTypeError("sizes are positive integers, comma-separated") from error
    if any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError("sizes are positive integers, comma-separated")
    return sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[100, 1_000, 5_000, 10_000])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--per-week", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"# Matching benchmark — {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()},"
        f" {args.cases} cases, seed {args.seed}, {args.per_week} meetings a week simulated\n"
    )
    print(
        "| candidates | recommend p50 (ms) | recommend p95 (ms) | greedy p50 (ms) | greedy p95 (ms)"
        " | greedy worse | mean / max shortfall | Gini (load weight) | Gini (load weight 0) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    met = None
    for size in args.sizes:
        row = bench_size(size, args)
        print(
            f"| {size:,} | {row['p50']:.1f} | {row['p95']:.1f}"
            f" | {row['g50']:.1f} | {row['g95']:.1f}"
            f" | {row['worse']:.1f} % | {row['mean_gap']:.2f} / {row['max_gap']:.2f}"
            f" | {row['gini']:.3f} | {row['gini_no_load']:.3f} |",
            flush=True,
        )
        if size == TARGET_SIZE:
            met = row["p95"] <= TARGET_P95_MS
    if met is not None:
        verdict = "met" if met else "NOT met"
        print(f"\nTarget p95 ≤ {TARGET_P95_MS:g} ms at {TARGET_SIZE:,} candidates: {verdict}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
