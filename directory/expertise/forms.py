"""Edit forms of an organisation's expertise offer and experts (their fields: the models')."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import NumberRange, Optional

from directory.core.validators import EmailAddress, PhoneNumber, strip_filter
from directory.expertise.models import Expert, ExpertiseOffer
from directory.organisations.forms import (
    VersionedForm,
    checkboxes,
    language_choices,
    long_text,
    region_choices,
    sector_choices,
    short_text,
)


class ExpertiseOfferForm(VersionedForm):
    fields = ExpertiseOffer.editable_fields

    sectors = checkboxes(_l("Secteurs d'expertise"))
    regions = checkboxes(_l("Régions où l'organisme se déplace"))
    joins_remotely = BooleanField(_l("Participe aussi à distance"))
    languages = checkboxes(_l("Langues"))
    invitations_per_90_days = IntegerField(
        _l("Invitations acceptées par 90 jours"),
        [Optional(), NumberRange(min=0, max=1000, message=_l("Entrez un nombre entre 0 et 1000."))],
    )
    notes = long_text(_l("Notes"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        self.sectors.choices = sector_choices()
        self.regions.choices = region_choices()
        self.languages.choices = language_choices()


class ExpertForm(VersionedForm):
    fields = Expert.editable_fields

    name = short_text(_l("Nom"), required=True, size=120)
    title = short_text(_l("Fonction"), size=120)
    email = StringField(_l("Courriel"), [Optional(), EmailAddress()], filters=[strip_filter])
    phone = StringField(_l("Téléphone"), [Optional(), PhoneNumber()], filters=[strip_filter])
    sectors = checkboxes(_l("Secteurs"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - FlaskForm's
        super().__init__(*args, **kwargs)
        self.sectors.choices = sector_choices()
