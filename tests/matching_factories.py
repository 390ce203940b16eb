"""Builders of matching inputs for the tests: readable single candidates and random instances."""

from __future__ import annotations

import random
from dataclasses import dataclass

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
POPULATIONS = ("women", "men", "children", "youth", "families", "immigrants")
QUEBEC_CITY = Point(46.81, -71.21)


def organisation(
    key: str, type_: str = "community", institution: str | None = None
) -> Organisation:
    """A fictional organisation whose id, slug and name derive from `key`; `institution` is
    the key of the top-level institution it belongs to (a sub-program), if any."""
    return Organisation(
        id=f"org-{key}",
        slug=f"org-{key}",
        name=f"Organisme fictif {key}",
        type=type_,
        institution_id=f"org-{institution}" if institution else None,
    )


def candidate(  # noqa: PLR0913 - a test builder: every field has a readable default
    key: str,
    sectors: str = "VCF",
    *,
    org: str | None = None,
    type_: str = "community",
    institution: str | None = None,
    regions: str = "03",
    home: str | None = None,
    remote: bool = False,
    **fields: object,
) -> Candidate:
    """A candidate; sectors and regions are space-separated codes, its organisation its key."""
    return Candidate(
        id=key,
        organisation=organisation(org or key, type_, institution),
        sectors=frozenset(sectors.split()),
        regions=frozenset(regions.split()),
        home_regions=frozenset((home if home is not None else regions).split()),
        remote=remote,
        **fields,  # type: ignore[arg-type]
    )


def on_file(
    key: str, sectors: str, type_: str = "institutional", institution: str | None = None
) -> OnFile:
    """An organisation on the file covering space-separated sectors."""
    return OnFile(organisation(key, type_, institution), frozenset(sectors.split()))


@dataclass(frozen=True)
class _Org:
    """What every candidate of one random organisation shares."""

    organisation: Organisation
    territory: frozenset[str] | None


def _random_organisations(rng: random.Random, count: int) -> list[_Org]:
    """Some organisations are programs of a shared institution; some institutions are
    territorial (they act in one region only)."""
    found = []
    for key in range(count):
        type_ = TYPES[key % 2]
        institution = f"inst{key % 2}" if rng.random() < 0.3 else None
        territorial = type_ == "institutional" and rng.random() < 0.4
        found.append(
            _Org(
                organisation(str(key), type_, institution),
                frozenset({rng.choice(REGIONS)}) if territorial else None,
            )
        )
    return found


def _random_candidate(
    rng: random.Random, index: int, org: _Org, codes: tuple[str, ...]
) -> Candidate:
    regions = frozenset(rng.sample(REGIONS, rng.randint(1, 2)))
    sectors = frozenset(rng.sample(codes, rng.randint(1, min(2, len(codes)))))
    populations = {
        code: frozenset(rng.sample(POPULATIONS, rng.randint(1, 2)))
        for code in sectors
        if rng.random() < 0.25
    }
    return Candidate(
        id=f"c{index:02d}",
        organisation=org.organisation,
        sectors=sectors,
        regions=regions,
        home_regions=regions if rng.random() < 0.8 else frozenset({rng.choice(REGIONS)}),
        remote=rng.random() < 0.5,
        languages=frozenset({"fr"}) if rng.random() < 0.9 else frozenset({"en"}),
        capacity=None if rng.random() < 0.6 else rng.randint(1, 4),
        recent_invitations=rng.randint(0, 4),
        location=_random_point(rng),
        confirmed=rng.random() < 0.7,
        territory=org.territory,
        populations=populations,
    )


def _random_point(rng: random.Random) -> Point | None:
    """Unknown, next door to the case (a seat there is nearly free: filler would pay), or
    anywhere in southern Québec."""
    draw = rng.random()
    if draw < 0.2:
        return None
    if draw < 0.5:
        return Point(QUEBEC_CITY.latitude + rng.uniform(-0.02, 0.02), QUEBEC_CITY.longitude)
    return Point(rng.uniform(45.0, 49.0), rng.uniform(-75.0, -68.0))


def _random_file(rng: random.Random, orgs: list[_Org]) -> tuple[OnFile, ...]:
    """Zero to five organisations on the file: some from the pool, some from elsewhere."""
    found: dict[str, OnFile] = {}
    for index in range(rng.randint(0, 5)):
        if rng.random() < 0.5:
            org = rng.choice(orgs).organisation
        else:
            org = organisation(f"file{index}", rng.choice(TYPES), rng.choice([None, "inst0"]))
        found[org.id] = OnFile(org, frozenset({rng.choice(SECTORS)}))
    return tuple(found.values())


def random_instance(
    rng: random.Random, *, substitutable: bool = False
) -> tuple[Case, list[Candidate]]:
    """A small random case and pool; `substitutable` draws many candidates for few sectors."""
    codes = ("VCF", "PSM") if substitutable else SECTORS
    size = rng.randint(8, 12) if substitutable else rng.randint(4, 12)
    orgs = _random_organisations(rng, rng.randint(max(2, size // 2), size + 2))
    pool = [_random_candidate(rng, index, rng.choice(orgs), codes) for index in range(size)]
    ids = [c.id for c in pool]
    files = _random_file(rng, orgs)
    on_file_ids = {entry.organisation.id for entry in files}
    excludable = [o.organisation.id for o in orgs if o.organisation.id not in on_file_ids]
    case = Case(
        region=rng.choice(REGIONS),
        cooccurrences=frozenset(rng.sample(COOCCURRENCES, rng.randint(1, 2))),
        followed=frozenset(rng.sample(list(Followed), rng.randint(1, 2))),
        other_needs=frozenset(code for code in OTHER_SECTORS if rng.random() < 0.2),
        on_file=files,
        exclude_organisations=frozenset(rng.sample(excludable, 1))
        if excludable and rng.random() < 0.2
        else frozenset(),
        exclude_candidates=frozenset(rng.sample(ids, 1)) if rng.random() < 0.2 else frozenset(),
        pinned=frozenset(rng.sample(ids, rng.randint(1, 2))) if rng.random() < 0.2 else frozenset(),
        mode=rng.choice(list(Mode)),
        max_experts=rng.randint(1, 5),
        location=QUEBEC_CITY if rng.random() < 0.8 else None,
        previous_candidates=frozenset(rng.sample(ids, 2)) if rng.random() < 0.3 else frozenset(),
    )
    return case, pool
