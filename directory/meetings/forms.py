"""The case form: what a facilitator says about a case, in codes only (nothing identifying).

The HTML form and the JSON API share it (same field names), so both validate alike; the
proposal page carries the case back in hidden fields and every POST validates it again.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from directory.accounts.models import User
from directory.core.validators import strip_filter
from directory.matching.types import COOCCURRENCES, Followed, MeetingType, Mode
from directory.meetings import inputs, queries
from directory.meetings import labels as labels_
from directory.meetings.models import Meeting
from directory.organisations import labels
from directory.organisations import queries as organisation_queries
from directory.organisations.queries import public_organisations
from directory.reference.models import Municipality

MAX_EXPERTS = 8  # virtual groups of at most 6–8 participants (docs/domain.md#meeting-rules)
MEETING_LANGUAGES = ("fr", "en")
VC_SECTORS = ("VCF", "VCH")
REQUIRED = _l("Ce champ est obligatoire.")
UNKNOWN_CHOICE = _l("Valeur inconnue : %(value)s.")
FOLLOWED_LABELS = {
    "victim": _l("La victime (services aux femmes et aux enfants, VCF)"),
    "author": _l("L'auteur des comportements violents (VCH)"),
}
TYPE_LABELS = {
    "concertation": _l("Concertation (consentement obtenu)"),
    "consultation": _l("Consultation (anonyme)"),
}
# Tableau 1 of the report, in one sentence: shown where the type is chosen.
TYPE_EXPLANATION = _l(
    "Concertation : les parents ont signé le consentement et au moins deux intervenant·e·s "
    "sont au dossier ; consultation : anonyme, sans consentement demandé, avec l'organisme de "
    "l'intervenant·e référent·e au dossier."
)
CONCERTATION_ON_FILE = 2  # « Au moins deux intervenant·e·s sont au dossier » (Tableau 1)
CONSULTATION_ON_FILE = 1  # the referrer's organisation
MODE_LABELS = {
    "in_person": _l("En personne"),
    "remote": _l("À distance"),
    "hybrid": _l("Hybride"),
}


def _checkboxes(label: str) -> SelectMultipleField:
    return SelectMultipleField(
        label,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # checked in `_known` with our own message
    )


def _known(field: Field, allowed: set[str]) -> None:
    for value in field.data or []:
        if value not in allowed:
            raise ValidationError(UNKNOWN_CHOICE % {"value": value})


def _locale() -> str:
    return str(get_locale() or "fr")


class CaseForm(FlaskForm):
    region = SelectField(_l("Région"), choices=[], validate_choice=False)
    municipality = StringField(
        _l("Municipalité (facultatif)"), [Length(max=120)], filters=[strip_filter]
    )
    cooccurrences = _checkboxes(_l("Problématiques concomitantes"))
    followed = _checkboxes(_l("Personnes suivies"))
    other_needs = _checkboxes(_l("Autres besoins"))
    on_file_organization_ids = SelectMultipleField(
        _l("Organismes déjà au dossier"), choices=[], validate_choice=False
    )
    exclude_organization_ids = SelectMultipleField(
        _l("Organismes exclus"), choices=[], validate_choice=False
    )
    meeting_type = SelectField(
        _l("Type de rencontre"),
        choices=[],
        default="concertation",
        validate_choice=False,
        description=TYPE_EXPLANATION,
    )
    mode = SelectField(_l("Mode"), choices=[], default="in_person", validate_choice=False)
    language = SelectField(
        _l("Langue de la rencontre"), choices=[], default="fr", validate_choice=False
    )
    max_experts = StringField(
        _l("Nombre maximal d'experts invités (1 à 8)"),
        default="5",
        widget=NumberInput(min=1, max=MAX_EXPERTS),
    )
    previous_meeting_id = SelectField(
        _l("Rencontre précédente (suivi)"), choices=[], validate_choice=False
    )
    follow_up_changes_confirmed = BooleanField(
        _l("Ce suivi change volontairement de territoire ou de problématiques")
    )
    consents_attested = BooleanField(
        _l("J'atteste que les parents ont signé le consentement (concertation)")
    )
    imminent_risk = BooleanField(_l("Risque homicidaire imminent"))

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        self.user = user
        self.resolved_municipality: Municipality | None = None
        self.previous_meeting: Meeting | None = None
        self._fill_choices()

    def _fill_choices(self) -> None:
        lang = _locale()
        sectors = organisation_queries.sectors()
        regions = organisation_queries.regions()
        self.region.choices = [SelectChoice(r.code, f"{r.code} – {r.label(lang)}") for r in regions]
        by_code = {sector.code: sector for sector in sectors}
        self.cooccurrences.choices = [
            SelectChoice(code, f"{code} – {by_code[code].short(lang)}") for code in COOCCURRENCES
        ]
        self.followed.choices = [SelectChoice(k, v) for k, v in FOLLOWED_LABELS.items()]
        self.other_needs.choices = [
            SelectChoice(s.code, f"{s.code} – {s.short(lang)}")
            for s in sectors
            if s.code not in {*COOCCURRENCES, *VC_SECTORS}
        ]
        organisations = [SelectChoice(str(o.id), o.display_name) for o in public_organisations()]
        self.on_file_organization_ids.choices = organisations
        self.exclude_organization_ids.choices = organisations
        self.meeting_type.choices = [SelectChoice(k, v) for k, v in TYPE_LABELS.items()]
        self.mode.choices = [SelectChoice(k, v) for k, v in MODE_LABELS.items()]
        self.language.choices = [
            SelectChoice(code, labels.language_name(code, lang)) for code in MEETING_LANGUAGES
        ]
        self.previous_meeting_id.choices = [SelectChoice("", _l("— Aucune (première rencontre) —"))]
        self.previous_meeting_id.choices += [
            SelectChoice(str(m.id), _meeting_label(m)) for m in queries.own_meetings(self.user)
        ]

    def _previous(self) -> Meeting | None:
        """The follow-up's previous meeting, when it names one the user may see."""
        value = self.previous_meeting_id.data
        if not value or value not in {choice.value for choice in self.previous_meeting_id.choices}:
            return None
        if self.previous_meeting is None:
            self.previous_meeting = queries.visible_meeting(self.user, uuid.UUID(value))
        return self.previous_meeting

    def _changes_confirmed(self) -> bool:
        return bool(self.follow_up_changes_confirmed.data)

    def validate_region(self, field: Field) -> None:
        previous = self._previous()
        if not field.data and previous is not None:
            field.data = previous.region_code  # a follow-up keeps its first meeting's region
        if not field.data:
            raise ValidationError(REQUIRED)
        if field.data not in {choice.value for choice in self.region.choices}:
            raise ValidationError(_l("Région inconnue."))
        if previous and field.data != previous.region_code and not self._changes_confirmed():
            raise ValidationError(
                _l(
                    "Une rencontre de suivi garde la région de la rencontre précédente "
                    "(%(region)s). Pour la changer, confirmez que le changement est volontaire.",
                    region=previous.region_code,
                )
            )

    def validate_municipality(self, field: Field) -> None:
        if not field.data or self.region.data not in {c.value for c in self.region.choices}:
            return
        found, elsewhere = inputs.resolve_municipality(field.data, self.region.data)
        if found is None and elsewhere:
            raise ValidationError(_l("Cette municipalité n'est pas dans la région choisie."))
        if found is None:
            raise ValidationError(
                _l("Municipalité introuvable. Vérifiez l'orthographe ou laissez le champ vide.")
            )
        self.resolved_municipality = found

    def validate_cooccurrences(self, field: Field) -> None:
        previous = self._previous()
        if not field.data and previous is not None:
            field.data = list(previous.cooccurrences)  # kept from the previous meeting
        if not field.data:
            raise ValidationError(
                _l("Cochez au moins une problématique concomitante (PSM, PC ou MT).")
            )
        _known(field, set(COOCCURRENCES))
        _unique(field)
        if (
            previous is not None
            and set(field.data) != set(previous.cooccurrences)
            and not self._changes_confirmed()
        ):
            raise ValidationError(
                _l(
                    "Une rencontre de suivi garde les problématiques de la rencontre précédente "
                    "(%(codes)s). Pour les changer, confirmez que le changement est volontaire.",
                    codes=", ".join(previous.cooccurrences),
                )
            )

    def validate_followed(self, field: Field) -> None:
        previous = self._previous()
        if not field.data and previous is not None:
            field.data = list(previous.followed)
        if not field.data:
            raise ValidationError(_l("Cochez au moins une personne suivie."))
        _known(field, {member.value for member in Followed})
        _unique(field)

    def validate_other_needs(self, field: Field) -> None:
        _known(field, {choice.value for choice in self.other_needs.choices})
        _unique(field)

    def _meeting_type(self) -> str | None:
        """The type asked for, or the previous meeting's when a follow-up leaves it out."""
        previous = self._previous()
        if not self.meeting_type.data and previous is not None:
            self.meeting_type.data = previous.meeting_type
        return self.meeting_type.data

    def validate_on_file_organization_ids(self, field: Field) -> None:
        previous = self._previous()
        if not field.data and previous is not None:
            field.data = [str(entry.organisation_id) for entry in previous.on_file]
        _known(field, {choice.value for choice in field.choices})
        _unique(field)
        count = len(field.data or [])
        kind = self._meeting_type()
        if kind == MeetingType.CONCERTATION and count < CONCERTATION_ON_FILE:
            raise ValidationError(
                _l(
                    "Une concertation demande au moins deux organismes au dossier (intervenant·e·s "
                    "au dossier). Avec un seul, choisissez une consultation."
                )
            )
        if kind == MeetingType.CONSULTATION and count < CONSULTATION_ON_FILE:
            raise ValidationError(
                _l(
                    "Une consultation se tient avec l'organisme de l'intervenant·e référent·e au "
                    "dossier : indiquez-le."
                )
            )

    def validate_exclude_organization_ids(self, field: Field) -> None:
        _known(field, {choice.value for choice in field.choices})
        _unique(field)
        both = set(field.data or []) & set(self.on_file_organization_ids.data or [])
        if both:
            raise ValidationError(
                _l(
                    "Un organisme au dossier ne peut pas être exclu : retirez-le de l'une des "
                    "deux listes."
                )
            )

    def validate_meeting_type(self, field: Field) -> None:
        self._meeting_type()
        _one_of(field, {member.value for member in MeetingType})

    def validate_mode(self, field: Field) -> None:
        _one_of(field, {member.value for member in Mode})

    def validate_language(self, field: Field) -> None:
        _one_of(field, set(MEETING_LANGUAGES))

    def validate_max_experts(self, field: Field) -> None:
        value = str(field.data or "").strip()
        if not value.isdigit() or not 1 <= int(value) <= MAX_EXPERTS:
            raise ValidationError(_l("Un nombre entier de 1 à 8."))

    def validate_previous_meeting_id(self, field: Field) -> None:
        if not field.data:
            return
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Rencontre précédente inconnue."))
        self._previous()

    def validate_consents_attested(self, field: Field) -> None:
        kind = self._meeting_type()
        if kind == MeetingType.CONCERTATION and not field.data:
            raise ValidationError(
                _l(
                    "Une concertation demande le consentement signé des parents : cochez "
                    "l'attestation, ou choisissez une consultation (anonyme)."
                )
            )
        if kind == MeetingType.CONSULTATION and field.data:
            raise ValidationError(
                _l(
                    "Une consultation est anonyme : aucun consentement n'est demandé. Décochez "
                    "l'attestation, ou choisissez une concertation."
                )
            )

    def case_request(
        self, *, pinned: frozenset[str] = frozenset(), excluded: frozenset[str] = frozenset()
    ) -> inputs.CaseRequest:
        """The validated case; call after `validate()` succeeded."""
        return inputs.CaseRequest(
            region=self.region.data,
            municipality=self.resolved_municipality,
            cooccurrences=frozenset(self.cooccurrences.data),
            followed=frozenset(Followed(value) for value in self.followed.data),
            other_needs=frozenset(self.other_needs.data or []),
            on_file_ids=tuple(
                dict.fromkeys(uuid.UUID(v) for v in self.on_file_organization_ids.data)
            ),
            exclude_ids=frozenset(uuid.UUID(v) for v in self.exclude_organization_ids.data or []),
            meeting_type=MeetingType(self.meeting_type.data),
            mode=Mode(self.mode.data),
            language=self.language.data,
            max_experts=int(self.max_experts.data),
            previous_meeting=self._previous(),
            imminent_risk=bool(self.imminent_risk.data),
            consents_attested=bool(self.consents_attested.data),
            pinned=pinned,
            exclude_candidates=excluded,
        )


def _unique(field: Field) -> None:
    values = list(field.data or [])
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise ValidationError(_l("Valeur en double : %(value)s.", value=", ".join(repeated)))


def _one_of(field: Field, allowed: set[str]) -> None:
    if not field.data:
        raise ValidationError(REQUIRED)
    if field.data not in allowed:
        raise ValidationError(UNKNOWN_CHOICE % {"value": field.data})


def _meeting_label(meeting: Meeting) -> str:
    """A previous meeting as codes only: when, where, which co-occurrences."""
    codes = ", ".join(meeting.cooccurrences)
    return f"{meeting.created_at:%Y-%m-%d %H:%M} – {meeting.region_code} – {codes}"


REPLY_CHOICES = (
    SelectChoice("accept", _l("J'accepte l'invitation")),
    SelectChoice("decline", _l("Je décline")),
)


class ReplyForm(FlaskForm):
    """The invitee's answer through the reply link: accept or decline (with an optional reason
    code, never free text) and the confidentiality commitment, required to accept."""

    answer = RadioField(_l("Votre réponse"), choices=list(REPLY_CHOICES))
    reason = SelectField(
        _l("Raison (facultatif, si vous déclinez)"),
        choices=[
            SelectChoice("", _l("— Sans préciser —")),
            *(SelectChoice(code, label) for code, label in labels_.REPLY_REASONS.items()),
        ],
        default="",
    )
    confidentiality = BooleanField(
        _l(
            "Je m'engage à garder confidentiel ce qui sera dit pendant la rencontre et à ne "
            "rien en faire sortir qui permette d'identifier la famille."
        )
    )

    def validate_answer(self, field: Field) -> None:
        if field.data not in {"accept", "decline"}:
            raise ValidationError(_l("Choisissez d'accepter ou de décliner."))

    def validate_confidentiality(self, field: Field) -> None:
        if self.answer.data == "accept" and not field.data:
            raise ValidationError(
                _l("Pour accepter, prenez l'engagement de confidentialité (case à cocher).")
            )
