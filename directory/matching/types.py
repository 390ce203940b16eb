"""The matching engine's inputs and outputs: frozen dataclasses, stable codes, no framework.

Sector codes are those of docs/domain.md#sector-codes (VCF, VCH, MT, PSM, PC, AS, AVAC,
POLICE, …); regions are the two-digit codes of Québec's administrative regions; ids are
strings (UUIDs in the app).
Inputs check themselves: a `ValueError` names what is wrong (a non-finite weight, a cap below
one, no co-occurrence…), so no caller can get a silent answer to a question that makes no
sense. An organisation listed twice on the file counts once; excluding one that is on the file
changes nothing (it is never a candidate). The API refuses both (400) before they get here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum

VICTIM_SECTOR = "VCF"  # who helps the victim (and her children)
AUTHOR_SECTOR = "VCH"  # who works with the partner who has violent behaviour
# At least one is present in every case (docs/domain.md#sector-codes).
COOCCURRENCES = ("PSM", "PC", "MT")
CHILD_SECTOR = "MT"  # a case with child maltreatment involves the children
# Populations (seed/populations.csv) that say who a service is for by sex and age. Only these
# can exclude the people a case follows; the others (Indigenous peoples, immigrants,
# LGBTQ2S+, disabilities, seniors, families) are facts a case never states, so they never do.
WOMEN, MEN, CHILDREN, YOUTH = "women", "men", "children", "youth"
EXCLUSIVE_POPULATIONS = frozenset({WOMEN, MEN, CHILDREN, YOUTH})


class Mode(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"
    HYBRID = "hybrid"


class MeetingType(StrEnum):
    CONCERTATION = "concertation"  # consents signed; at least two practitioners on the file
    CONSULTATION = "consultation"  # anonymous: the referrer's organisation only, no consent


class Followed(StrEnum):
    VICTIM = "victim"
    AUTHOR = "author"


class Coverage(StrEnum):
    ON_FILE = "on_file"  # an organisation already on the file covers the sector
    COVERED = "covered"  # an invited expert attending in person (or in region) covers it
    COVERED_REMOTE = "covered_remote"  # only an expert joining remotely covers it
    GAP = "gap"  # nobody at the table: reported with its cause, never dropped


class GapCause(StrEnum):
    """Why a required sector has nobody at the table. A gap names exactly one cause: the
    candidates offering the sector are filtered in the order below, and the cause is the
    filter that removed the last of them (so it is the one the facilitator can act on).

    - `none_in_region`: no candidate offers the sector in the case's region (nor, for a remote
      or hybrid meeting, remotely from elsewhere). A statement about the directory, never
      about the region: « aucune ressource répertoriée dans Filet pour la région X ».
    - `territorial`: the only ones are territorial services of other regions (youth
      protection, police, school boards, CISSS/CIUSSS programs act on their territory only).
    - `population`: their services' stated populations exclude the people followed
      (youth-only services for an adult victim when the children are not involved).
    - `language`: none offers the meeting's language.
    - `unavailable`: they declined (their offer excludes this region and remote meetings) or
      took their stated share of invitations over the last 90 days.
    - `excluded`: the facilitator excluded them (or swapped them out).
    - `cap_reached`: eligible ones exist, but the panel is full (`max_experts`, or the group
      size of a remote or hybrid meeting).
    """

    NONE_IN_REGION = "none_in_region"
    TERRITORIAL = "territorial"
    POPULATION = "population"
    LANGUAGE = "language"
    UNAVAILABLE = "unavailable"
    EXCLUDED = "excluded"
    CAP_REACHED = "cap_reached"


class DistanceBasis(StrEnum):
    """Where a candidate's position comes from (a confidential site is never a `site`)."""

    SITE = "site"  # the site's own coordinates
    MUNICIPALITY = "municipality"  # the centroid of its site's municipality
    REGION = "region"  # the centroid of the region its services cover


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Organisation:
    """An organisation; a sub-program names the top-level institution it belongs to.

    The rule of « trois organismes ou institutions distincts » counts institutions: every
    program of one CIUSSS is the same institution (`institution`).
    """

    id: str
    slug: str
    name: str
    type: str  # "community" or "institutional"
    institution_id: str | None = None  # the top-level parent of a sub-program; None: itself

    @property
    def institution(self) -> str:
        return self.institution_id or self.id


@dataclass(frozen=True)
class OnFile:
    """An organisation already on the file: it sits at the table and covers its sectors."""

    organisation: Organisation
    sectors: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    """Someone an organisation can send: a named expert, or the organisation itself when it
    names nobody (`expert_id` None). `confirmed` is False when the offer is the default derived
    from the listing (its services' sectors, in person in its own regions, remote possible).

    `territory` marks a territorial service (youth protection, police, school boards,
    CISSS/CIUSSS programs): the regions where it acts, outside of which it is never proposed
    unless the facilitator pins it. `populations` gives, per sector, the populations its
    services state for that sector (absent or empty: not stated, which fits everyone).
    A `location` given without a basis is taken as the site's own position.
    """

    id: str  # unique among candidates (an expert id, or "org:<organisation id>")
    organisation: Organisation
    sectors: frozenset[str]
    regions: frozenset[str]  # regions where it attends meetings in person
    home_regions: frozenset[str]  # regions of the organisation's sites (in/out of region)
    remote: bool  # joins meetings remotely
    languages: frozenset[str] = frozenset({"fr"})
    capacity: int | None = None  # invitations it can take per 90 days; None = no stated limit
    recent_invitations: int = 0  # its organisation's invitations over the last 90 days
    location: Point | None = None
    confirmed: bool = True
    expert_id: str | None = None
    expert_name: str | None = None
    territory: frozenset[str] | None = None  # None: not a territorial service
    populations: Mapping[str, frozenset[str]] = field(default_factory=dict, hash=False)
    location_basis: DistanceBasis | None = None

    def __post_init__(self) -> None:
        if self.location is not None and self.location_basis is None:
            object.__setattr__(self, "location_basis", DistanceBasis.SITE)
        if self.location is None and self.location_basis is not None:
            raise ValueError(f"candidate {self.id}: a distance basis without a location")


@dataclass(frozen=True)
class Weights:
    """Soft criteria (higher weight = matters more); defaults are in the app's configuration.

    Every weight must be a finite number (`ValueError` otherwise): an infinite or NaN weight
    would make every comparison of panels meaningless.
    """

    sector_fit: float = 3.0  # each required sector a member covers
    distance: float = 1.0  # per 100 km between the case and an in-person member
    in_region: float = 1.0  # a member from the case's region
    load: float = 0.5  # per recent invitation of the member's organisation
    continuity: float = 2.0  # a member who was at the previous meeting (follow-up)
    balance: float = 1.0  # both community and institutional organisations at the table
    size: float = 0.5  # per invited member (fewer people when coverage is equal)
    unconfirmed: float = 0.25  # a member whose offer the organisation has not confirmed

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"weight {item.name} must be a number, not {value!r}")  # noqa: TRY004 - a bad value, documented as ValueError
            if not math.isfinite(value):
                raise ValueError(f"weight {item.name} must be finite, not {value!r}")


@dataclass(frozen=True)
class Case:
    """A case described without identifying information.

    `max_experts` caps the panel (at least 1); a remote or hybrid meeting is also capped by
    the group size (see `scoring.GROUP_LIMIT`). The people followed are the victim (a woman)
    and/or the author (a man); the children are involved when MT is a co-occurrence.
    """

    region: str
    cooccurrences: frozenset[str]  # non-empty subset of COOCCURRENCES
    followed: frozenset[Followed]  # decides VCF and/or VCH
    other_needs: frozenset[str] = frozenset()
    on_file: tuple[OnFile, ...] = ()
    exclude_organisations: frozenset[str] = frozenset()  # organisation or institution ids
    exclude_candidates: frozenset[str] = frozenset()  # candidate ids (a swapped-out member)
    pinned: frozenset[str] = frozenset()  # candidate ids that must be in the panel (a swap-in)
    meeting_type: MeetingType = MeetingType.CONCERTATION
    mode: Mode = Mode.IN_PERSON
    language: str = "fr"
    max_experts: int = 5
    location: Point | None = None  # the municipality (or region) centroid, for distances
    previous_candidates: frozenset[str] = frozenset()  # candidate ids of the previous meeting
    imminent_risk: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.max_experts, bool) or not isinstance(self.max_experts, int):
            raise ValueError(f"max_experts must be an integer, not {self.max_experts!r}")  # noqa: TRY004 - a bad value, documented as ValueError
        if self.max_experts < 1:
            raise ValueError(f"max_experts must be at least 1, not {self.max_experts}")
        if not self.cooccurrences or not self.cooccurrences <= set(COOCCURRENCES):
            raise ValueError(f"cooccurrences must be a non-empty subset of {COOCCURRENCES}")
        if not self.followed:
            raise ValueError("followed must name the victim, the author or both")

    @property
    def file_organisations(self) -> frozenset[str]:
        """The organisations on the file (one practitioner each, however often listed)."""
        return frozenset(entry.organisation.id for entry in self.on_file)

    @property
    def required_sectors(self) -> tuple[str, ...]:
        """VCF and/or VCH per who is followed, each co-occurrence, each other need; in order."""
        needed: list[str] = []
        if Followed.VICTIM in self.followed:
            needed.append(VICTIM_SECTOR)
        if Followed.AUTHOR in self.followed:
            needed.append(AUTHOR_SECTOR)
        needed += [code for code in COOCCURRENCES if code in self.cooccurrences]
        needed += sorted(self.other_needs - set(needed))
        return tuple(needed)

    @property
    def people(self) -> frozenset[str]:
        """The populations the case follows: women (victim), men (author), the children."""
        people = set()
        if Followed.VICTIM in self.followed:
            people.add(WOMEN)
        if Followed.AUTHOR in self.followed:
            people.add(MEN)
        if CHILD_SECTOR in self.cooccurrences:
            people |= {CHILDREN, YOUTH}
        return frozenset(people)


@dataclass(frozen=True)
class Reason:
    """Why a member is proposed, as a code and parameters the UI renders in its language.

    Codes: covers {sectors}, only_one {sector}, third_institution {} (a second resource for a
    needed sector, at the table so that three distinct institutions sit there),
    distance {km, basis}, unknown_location {}, remote {}, in_region {region},
    out_of_region {region}, recent_load {count}, continuity {} (at the previous meeting),
    unconfirmed_offer {}, balance {type}, pinned {}, outside_territory {regions} (a pinned
    territorial service outside its territory).
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Alternative:
    candidate: Candidate
    covers: tuple[str, ...]


@dataclass(frozen=True)
class Member:
    candidate: Candidate
    covers: tuple[str, ...]  # required sectors this member offers (for the people followed)
    remote: bool  # joins remotely (not attending in the case's region in person)
    distance_km: float | None
    reasons: tuple[Reason, ...]
    alternatives: tuple[Alternative, ...]  # 2–3 others who could take this seat
    score: Mapping[str, float]  # per-criterion contribution to the objective
    distance_basis: DistanceBasis | None = None  # what `distance_km` is measured from


@dataclass(frozen=True)
class GapAlternative:
    """Someone who offers a gap's sector: in the region first, then remotely from the
    nearest regions. `blocked_by` says what keeps it from the table (None: it could join a
    remote or hybrid meeting)."""

    candidate: Candidate
    in_region: bool
    remote: bool  # would join remotely
    blocked_by: GapCause | None


@dataclass(frozen=True)
class Gap:
    """A required sector nobody at the table covers, why, and who could still cover it.

    `params` details the cause for its message: cap_reached {limit: "max_experts" |
    "group_size" | "organisation_seat", max_experts, group_limit, on_file}, language
    {language}, none_in_region {region}.
    """

    sector: str
    region: str
    cause: GapCause = GapCause.NONE_IN_REGION
    alternatives: tuple[GapAlternative, ...] = ()
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def remote_options(self) -> tuple[Candidate, ...]:
        """The alternatives from other regions that would join remotely."""
        return tuple(alt.candidate for alt in self.alternatives if not alt.in_region)


@dataclass(frozen=True)
class RuleCheck:
    """One of the report's rules, whether it is met, and on what basis.

    min_three_organizations {institutions, why: None | "cap" | "none_eligible"};
    vc_plus_one {satisfied_by: the family's sectors at the table, missing: the others}.
    """

    name: str
    met: bool
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Referral:
    """Imminent homicide risk: the regional rapid-intervention cell, not a meeting."""

    kind: str = "rapid_intervention_cell"


@dataclass(frozen=True)
class SearchReport:
    """How far the search went. `exact`: the panel is proven best. Otherwise the node budget
    ran out and `upper_bound` (sectors covered, three institutions, objective) bounds every
    panel left unexplored: the optimality gap is its distance to the answer's key."""

    exact: bool = True
    nodes: int = 0
    upper_bound: tuple[int, bool, float] | None = None


@dataclass(frozen=True)
class Result:
    panel: tuple[Member, ...]
    coverage: Mapping[str, Coverage]  # every required sector, in `Case.required_sectors` order
    gaps: tuple[Gap, ...]
    organisations_at_table: int  # distinct institutions: on the file + invited
    rules: Mapping[str, bool]  # min_three_organizations, vc_plus_one
    referral: Referral | None = None
    objective: float = 0.0
    breakdown: Mapping[str, float] = field(default_factory=dict)  # per criterion, whole panel
    checks: tuple[RuleCheck, ...] = ()  # the rules with their basis
    search: SearchReport = SearchReport()
