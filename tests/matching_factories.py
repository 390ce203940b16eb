"""Builders of matching inputs for the tests: readable single candidates and random instances."""

from __future__ import annotations

import random

from directory.matching.types import (
    COOCCURRENCES,
    Candidate,
    Case,
    Followed,
    Mode,
    OnFile,
    Organisation,
    Point,
)

REGIONS = ("02", "03", "06")
OTHER_SECTORS = ("AS", "JUSTICE")
SECTORS = ("VCF", "VCH", *COOCCURRENCES, *OTHER_SECTORS)
TYPES = ("community", "institutional")
QUEBEC_CITY = Point(46.81, -71.21)


def organisation(key: str, type_: str = "community") -> Organisation:
    """A fictional organisation whose id, slug and name derive from `key`."""
    return Organisation(
        id=f"org-{key}", slug=f"org-{key}", name=f"Organisme fictif {key}", type=type_
    )


def candidate(  # noqa: PLR0913 - a test builder: every field has a readable default
    key: str,
    sectors: str = "VCF",
    *,
    org: str | None = None,
    type_: str = "community",
    regions: str = "03",
    home: str | None = None,
    remote: bool = False,
    **fields: object,
) -> Candidate:
    """A candidate; sectors and regions are space-separated codes, its organisation its key."""
    return Candidate(
        id=key,
        organisation=organisation(org or key, type_),
        sectors=frozenset(sectors.split()),
        regions=frozenset(regions.split()),
        home_regions=frozenset((home if home is not None else regions).split()),
        remote=remote,
        **fields,  # type: ignore[arg-type]
    )


def on_file(key: str, sectors: str, type_: str = "institutional") -> OnFile:
    """An organisation on the file covering space-separated sectors."""
    return OnFile(organisation(key, type_), frozenset(sectors.split()))


def _random_candidate(
    rng: random.Random, index: int, organisations: int, codes: tuple[str, ...]
) -> Candidate:
    org = rng.randrange(organisations)
    regions = frozenset(rng.sample(REGIONS, rng.randint(1, 2)))
    return Candidate(
        id=f"c{index:02d}",
        organisation=organisation(str(org), TYPES[org % 2]),
        sectors=frozenset(rng.sample(codes, rng.randint(1, min(2, len(codes))))),
        regions=regions,
        home_regions=regions if rng.random() < 0.8 else frozenset({rng.choice(REGIONS)}),
        remote=rng.random() < 0.5,
        languages=frozenset({"fr"}) if rng.random() < 0.9 else frozenset({"en"}),
        capacity=None if rng.random() < 0.6 else rng.randint(1, 4),
        recent_invitations=rng.randint(0, 4),
        location=None
        if rng.random() < 0.2
        else Point(rng.uniform(45.0, 49.0), rng.uniform(-75.0, -68.0)),
        confirmed=rng.random() < 0.7,
    )


def random_instance(
    rng: random.Random, *, substitutable: bool = False
) -> tuple[Case, list[Candidate]]:
    """A small random case and pool; `substitutable` draws many candidates for few sectors."""
    codes = ("VCF", "PSM") if substitutable else SECTORS
    size = rng.randint(8, 12) if substitutable else rng.randint(4, 12)
    organisations = rng.randint(max(2, size // 2), size + 2)
    pool = [_random_candidate(rng, index, organisations, codes) for index in range(size)]
    followed = frozenset(rng.sample(list(Followed), rng.randint(1, 2)))
    cooccurrences = frozenset(rng.sample(COOCCURRENCES, rng.randint(1, 2)))
    others = frozenset(code for code in OTHER_SECTORS if rng.random() < 0.2)
    ids = [c.id for c in pool]
    case = Case(
        region=rng.choice(REGIONS),
        cooccurrences=cooccurrences,
        followed=followed,
        other_needs=others,
        on_file=tuple(
            on_file(str(rng.randrange(organisations)), rng.choice(SECTORS), rng.choice(TYPES))
            for _ in range(rng.randint(0, 2))
        ),
        exclude_organisations=frozenset({f"org-{rng.randrange(organisations)}"})
        if rng.random() < 0.2
        else frozenset(),
        exclude_candidates=frozenset(rng.sample(ids, 1)) if rng.random() < 0.2 else frozenset(),
        pinned=frozenset(rng.sample(ids, rng.randint(1, 2))) if rng.random() < 0.2 else frozenset(),
        mode=rng.choice(list(Mode)),
        max_experts=rng.randint(1, 5),
        location=QUEBEC_CITY if rng.random() < 0.8 else None,
        previous_candidates=frozenset(rng.sample(ids, 2)) if rng.random() < 0.3 else frozenset(),
    )
    return case, pool
