"""Forms editors fill to keep a listing true: organisation, services, sites, contacts, phones,
expertise offer and experts. Each edit form carries the record's `version` (hidden)."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from directory import geo
from directory.core.validators import (
    EmailAddress,
    PhoneNumber,
    PostalCode,
    WebAddress,
    strip_filter,
)
from directory.organisations import labels, queries
from directory.organisations.models import (
    ORGANISATION_TYPES,
    PHONE_TYPES,
    SERVICE_MODES,
    SERVICE_STATUSES,
    Contact,
    Location,
    Organisation,
    Phone,
    Service,
)

REQUIRED = _l("Ce champ est obligatoire.")
TOO_LONG = _l("Ce texte est trop long (au plus %(max)d caractères).")
# The languages most asked for in Québec's domestic-violence services (ISO 639-1/3 codes).
LANGUAGE_CODES = ("fr", "en", "es", "ar", "zh", "pt", "ht", "fa", "ru", "vi", "iu", "cr")
STATUS_LABELS = {"active": _l("Actif"), "inactive": _l("Suspendu")}


def _text(value: Any) -> Any:  # noqa: ANN401 - WTForms filters take any value
    """Trim long text; blank stays an empty string (the columns are NOT NULL)."""
    return value.strip() if isinstance(value, str) else (value or "")


def short_text(label: str, *, required: bool = False, size: int = 255) -> StringField:
    first = [DataRequired(REQUIRED)] if required else [Optional()]
    return StringField(label, [*first, Length(max=size, message=TOO_LONG)], filters=[strip_filter])


def long_text(label: str) -> TextAreaField:
    return TextAreaField(label, [Length(max=5000, message=TOO_LONG)], filters=[_text])


def checkboxes(label: str) -> SelectMultipleField:
    return SelectMultipleField(
        label, choices=[], widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )


class VersionedForm(FlaskForm):
    """An edit form: `version` is the record's version when the form was loaded."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    #: Field names handed to the operations: the record type's `editable_fields`.
    fields: tuple[str, ...] = ()

    def values(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.fields}

    def editable_fields(self) -> list[Field]:
        return [self[name] for name in self.fields]


def _locale() -> str:
    return str(get_locale() or "fr")


def sector_choices() -> list[SelectChoice]:
    lang = _locale()
    return [SelectChoice(item.code, item.label(lang)) for item in queries.sectors()]


def region_choices() -> list[SelectChoice]:
    lang = _locale()
    return [
        SelectChoice(item.code, f"{item.code} – {item.label(lang)}") for item in queries.regions()
    ]


def language_choices() -> list[SelectChoice]:
    lang = _locale()
    return [SelectChoice(code, labels.language_name(code, lang)) for code in LANGUAGE_CODES]


class OrganisationForm(VersionedForm):
    fields = Organisation.editable_fields

    name = short_text(_l("Nom"), required=True)
    alternate_name = short_text(_l("Sigle ou autre nom"), size=120)
    description = long_text(_l("Description"))
    type = SelectField(_l("Type"), choices=[], validators=[InputRequired(REQUIRED)])
    email = StringField(_l("Courriel"), [Optional(), EmailAddress()], filters=[strip_filter])
    website = StringField(_l("Site web"), [Optional(), WebAddress()], filters=[strip_filter])

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        self.type.choices = [
            SelectChoice(code, labels.TYPE_LABELS[code]) for code in ORGANISATION_TYPES
        ]


class ServiceForm(VersionedForm):
    fields = Service.editable_fields

    name = short_text(_l("Nom du service"), required=True)
    alternate_name = short_text(_l("Autre nom"))
    description = long_text(_l("Description"))
    eligibility = long_text(_l("Admissibilité"))
    how_to_refer = long_text(_l("Comment orienter une personne"))
    hours = long_text(_l("Heures d'ouverture"))
    fees = long_text(_l("Frais"))
    email = StringField(_l("Courriel"), [Optional(), EmailAddress()], filters=[strip_filter])
    url = StringField(_l("Adresse web"), [Optional(), WebAddress()], filters=[strip_filter])
    status = SelectField(_l("État"), choices=[], validators=[InputRequired(REQUIRED)])
    sectors = checkboxes(_l("Secteurs"))
    populations = checkboxes(_l("Populations servies"))
    areas = checkboxes(_l("Régions desservies"))
    languages = checkboxes(_l("Langues"))
    modes = checkboxes(_l("Modes de prestation"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        lang = _locale()
        self.status.choices = [SelectChoice(code, STATUS_LABELS[code]) for code in SERVICE_STATUSES]
        self.sectors.choices = sector_choices()
        self.populations.choices = [
            SelectChoice(item.code, item.label(lang)) for item in queries.populations()
        ]
        self.areas.choices = region_choices()
        self.languages.choices = language_choices()
        self.modes.choices = [
            SelectChoice(code, labels.MODE_LABELS[code]) for code in SERVICE_MODES
        ]


class LocationForm(VersionedForm):
    fields = Location.editable_fields

    name = short_text(_l("Nom du lieu"))
    region_code = SelectField(_l("Région"), choices=[], validators=[InputRequired(REQUIRED)])
    municipality = short_text(_l("Municipalité"))
    address = short_text(_l("Adresse"))
    postal_code = StringField(_l("Code postal"), [Optional(), PostalCode()], filters=[strip_filter])
    confidential = BooleanField(_l("Adresse confidentielle (maison d'hébergement)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        self.region_code.choices = region_choices()

    def validate_municipality(self, field: StringField) -> None:
        if field.data and not geo.find_municipalities(
            field.data, region_code=self.region_code.data
        ):
            raise ValidationError(_l("Aucune municipalité de ce nom dans la région choisie."))


class ContactForm(VersionedForm):
    fields = Contact.editable_fields

    name = short_text(_l("Nom"), size=120)
    title = short_text(_l("Fonction"), size=120)
    email = StringField(_l("Courriel"), [Optional(), EmailAddress()], filters=[strip_filter])
    phone = StringField(_l("Téléphone"), [Optional(), PhoneNumber()], filters=[strip_filter])

    def validate_name(self, field: StringField) -> None:
        if not (field.data or self.title.data):
            raise ValidationError(_l("Indiquez un nom ou une fonction."))


class PhoneForm(VersionedForm):
    fields = Phone.editable_fields

    number = StringField(
        _l("Numéro"), [DataRequired(REQUIRED), PhoneNumber()], filters=[strip_filter]
    )
    extension = short_text(_l("Poste"), size=10)
    type = SelectField(_l("Type"), choices=[], validators=[InputRequired(REQUIRED)])
    description = short_text(_l("Description (ex. : ligne d'écoute 24 h)"))
    hours = short_text(_l("Heures (ex. : 24 h sur 24, 7 jours sur 7)"), size=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        self.type.choices = [
            SelectChoice(code, labels.PHONE_TYPE_LABELS[code]) for code in PHONE_TYPES
        ]

    def validate_extension(self, field: StringField) -> None:
        if field.data and not field.data.isdigit():
            raise ValidationError(_l("Le poste ne contient que des chiffres."))
