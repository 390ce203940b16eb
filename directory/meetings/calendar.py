"""The meeting as an iCalendar (RFC 5545) event, built with the `icalendar` package.

One event per meeting, whose UID never changes (`<meeting id>@filet`); its SEQUENCE is the
meeting's, raised on each change of date, length, place or mode, so calendar programs update
the event instead of adding one. METHOD:REQUEST invites, METHOD:CANCEL withdraws it,
METHOD:PUBLISH is the download from the meeting page. Times are in UTC. Nothing about the
family: the summary says the meeting's type and the region only.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from directory.core.mail import sender_address
from directory.meetings.models import Invitation, Meeting

PRODID = "-//Filet//Concertations//FR"


def uid(meeting: Meeting) -> str:
    return f"{meeting.id}@filet"


def summary(meeting: Meeting, language: str) -> str:
    with force_locale(language):
        if meeting.meeting_type == "consultation":
            kind = _("Consultation clinique")
        else:
            kind = _("Rencontre de concertation")
        if meeting.round == "follow_up":
            kind = _("%(kind)s (suivi)", kind=kind)
        region = meeting.region.label_en if language == "en" else meeting.region.label_fr
        return f"{kind} — Filet ({region})"


def where(meeting: Meeting) -> str | None:
    """The place, the video link or the bridge number, as invitees need it."""
    if meeting.schedule_mode == "in_person":
        return meeting.location
    if meeting.schedule_mode == "video":
        return meeting.video_url
    if meeting.schedule_mode == "phone":
        return meeting.bridge_number
    return None


def _attendee(address: str, invitation: Invitation) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{address}")
    name = invitation.expert.name if invitation.expert else invitation.organisation.name
    attendee.params["CN"] = vText(name)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    status = {"accepted": "ACCEPTED", "declined": "DECLINED"}.get(invitation.status, "NEEDS-ACTION")
    attendee.params["PARTSTAT"] = vText(status)
    attendee.params["RSVP"] = vText("FALSE")  # the answer goes through the reply link
    return attendee


def build(
    meeting: Meeting,
    attendees: Iterable[tuple[str, Invitation]],
    *,
    method: str,
    language: str = "fr",
    description: str | None = None,
) -> bytes:
    """The calendar for `meeting` with `attendees` (address, invitation), as bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", summary(meeting, language))
    place = where(meeting)
    if place:
        event.add("location", place)
    if meeting.schedule_mode == "video" and meeting.video_url:
        event.add("url", meeting.video_url)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{sender_address()}")
    organizer.params["CN"] = vText("Filet")
    event.add("organizer", organizer)
    for address, invitation in attendees:
        event.add("attendee", _attendee(address, invitation), encode=False)
    calendar.add_component(event)
    return calendar.to_ical()
