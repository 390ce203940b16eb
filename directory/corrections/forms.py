"""The public form to suggest a correction to a listing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Length

from directory.core.validators import EmailAddress, honeypot, strip_filter

MESSAGE_MIN, MESSAGE_MAX = 10, 2000


class CorrectionForm(FlaskForm):
    message = TextAreaField(
        _l("Ce qui est à corriger"),
        [
            DataRequired(_l("Ce champ est obligatoire.")),
            Length(
                min=MESSAGE_MIN,
                max=MESSAGE_MAX,
                message=_l(
                    "Entre %(min)d et %(max)d caractères.", min=MESSAGE_MIN, max=MESSAGE_MAX
                ),
            ),
        ],
        filters=[strip_filter],
    )
    reply_email = EmailField(
        _l("Votre adresse courriel (facultatif)"),
        [EmailAddress()],
        filters=[strip_filter],
    )
    website = honeypot()
