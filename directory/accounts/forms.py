"""Account forms: login, passwords, invitations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from directory.accounts.passwords import MIN_LENGTH
from directory.core.validators import EmailAddress, strip_filter

REQUIRED = _l("Ce champ est obligatoire.")


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse courriel"), [DataRequired(REQUIRED), EmailAddress()])
    password = PasswordField(_l("Mot de passe"), [DataRequired(REQUIRED)])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Adresse courriel"), [DataRequired(REQUIRED), EmailAddress()])


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            _l("Nouveau mot de passe"),
            [
                DataRequired(REQUIRED),
                Length(
                    min=MIN_LENGTH,
                    max=200,
                    message=_l("Au moins %(min)d caractères.", min=MIN_LENGTH),
                ),
            ],
        ),
        PasswordField(
            _l("Confirmez le mot de passe"),
            [
                DataRequired(REQUIRED),
                EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
            ],
        ),
    )


class SetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Mot de passe actuel"), [DataRequired(REQUIRED)])
    password, confirm = _new_password_fields()


class InviteForm(FlaskForm):
    email = EmailField(_l("Adresse courriel"), [DataRequired(REQUIRED), EmailAddress()])
    name = StringField(_l("Nom"), [Length(max=120)], filters=[strip_filter])
    role = SelectField(
        _l("Rôle"),
        choices=[
            SelectChoice("editor", _l("Éditeur d'organisme")),
            SelectChoice("facilitator", _l("Animatrice ou animateur")),
            SelectChoice("admin", _l("Administrateur (coordination régionale)")),
        ],
    )
    # Checkboxes, not a multiple select: no Ctrl-click, and usable on a phone.
    organisations = SelectMultipleField(
        _l("Organismes (éditeurs)"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def validate_organisations(self, field: SelectMultipleField) -> None:
        if self.role.data == "editor" and not field.data:
            raise ValidationError(_l("Un éditeur doit être rattaché à au moins un organisme."))
