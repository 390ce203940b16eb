"""The public account-request form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from directory.core.validators import EmailAddress, honeypot, strip_filter

REQUIRED = _l("Ce champ est obligatoire.")
NEW = "nouvel-organisme"  # the organisation select's value for "not listed yet"


class AccountRequestForm(FlaskForm):
    name = StringField(
        _l("Votre nom"), [DataRequired(REQUIRED), Length(max=120)], filters=[strip_filter]
    )
    email = EmailField(
        _l("Votre adresse courriel"),
        [DataRequired(REQUIRED), EmailAddress()],
        filters=[strip_filter],
    )
    organisation = SelectField(_l("Votre organisme"), [DataRequired(REQUIRED)], choices=[])
    new_name = StringField(_l("Nom du nouvel organisme"), [Length(max=200)], filters=[strip_filter])
    new_type = SelectField(
        _l("Type d'organisme"),
        choices=[
            SelectChoice("community", _l("Organisme communautaire")),
            SelectChoice("institutional", _l("Organisme institutionnel")),
        ],
    )
    new_region = SelectField(_l("Région"), choices=[])
    new_municipality = StringField(
        _l("Municipalité (facultatif)"), [Length(max=120)], filters=[strip_filter]
    )
    new_description = TextAreaField(
        _l("Description de l'organisme"), [Length(max=2000)], filters=[strip_filter]
    )
    message = TextAreaField(
        _l("Message à la coordination régionale (facultatif)"),
        [Length(max=2000)],
        filters=[strip_filter],
    )

    website = honeypot()

    @property
    def wants_new(self) -> bool:
        return self.organisation.data == NEW

    def validate_new_name(self, field: StringField) -> None:
        if self.wants_new and not field.data:
            raise ValidationError(REQUIRED)

    def validate_new_region(self, field: SelectField) -> None:
        if self.wants_new and not field.data:
            raise ValidationError(REQUIRED)
