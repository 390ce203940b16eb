"""Turn a chosen panel into a `Result`: coverage, gaps, rules, reasons, alternatives, scores.

Reasons, gaps and rule checks are codes with parameters (see `types`); the UI renders them in
its language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from directory.matching import gaps as gap_analysis
from directory.matching.eligibility import outside_territory
from directory.matching.scoring import (
    BOTH_TYPES,
    CRITERIA,
    MIN_ORGANISATIONS,
    Context,
    Option,
    breakdown,
    institutions,
    own_sectors,
    rank_key,
    terms,
    travel_km,
)
from directory.matching.types import (
    AUTHOR_SECTOR,
    VICTIM_SECTOR,
    Alternative,
    Candidate,
    Case,
    Coverage,
    Member,
    Point,
    Reason,
    Referral,
    Result,
    RuleCheck,
    SearchReport,
)

KM_DIGITS = 1


def referral(case: Case, ctx: Context) -> Result:
    """Imminent risk: the rapid-intervention cell, the file's coverage, no panel.

    No gap is reported: no panel was sought, so no sector lacks anyone for a cause of its
    own (the referral says why there is no meeting).
    """
    coverage = {
        code: Coverage.ON_FILE if code in ctx.on_file_sectors else Coverage.GAP
        for code in ctx.required
    }
    checks = _checks(case, ctx, (), ())
    return Result(
        panel=(),
        coverage=coverage,
        gaps=(),
        organisations_at_table=institutions((), ctx),
        rules={check.name: check.met for check in checks},
        referral=Referral(),
        breakdown=dict.fromkeys(CRITERIA, 0.0),
        checks=checks,
    )


def result(  # noqa: PLR0913 - the pieces of one answer
    case: Case,
    ctx: Context,
    panel: Sequence[Option],
    options: Sequence[Option],
    candidates: Sequence[Candidate],
    *,
    alternatives: int,
    regions: Mapping[str, Point] | None = None,
    search: SearchReport | None = None,
) -> Result:
    """Assemble the answer for a chosen panel (`options` are every eligible candidate)."""
    ordered = sorted(panel, key=lambda o: rank_key(o, ctx.weights))
    coverage = _coverage(ctx, ordered)
    missing = [code for code, state in coverage.items() if state is Coverage.GAP]
    totals = breakdown(case, ordered, ctx)
    checks = _checks(case, ctx, ordered, options)
    return Result(
        panel=_members(case, ctx, ordered, options, alternatives),
        coverage=coverage,
        gaps=gap_analysis.gaps(case, ctx, missing, ordered, candidates, regions or {}),
        organisations_at_table=institutions(ordered, ctx),
        rules={check.name: check.met for check in checks},
        objective=sum(totals.values()),
        breakdown=totals,
        checks=checks,
        search=search or SearchReport(),
    )


def _coverage(ctx: Context, panel: Sequence[Option]) -> dict[str, Coverage]:
    coverage: dict[str, Coverage] = {}
    for code in ctx.required:
        if code in ctx.on_file_sectors:
            coverage[code] = Coverage.ON_FILE
            continue
        joining = [opt.remote for opt in panel if code in opt.covers]
        if not joining:
            coverage[code] = Coverage.GAP
        else:
            coverage[code] = Coverage.COVERED_REMOTE if all(joining) else Coverage.COVERED
    return coverage


def _checks(
    case: Case, ctx: Context, panel: Sequence[Option], options: Sequence[Option]
) -> tuple[RuleCheck, ...]:
    """The two rules of §2.1, each with what satisfies it or why it fails.

    Three institutions fail for want of seats (`cap`) when enough other eligible institutions
    offer a needed sector, else for want of such institutions (`none_eligible`).
    """
    at_table = institutions(panel, ctx)
    three = at_table >= MIN_ORGANISATIONS
    why = None
    if not three:
        seated = ctx.on_file_institutions | {opt.institution for opt in panel}
        others = {opt.institution for opt in options if opt.covers} - seated
        why = "cap" if at_table + len(others) >= MIN_ORGANISATIONS else "none_eligible"
    present = set(ctx.on_file_sectors).union(*(opt.covers for opt in panel))
    vc = [code for code in ctx.required if code in {VICTIM_SECTOR, AUTHOR_SECTOR}]
    family = [*vc, *(code for code in ctx.required if code in case.cooccurrences)]
    vc_met = any(code in present for code in vc)
    co_met = any(code in present for code in case.cooccurrences)
    return (
        RuleCheck(
            "min_three_organizations",
            three,
            {"institutions": at_table, "why": why, "cap": ctx.cap, "cap_kind": ctx.cap_kind},
        ),
        RuleCheck(
            "vc_plus_one",
            vc_met and co_met,
            {
                "satisfied_by": [code for code in family if code in present],
                "missing": [code for code in family if code not in present],
            },
        ),
    )


def _members(
    case: Case,
    ctx: Context,
    panel: Sequence[Option],
    options: Sequence[Option],
    limit: int,
) -> tuple[Member, ...]:
    credited = 0  # a sector two members cover counts once: credited to the first listed
    flags = _third(case, panel)
    offering = Counter(code for other in options for code in other.covers)
    ranked = (
        sorted((o for o in options if o.covers), key=lambda o: rank_key(o, ctx.weights))
        if limit > 0
        else []
    )
    members = []
    for opt, third in zip(panel, flags, strict=True):
        fresh = opt.mask & ~credited
        credited |= opt.mask
        score = dict.fromkeys(CRITERIA, 0.0) | terms(case, opt, ctx.weights)
        score["sector_fit"] = ctx.weights.sector_fit * fresh.bit_count()
        distance = travel_km(case, opt.candidate)
        members.append(
            Member(
                candidate=opt.candidate,
                covers=opt.covers,
                remote=opt.remote,
                distance_km=distance,
                reasons=_reasons(case, ctx, opt, panel, offering, third=third),
                alternatives=_alternatives(opt, panel, ranked, limit),
                score=score,
                distance_basis=opt.candidate.location_basis if distance is not None else None,
            )
        )
    return tuple(members)


def _third(case: Case, panel: Sequence[Option]) -> list[bool]:
    """Per member: seated to make three institutions rather than for a sector.

    Members who bring a sector nobody else brings cover it. Among the others, in the order
    shown, the first to offer a sector not yet covered covers it (two members offering only
    PSM: one covers PSM, the other makes the third institution).
    """
    pinned = frozenset(case.pinned)
    own = own_sectors(panel)
    credited = 0
    for opt, bits in zip(panel, own, strict=True):
        if bits:
            credited |= opt.mask
    flags = []
    for opt, bits in zip(panel, own, strict=True):
        if opt.candidate.id in pinned or bits:
            flags.append(False)
        elif opt.mask & ~credited:
            credited |= opt.mask
            flags.append(False)
        else:
            flags.append(True)
    return flags


def _reasons(  # noqa: PLR0913 - one member's context
    case: Case,
    ctx: Context,
    opt: Option,
    panel: Sequence[Option],
    offering: Mapping[str, int],
    *,
    third: bool,
) -> tuple[Reason, ...]:
    candidate = opt.candidate
    reasons = [Reason("pinned")] if candidate.id in case.pinned else []
    if outside_territory(case, candidate):
        reasons.append(Reason("outside_territory", {"regions": sorted(candidate.territory or ())}))
    reasons += _sector_reasons(opt, offering)
    if third:
        reasons.append(Reason("third_institution"))
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


def _sector_reasons(opt: Option, offering: Mapping[str, int]) -> list[Reason]:
    """`covers`, then `only_one` for each sector no other eligible candidate covers."""
    if not opt.covers:
        return []
    reasons = [Reason("covers", {"sectors": list(opt.covers)})]
    reasons += [Reason("only_one", {"sector": code}) for code in opt.covers if offering[code] == 1]
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
        basis = str(candidate.location_basis) if candidate.location_basis else None
        reasons.append(
            Reason("distance", {"km": round(opt.distance_km, KM_DIGITS), "basis": basis})
        )
    elif case.location is not None:
        reasons.append(Reason("unknown_location"))
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
    opt: Option,
    panel: Sequence[Option],
    ranked: Sequence[Option],
    limit: int,
) -> tuple[Alternative, ...]:
    """Others of distinct organisations, not at the table, who offer one of its sectors
    (`ranked`: every eligible option offering a required sector, best first)."""
    if limit <= 0:
        return ()
    used = {member.candidate.organisation.id for member in panel}
    wanted = frozenset(opt.covers)
    chosen: list[Alternative] = []
    for other in ranked:
        organisation = other.candidate.organisation.id
        if organisation in used or (wanted and wanted.isdisjoint(other.covers)):
            continue
        chosen.append(Alternative(other.candidate, other.covers))
        used.add(organisation)
        if len(chosen) >= limit:
            break
    return tuple(chosen)
