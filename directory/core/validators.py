"""WTForms validators and normalisers shared by every form (messages in French, translated)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, StringField
from wtforms.validators import ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
# The one declaration of a Canadian postal code's shape (Canada Post's alphabet): a forward
# sortation area (FSA, letter digit letter) then a local delivery unit (LDU, digit letter digit).
# D, F, I, O, Q, U never appear, W and Z never first. Upper case: callers upper-case the text or
# compile with re.IGNORECASE.
FSA_PATTERN = r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]"
LDU_PATTERN = r"\d[ABCEGHJ-NPRSTV-Z]\d"
# A full postal code as typed in a form or found in free text: A1A 1A1, A1A1A1 or A1A-1A1.
POSTAL_CODE_PATTERN = rf"({FSA_PATTERN})[ -]?({LDU_PATTERN})"
POSTAL_CODE = re.compile(f"^{POSTAL_CODE_PATTERN}$")


def _blank(field: Field) -> bool:
    return field.data is None or not str(field.data).strip()


class EmailAddress:
    """A plausible e-mail address (one @, a dotted domain, no spaces)."""

    def __call__(self, _form: Form, field: Field) -> None:
        if _blank(field):
            return
        field.data = str(field.data).strip()
        if len(field.data) > 254 or not EMAIL.match(field.data):  # noqa: PLR2004 - RFC 5321
            raise ValidationError(_l("Adresse courriel invalide (exemple : nom@organisme.org)."))


class PhoneNumber:
    """A valid North American number; stored in the national format, e.g. (418) 555-0123."""

    def __call__(self, _form: Form, field: Field) -> None:
        if _blank(field):
            return
        field.data = normalise_phone(str(field.data))


def normalise_phone(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "CA")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_l("Numéro de téléphone invalide.")) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_l("Numéro de téléphone invalide (exemple : 418 555-0123)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class WebAddress:
    """An http(s) URL with a host; `javascript:`, `data:` and the like are refused."""

    def __call__(self, _form: Form, field: Field) -> None:
        if _blank(field):
            return
        field.data = str(field.data).strip()
        parts = urlsplit(field.data)
        if parts.scheme not in {"http", "https"} or not parts.hostname or " " in field.data:
            raise ValidationError(_l("Adresse web invalide : elle doit commencer par https://."))


class PostalCode:
    """A Canadian postal code, normalised to `A1A 1A1`."""

    def __call__(self, _form: Form, field: Field) -> None:
        if _blank(field):
            return
        match = POSTAL_CODE.match(str(field.data).strip().upper())
        if match is None:
            raise ValidationError(_l("Code postal invalide (exemple : G8H 1A1)."))
        field.data = f"{match.group(1)} {match.group(2)}"


def honeypot() -> StringField:
    """A field hidden by CSS whose label asks people to leave it empty: bots fill it in."""
    return StringField(_l("Laissez ce champ vide (protection contre les robots)"))


def strip_filter(value: Any) -> Any:  # noqa: ANN401 - WTForms filters take any value
    """Trim text input; empty strings become None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
