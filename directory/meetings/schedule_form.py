"""The schedule form (date and time in Québec time, length, mode, place), on the proposal page
and the meeting page; `schedule.validate` does the checking, as for the API."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from directory.core.validators import strip_filter
from directory.meetings import labels, schedule
from directory.meetings.models import Meeting
from directory.meetings.schedule import Schedule


class ScheduleForm(FlaskForm):
    day = DateField(_l("Date"), validators=[Optional()])
    time = StringField(_l("Heure (heure du Québec, HH:MM)"), filters=[strip_filter])
    duration_minutes = IntegerField(
        _l("Durée (minutes)"), default=schedule.DEFAULT_DURATION, validators=[Optional()]
    )
    mode = RadioField(
        _l("Mode de la rencontre"),
        choices=[SelectChoice(code, label) for code, label in labels.SCHEDULE_MODES.items()],
        default="in_person",
    )
    location = StringField(_l("Lieu (en personne)"), filters=[strip_filter])
    video_url = StringField(_l("Lien de visioconférence (https://…)"), filters=[strip_filter])
    bridge_number = StringField(_l("Numéro de la conférence téléphonique"), filters=[strip_filter])
    consents_signed_on = DateField(
        _l("Date de signature des consentements (concertation)"), validators=[Optional()]
    )
    version = HiddenField()

    def fill(self, meeting: Meeting) -> ScheduleForm:
        """The meeting's current schedule in the fields (on GET)."""
        moment = schedule.local(meeting.starts_at)
        if moment is not None:
            self.day.data = moment.date()
            self.time.data = moment.strftime("%H:%M")
        self.duration_minutes.data = meeting.duration_minutes or schedule.DEFAULT_DURATION
        self.mode.data = meeting.schedule_mode or "in_person"
        self.location.data = meeting.location
        self.video_url.data = meeting.video_url
        self.bridge_number.data = meeting.bridge_number
        self.version.data = str(meeting.version)
        return self

    @property
    def given(self) -> bool:
        """Whether a date was entered (the proposal page may plan a meeting without one)."""
        return self.day.data is not None or bool(self.time.data)

    def schedule(self) -> Schedule | None:
        """The checked schedule, or None with the error on its field."""
        if not self.validate():
            return None
        if self.day.data is None:
            self.day.errors = [str(_l("La date est obligatoire."))]
            return None
        try:
            starts_at = schedule.from_local(self.day.data, self.time.data or "", field="time")
            values = {
                name: self[name].data for name in ("mode", "location", "video_url", "bridge_number")
            }
            values["duration_minutes"] = self.duration_minutes.data
            return schedule.validate(values, starts_at=starts_at)
        except schedule.ScheduleError as error:
            field = "day" if error.field == "starts_at" else error.field
            self[field].errors = [*self[field].errors, error.message]
            return None

    def follow_up_of(self, meeting: Meeting) -> Schedule | None:
        """A follow-up's schedule: the date and time entered, the rest as `meeting`'s."""
        if self.day.data is None or not self.time.data:
            self.day.errors = [str(_l("La date et l'heure sont obligatoires."))]
            return None
        values = {
            "mode": meeting.schedule_mode,
            "duration_minutes": meeting.duration_minutes or schedule.DEFAULT_DURATION,
            "location": meeting.location,
            "video_url": meeting.video_url,
            "bridge_number": meeting.bridge_number,
        }
        try:
            starts_at = schedule.from_local(self.day.data, self.time.data, field="time")
            return schedule.validate(values, starts_at=starts_at)
        except schedule.ScheduleError as error:
            self.day.errors = [error.message]
            return None

    def signed_on(self) -> date | None:
        if self.consents_signed_on.data and self.consents_signed_on.data > date.today():  # noqa: DTZ011 - a calendar date
            self.consents_signed_on.errors = [str(_l("La date de signature ne peut être future."))]
        return self.consents_signed_on.data

    def version_number(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None
