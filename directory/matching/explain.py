"""Turn a chosen panel into a `Result`: coverage, gaps, reasons, alternatives, score breakdown.

Reasons are codes with parameters (see `types.Reason`); the UI renders them in its language.
"""

from __future__ import annotations

from collections.abc import Sequence

from directory.matching.scoring import (
    BOTH_TYPES,
    CRITERIA,
    MIN_ORGANISATIONS,
    Context,
    Option,
    admissible,
    breakdown,
    option,
    rank_key,
    terms,
    travel_km,
)
from directory.matching.types import (
    AUTHOR_SECTOR,
    COOCCURRENCES,
    VICTIM_SECTOR,
    Alternative,
    Candidate,
    Case,
    Coverage,
    Gap,
    Member,
    Reason,
    Referral,
    Result,
)

REMOTE_OPTIONS = 3
KM_DIGITS = 1


def referral(case: Case, ctx: Context) -> Result:
    """Imminent risk: the rapid-intervention cell, the file's coverage, no panel."""
    coverage = {
        code: Coverage.ON_FILE if code in ctx.on_file_sectors else Coverage.GAP
        for code in ctx.required
    }
    gaps = tuple(
        Gap(code, case.region) for code, state in coverage.items() if state is Coverage.GAP
    )
    return Result(
        panel=(),
        coverage=coverage,
        gaps=gaps,
        organisations_at_table=len(ctx.on_file_organisations),
        rules=_rules(case, ctx, ()),
        referral=Referral(),
        breakdown=dict.fromkeys(CRITERIA, 0.0),
    )


def result(  # noqa: PLR0913 - the pieces of one answer, all keyword-free positional data
    case: Case,
    ctx: Context,
    panel: Sequence[Option],
    options: Sequence[Option],
    candidates: Sequence[Candidate],
    *,
    alternatives: int,
) -> Result:
    """Assemble the answer for a chosen panel (`options` are every eligible candidate)."""
    ordered = sorted(panel, key=lambda o: rank_key(o, ctx.weights))
    coverage = _coverage(ctx, ordered)
    gaps = tuple(
        Gap(code, case.region, _remote_options(case, ctx, code, ordered, candidates))
        for code, state in coverage.items()
        if state is Coverage.GAP
    )
    totals = breakdown(case, ordered, ctx)
    members = _members(case, ctx, ordered, options, alternatives)
    return Result(
        panel=members,
        coverage=coverage,
        gaps=gaps,
        organisations_at_table=len(ctx.on_file_organisations) + len(ordered),
        rules=_rules(case, ctx, ordered),
        objective=sum(totals.values()),
        breakdown=totals,
    )


def covers(opt: Option, ctx: Context) -> tuple[str, ...]:
    """The required sectors, not already on the file, that an option brings."""
    return tuple(code for bit, code in enumerate(ctx.sectors) if opt.mask >> bit & 1)


def _coverage(ctx: Context, panel: Sequence[Option]) -> dict[str, Coverage]:
    coverage: dict[str, Coverage] = {}
    for code in ctx.required:
        if code in ctx.on_file_sectors:
            coverage[code] = Coverage.ON_FILE
            continue
        joining = [opt.remote for opt in panel if code in opt.candidate.sectors]
        if not joining:
            coverage[code] = Coverage.GAP
        else:
            coverage[code] = Coverage.COVERED_REMOTE if all(joining) else Coverage.COVERED
    return coverage


def _rules(case: Case, ctx: Context, panel: Sequence[Option]) -> dict[str, bool]:
    at_table = set().union(
        *(entry.sectors for entry in case.on_file), *(opt.candidate.sectors for opt in panel)
    )
    return {
        "min_three_organizations": len(ctx.on_file_organisations) + len(panel) >= MIN_ORGANISATIONS,
        "vc_plus_one": bool({VICTIM_SECTOR, AUTHOR_SECTOR} & at_table)
        and bool(set(COOCCURRENCES) & at_table),
    }


def _remote_options(
    case: Case, ctx: Context, code: str, panel: Sequence[Option], candidates: Sequence[Candidate]
) -> tuple[Candidate, ...]:
    """Up to three remote candidates from other regions who could cover a gap, best first."""
    used = {opt.candidate.organisation.id for opt in panel}
    found = [
        option(case, candidate, ctx, remote=True)
        for candidate in candidates
        if candidate.remote
        and code in candidate.sectors
        and case.region not in candidate.regions
        and candidate.organisation.id not in used
        and admissible(case, candidate, ctx)
    ]
    return tuple(opt.candidate for opt in _distinct_best(found, ctx, REMOTE_OPTIONS))


def _distinct_best(found: Sequence[Option], ctx: Context, limit: int) -> list[Option]:
    """The best `limit` options of distinct organisations."""
    chosen: list[Option] = []
    seen: set[str] = set()
    for opt in sorted(found, key=lambda o: rank_key(o, ctx.weights)):
        if len(chosen) >= limit:
            break
        if opt.candidate.organisation.id not in seen:
            chosen.append(opt)
            seen.add(opt.candidate.organisation.id)
    return chosen


def _members(
    case: Case,
    ctx: Context,
    panel: Sequence[Option],
    options: Sequence[Option],
    limit: int,
) -> tuple[Member, ...]:
    credited = 0  # a sector two members cover counts once: credited to the first listed
    members = []
    for opt in panel:
        fresh = opt.mask & ~credited
        credited |= opt.mask
        score = dict.fromkeys(CRITERIA, 0.0) | terms(case, opt, ctx.weights)
        score["sector_fit"] = ctx.weights.sector_fit * fresh.bit_count()
        members.append(
            Member(
                candidate=opt.candidate,
                covers=covers(opt, ctx),
                remote=opt.remote,
                distance_km=travel_km(case, opt.candidate) if opt.remote else opt.distance_km,
                reasons=_reasons(case, ctx, opt, panel, options),
                alternatives=_alternatives(ctx, opt, panel, options, limit),
                score=score,
            )
        )
    return tuple(members)


def _reasons(
    case: Case, ctx: Context, opt: Option, panel: Sequence[Option], options: Sequence[Option]
) -> tuple[Reason, ...]:
    candidate = opt.candidate
    reasons = [Reason("pinned")] if candidate.id in case.pinned else []
    reasons += _sector_reasons(ctx, opt, options)
    if candidate.id in case.previous_candidates:
        reasons.append(Reason("continuity"))
    reasons += _place_reasons(case, opt)
    if candidate.recent_invitations > 0:
        reasons.append(Reason("recent_load", {"count": candidate.recent_invitations}))
    balance = _balance_reason(ctx, opt, panel)
    if balance is not None:
        reasons.append(balance)
    if not candidate.confirmed:
        reasons.append(Reason("unconfirmed_offer"))
    return tuple(reasons)


def _sector_reasons(ctx: Context, opt: Option, options: Sequence[Option]) -> list[Reason]:
    """`covers`, then `only_one` for each sector no other eligible candidate covers."""
    brought = covers(opt, ctx)
    if not brought:
        return []
    reasons = [Reason("covers", {"sectors": list(brought)})]
    reasons += [
        Reason("only_one", {"sector": code})
        for code in brought
        if sum(1 for other in options if code in other.candidate.sectors) == 1
    ]
    return reasons


def _place_reasons(case: Case, opt: Option) -> list[Reason]:
    """In or out of the case's region, then the distance (in person) or `remote`."""
    candidate = opt.candidate
    if case.region in candidate.home_regions:
        reasons = [Reason("in_region", {"region": case.region})]
    else:
        home = min(candidate.home_regions, default=case.region)
        reasons = [Reason("out_of_region", {"region": home})]
    if opt.remote:
        reasons.append(Reason("remote"))
    elif opt.distance_km is not None:
        reasons.append(Reason("distance", {"km": round(opt.distance_km, KM_DIGITS)}))
    return reasons


def _balance_reason(ctx: Context, opt: Option, panel: Sequence[Option]) -> Reason | None:
    """`balance` when this member alone brings its organisation type to a balanced table."""
    others = ctx.on_file_types
    for other in panel:
        if other is not opt:
            others |= other.type_bit
    if opt.type_bit and others | opt.type_bit == BOTH_TYPES and not others & opt.type_bit:
        return Reason("balance", {"type": opt.candidate.organisation.type})
    return None


def _alternatives(
    ctx: Context,
    opt: Option,
    panel: Sequence[Option],
    options: Sequence[Option],
    limit: int,
) -> tuple[Alternative, ...]:
    """Others of distinct organisations, not at the table, who cover one of its sectors."""
    if limit <= 0:
        return ()
    used = {member.candidate.organisation.id for member in panel}
    wanted = opt.mask
    found = [
        other
        for other in options
        if other.candidate.organisation.id not in used and (not wanted or other.mask & wanted)
    ]
    return tuple(
        Alternative(other.candidate, covers(other, ctx))
        for other in _distinct_best(found, ctx, limit)
    )
