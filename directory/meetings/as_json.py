"""The `Meeting` of the API (see the README's « Meeting lifecycle »): schedule, invitations
with their seat history, the engine's replacement proposals, action paths and gaps."""

from __future__ import annotations

from typing import Any

from directory.meetings import explain
from directory.meetings.models import ActionPath, Invitation, Meeting, RecordedGap
from directory.meetings.replacement import Replacement
from directory.organisations.models import Organisation


def _iso(value: Any) -> str | None:  # noqa: ANN401 - a date, a datetime or None
    return value.isoformat() if value is not None else None


def organization(organisation: Organisation) -> dict[str, str]:
    return {"id": str(organisation.id), "slug": organisation.slug, "name": organisation.name}


def invitation(item: Invitation) -> dict[str, Any]:
    expert = item.expert
    email = (expert.email if expert else None) or item.organisation.email
    phone = expert.phone if expert else None
    return {
        "id": str(item.id),
        "organization": organization(item.organisation),
        "expert": {"id": str(expert.id), "name": expert.name} if expert else None,
        "status": item.status,
        "replacement_for": str(item.replacement_for_id) if item.replacement_for_id else None,
        "covers": list(item.covers),
        "sent": item.sent_at is not None,
        "reply_reason": item.reply_reason,
        "confidentiality_acknowledged": item.confidentiality_acknowledged,
        "attended": item.attended,
        # Facilitators and admins only: the API's meetings answer no one else.
        "contact": {"email": email, "phone": phone},
    }


def action(item: ActionPath) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "item": item.item,
        "organization": organization(item.organisation),
        "due_on": _iso(item.due_on),
        "status": item.status,
    }


def gap(item: RecordedGap) -> dict[str, Any]:
    return {"sector": item.sector_code, "cause": item.cause}


def proposal(item: Replacement) -> dict[str, Any]:
    candidate = item.member.candidate
    return {
        "for": str(item.declined.id),
        "organization": {
            "id": candidate.organisation.id,
            "slug": candidate.organisation.slug,
            "name": candidate.organisation.name,
        },
        "expert": {"id": candidate.expert_id, "name": candidate.expert_name}
        if candidate.expert_id
        else None,
        "covers": list(item.member.covers),
        "reasons": explain.reasons(item.member.reasons),
    }


def meeting(found: Meeting, proposals: list[Replacement]) -> dict[str, Any]:
    previous = found.previous_meeting
    return {
        "id": str(found.id),
        "type": found.meeting_type,
        "round": found.round,
        "follow_up_of": str(found.previous_meeting_id) if found.previous_meeting_id else None,
        "status": found.status,
        "version": found.version,
        "region": found.region_code,
        "starts_at": _iso(found.starts_at),
        "ends_at": _iso(found.ends_at),
        "duration_minutes": found.duration_minutes,
        "mode": found.schedule_mode,
        "location": found.location,
        "video_url": found.video_url,
        "bridge_number": found.bridge_number,
        "consents_attested": found.consents_attested,
        "consents_signed_on": _iso(found.consents_signed_on),
        "sequence": found.sequence,
        "held_on": _iso(found.held_on),
        "invitations": [invitation(item) for item in found.invitations],
        "replacement_proposals": [proposal(item) for item in proposals],
        "actions": [action(item) for item in found.actions],
        "gaps": [gap(item) for item in found.gaps],
        "previous_actions": [action(item) for item in previous.actions] if previous else [],
    }
