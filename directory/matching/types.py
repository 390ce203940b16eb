"""The matching engine's inputs and outputs: frozen dataclasses, stable codes, no framework.

Sector codes are DOMAIN.md's (VCF, VCH, MT, PSM, PC, AS, AVAC, POLICE, …); regions are the
two-digit codes of Québec's administrative regions; ids are strings (UUIDs in the app).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

VICTIM_SECTOR = "VCF"  # who helps the victim (and her children)
AUTHOR_SECTOR = "VCH"  # who works with the partner who has violent behaviour
COOCCURRENCES = ("PSM", "PC", "MT")  # at least one is present in every case (DOMAIN.md)


class Mode(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"
    HYBRID = "hybrid"


class MeetingType(StrEnum):
    CONCERTATION = "concertation"  # consent obtained; at least two practitioners on the file
    CONSULTATION = "consultation"  # anonymous: nothing identifying is stored


class Followed(StrEnum):
    VICTIM = "victim"
    AUTHOR = "author"


class Coverage(StrEnum):
    ON_FILE = "on_file"  # an organisation already on the file covers the sector
    COVERED = "covered"  # an invited expert attending in person (or in region) covers it
    COVERED_REMOTE = "covered_remote"  # only an expert joining remotely covers it
    GAP = "gap"  # nobody eligible: reported, never dropped


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Organisation:
    id: str
    slug: str
    name: str
    type: str  # "community" or "institutional"


@dataclass(frozen=True)
class OnFile:
    """An organisation already on the file: it sits at the table and covers its sectors."""

    organisation: Organisation
    sectors: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    """Someone an organisation can send: a named expert, or the organisation itself when it
    names nobody (`expert_id` None). `confirmed` is False when the offer is the default derived
    from the listing (its services' sectors, in person in its own regions, remote possible)."""

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


@dataclass(frozen=True)
class Weights:
    """Soft criteria (higher weight = matters more); defaults are in the app's configuration."""

    sector_fit: float = 3.0  # each required sector a member covers
    distance: float = 1.0  # per 100 km between the case and an in-person member
    in_region: float = 1.0  # a member from the case's region
    load: float = 0.5  # per recent invitation of the member's organisation
    continuity: float = 2.0  # a member who was at the previous meeting (follow-up)
    balance: float = 1.0  # both community and institutional organisations at the table
    size: float = 0.5  # per invited member (fewer people when coverage is equal)
    unconfirmed: float = 0.25  # a member whose offer the organisation has not confirmed


@dataclass(frozen=True)
class Case:
    """A case described without identifying information."""

    region: str
    cooccurrences: frozenset[str]  # non-empty subset of COOCCURRENCES
    followed: frozenset[Followed]  # decides VCF and/or VCH
    other_needs: frozenset[str] = frozenset()
    on_file: tuple[OnFile, ...] = ()
    exclude_organisations: frozenset[str] = frozenset()  # organisation ids
    exclude_candidates: frozenset[str] = frozenset()  # candidate ids (a swapped-out member)
    pinned: frozenset[str] = frozenset()  # candidate ids that must be in the panel (a swap-in)
    meeting_type: MeetingType = MeetingType.CONCERTATION
    mode: Mode = Mode.IN_PERSON
    language: str = "fr"
    max_experts: int = 5
    location: Point | None = None  # the municipality (or region) centroid, for distances
    previous_candidates: frozenset[str] = frozenset()  # candidate ids of the previous meeting
    imminent_risk: bool = False

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


@dataclass(frozen=True)
class Reason:
    """Why a member is proposed, as a code and parameters the UI renders in its language.

    Codes: covers {sectors}, only_one {sector}, distance {km}, remote {}, in_region {region},
    out_of_region {region}, recent_load {count}, continuity {}, unconfirmed_offer {},
    balance {type}, pinned {}.
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
    covers: tuple[str, ...]  # required sectors this member brings to the table
    remote: bool  # joins remotely (not attending in the case's region in person)
    distance_km: float | None
    reasons: tuple[Reason, ...]
    alternatives: tuple[Alternative, ...]  # 2–3 others who could take this seat
    score: Mapping[str, float]  # per-criterion contribution to the objective


@dataclass(frozen=True)
class Gap:
    """A required sector nobody eligible covers, with remote options from other regions."""

    sector: str
    region: str
    remote_options: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Referral:
    """Imminent homicide risk: the regional rapid-intervention cell, not a meeting."""

    kind: str = "rapid_intervention_cell"


@dataclass(frozen=True)
class Result:
    panel: tuple[Member, ...]
    coverage: Mapping[str, Coverage]  # every required sector, in `Case.required_sectors` order
    gaps: tuple[Gap, ...]
    organisations_at_table: int  # distinct organisations: on the file + invited
    rules: Mapping[str, bool]  # min_three_organizations, vc_plus_one
    referral: Referral | None = None
    objective: float = 0.0
    breakdown: Mapping[str, float] = field(default_factory=dict)  # per criterion, whole panel
