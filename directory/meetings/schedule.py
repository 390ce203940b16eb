"""A meeting's schedule: when (Québec time, stored in UTC), how long, how (in person, video,
phone) and where, checked the same way for the API and the HTML forms.

An in-person meeting's place is never a confidential site's address: the place is compared
with every confidential site's street address and postal code, and refused when it names one
(the message does not repeat the address).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from directory.db import utcnow
from directory.meetings import queries
from directory.meetings.models import SCHEDULE_MODES, Meeting
from directory.text import fold

QUEBEC = ZoneInfo("America/Toronto")  # Québec's time zone (Eastern time)
MIN_DURATION, MAX_DURATION = 15, 480
DEFAULT_DURATION = 90
MAX_LOCATION = 300
MAX_URL = 500
FOLLOW_UP_DELAY = timedelta(weeks=6)
_PHONE = re.compile(
    r"^\+?[0-9 ().\-]{7,25}(?:\s*(?:#|poste|ext\.?|x)\s*[0-9]{1,8})?$", re.IGNORECASE
)


class ScheduleError(ValueError):
    """A schedule field is missing or invalid: `field` names it, `message` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Schedule:
    starts_at: datetime  # UTC
    duration_minutes: int
    mode: str  # in_person | video | phone
    location: str | None = None
    video_url: str | None = None
    bridge_number: str | None = None

    def differs_from(self, meeting: Meeting) -> bool:
        """Whether the invitees must get an updated invitation (date, length, place or mode)."""
        return (
            self.starts_at != meeting.starts_at
            or self.duration_minutes != meeting.duration_minutes
            or self.mode != meeting.schedule_mode
            or self.location != meeting.location
            or self.video_url != meeting.video_url
            or self.bridge_number != meeting.bridge_number
        )


def local(moment: datetime | None) -> datetime | None:
    """`moment` in Québec time (for display and forms)."""
    return moment.astimezone(QUEBEC) if moment is not None else None


def parse_starts_at(value: object, *, field: str = "starts_at") -> datetime:
    """An ISO 8601 date and time with its offset (« 2027-03-04T09:30:00-05:00 »), in UTC."""
    if not isinstance(value, str) or not value.strip():
        raise ScheduleError(field, _("La date et l'heure sont obligatoires."))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise ScheduleError(
            field, _("Date et heure invalides (ISO 8601 attendu, p. ex. 2027-03-04T09:30-05:00).")
        ) from error
    if moment.tzinfo is None:
        raise ScheduleError(
            field, _("Précisez le fuseau horaire de la date (p. ex. 2027-03-04T09:30-05:00).")
        )
    return moment.astimezone(UTC)


def from_local(day: date, hour: str, *, field: str = "starts_at") -> datetime:
    """A date and an « HH:MM » time in Québec time, in UTC."""
    try:
        hours, minutes = (int(part) for part in hour.split(":"))
        moment = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=QUEBEC)
    except ValueError as error:
        raise ScheduleError(field, _("Heure invalide (HH:MM).")) from error
    return moment.astimezone(UTC)


def _future(moment: datetime, field: str) -> datetime:
    if moment <= utcnow():
        raise ScheduleError(field, _("La rencontre doit avoir lieu dans le futur."))
    return moment


def _duration(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleError("duration_minutes", _("Une durée en minutes (nombre entier)."))
    if not MIN_DURATION <= value <= MAX_DURATION:
        raise ScheduleError(
            "duration_minutes",
            _("La durée va de %(low)s à %(high)s minutes.", low=MIN_DURATION, high=MAX_DURATION),
        )
    return value


def _text(values: Mapping[str, Any], key: str, limit: int) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScheduleError(key, _("Valeur invalide."))
    value = " ".join(value.split())
    if len(value) > limit:
        raise ScheduleError(key, _("Au plus %(num)s caractères.", num=limit))
    return value or None


def names_confidential_site(place: str) -> bool:
    """Whether `place` contains a confidential site's street address or full postal code."""
    folded = f" {fold(place)} "
    squeezed = folded.replace(" ", "")
    for address, postal_code in queries.confidential_addresses():
        if address and fold(address) and f" {fold(address)} " in folded:
            return True
        if postal_code and fold(postal_code).replace(" ", "") in squeezed:
            return True
    return False


def _location(values: Mapping[str, Any]) -> str:
    place = _text(values, "location", MAX_LOCATION)
    if place is None:
        raise ScheduleError(
            "location", _("Le lieu est obligatoire pour une rencontre en personne.")
        )
    if names_confidential_site(place):
        raise ScheduleError(
            "location",
            _(
                "Ce lieu est l'adresse d'un site confidentiel (maison d'hébergement) : "
                "choisissez un autre lieu de rencontre."
            ),
        )
    return place


def _video_url(values: Mapping[str, Any]) -> str:
    url = _text(values, "video_url", MAX_URL)
    if url is None:
        raise ScheduleError("video_url", _("Le lien de visioconférence est obligatoire."))
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or " " in url:
        raise ScheduleError(
            "video_url", _("Le lien de visioconférence doit être une adresse https:// complète.")
        )
    return url


def _bridge_number(values: Mapping[str, Any]) -> str:
    number = _text(values, "bridge_number", 40)
    if number is None:
        raise ScheduleError("bridge_number", _("Le numéro de la conférence est obligatoire."))
    if not _PHONE.match(number):
        raise ScheduleError(
            "bridge_number",
            _("Numéro de conférence invalide (p. ex. 1 855 555-0100 poste 1234)."),
        )
    return number


def validate(values: Mapping[str, Any], *, starts_at: datetime) -> Schedule:
    """The schedule in `values` (duration_minutes, mode, location, video_url, bridge_number)
    starting at `starts_at` (UTC, in the future). Raises ScheduleError naming the field."""
    mode = values.get("mode")
    if mode not in SCHEDULE_MODES:
        raise ScheduleError(
            "mode", _("Mode inconnu (attendu : %(modes)s).", modes=", ".join(SCHEDULE_MODES))
        )
    return Schedule(
        starts_at=_future(starts_at, "starts_at"),
        duration_minutes=_duration(values.get("duration_minutes", DEFAULT_DURATION)),
        mode=mode,
        location=_location(values) if mode == "in_person" else None,
        video_url=_video_url(values) if mode == "video" else None,
        bridge_number=_bridge_number(values) if mode == "phone" else None,
    )


def consents_date(value: object) -> date | None:
    """The date the parents' consents were signed (ISO date, not in the future) or None."""
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise ScheduleError("consents_signed_on", _("Date invalide (AAAA-MM-JJ)."))
    if day > utcnow().astimezone(QUEBEC).date():
        raise ScheduleError("consents_signed_on", _("La date de signature ne peut être future."))
    return day
