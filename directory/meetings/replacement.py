"""Who could take a declined seat: the matching engine's answer for the meeting's case, with
the same rules, every declining organisation excluded for this meeting, and the members still
holding a seat pinned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from functools import partial

from flask_babel import gettext as _

from directory.matching.engine import recommend
from directory.matching.types import Followed, MeetingType, Member, Mode
from directory.meetings import inputs
from directory.meetings.models import Invitation, Meeting


@dataclass(frozen=True)
class Replacement:
    declined: Invitation
    member: Member


def case_request(meeting: Meeting) -> inputs.CaseRequest:
    """The meeting's case as the engine's request: its codes, the organisations that declined
    excluded, the members holding a seat pinned."""
    declined = {
        item.organisation_id
        for item in meeting.invitations
        if item.status in ("declined", "replaced")
    }
    return inputs.CaseRequest(
        region=meeting.region_code,
        municipality=meeting.municipality,
        cooccurrences=frozenset(meeting.cooccurrences),
        followed=frozenset(Followed(value) for value in meeting.followed),
        other_needs=frozenset(meeting.other_needs),
        on_file_ids=tuple(row.organisation_id for row in meeting.on_file),
        exclude_ids=frozenset(declined),
        meeting_type=MeetingType(meeting.meeting_type),
        mode=Mode(meeting.mode),
        language=meeting.language,
        max_experts=meeting.max_experts,
        consents_attested=meeting.consents_attested,
    )


def _held_seats(meeting: Meeting) -> list[Invitation]:
    return [item for item in meeting.seats if item.status != "declined"]


def _overlap(seat: Invitation, member: Member) -> int:
    return len(set(member.covers) & set(seat.covers))


def proposals(meeting: Meeting) -> list[Replacement]:
    """One proposal per declined seat not replaced yet (none when the engine has nobody)."""
    open_seats = [item for item in meeting.invitations if item.status == "declined"]
    if not open_seats or meeting.closed:
        return []
    request = case_request(meeting)
    built = inputs.build(request)
    known = {candidate.id for candidate in built.candidates}
    holding = {item.candidate_id for item in _held_seats(meeting)}
    case = replace(built.case, pinned=frozenset(holding & known))
    result = recommend(case, built.candidates, weights=built.weights, regions=built.regions)
    newcomers = [member for member in result.panel if member.candidate.id not in holding]
    found = []
    for seat in open_seats:
        if not newcomers:
            break
        # The newcomer covering most of what the declined seat covered takes it.
        best = max(newcomers, key=partial(_overlap, seat))
        newcomers.remove(best)
        found.append(Replacement(seat, best))
    return found


class ReplaceError(ValueError):
    """The seat cannot be replaced: `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def resolve(meeting: Meeting, invitation_id: object) -> Replacement:
    """The engine's replacement for the declined invitation `invitation_id` of `meeting`;
    ReplaceError when it is not a declined seat of the meeting or nobody is left to propose."""
    try:
        wanted = uuid.UUID(str(invitation_id))
    except ValueError as error:
        raise ReplaceError(_("Invitation inconnue.")) from error
    declined = next((item for item in meeting.invitations if item.id == wanted), None)
    if declined is None:
        raise ReplaceError(_("Invitation inconnue."))
    if declined.status != "declined":
        raise ReplaceError(_("Seule une invitation déclinée se remplace."))
    found = next((item for item in proposals(meeting) if item.declined.id == wanted), None)
    if found is None:
        raise ReplaceError(_("Le moteur ne propose personne d'autre pour cette place."))
    return found
