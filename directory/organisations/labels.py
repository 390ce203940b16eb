"""Display labels for the directory's fixed vocabularies (translated lazily)."""

from __future__ import annotations

from babel import Locale
from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "community": _l("Organisme communautaire"),
    "institutional": _l("Établissement public"),
}
MODE_LABELS = {
    "in_person": _l("En personne"),
    "phone": _l("Téléphone"),
    "video": _l("Vidéo"),
    "chat": _l("Clavardage"),
}
PHONE_TYPE_LABELS = {
    "voice": _l("Téléphone"),
    "fax": _l("Télécopieur"),
    "text": _l("Texto"),
    "tty": _l("ATS"),
    "hotline": _l("Ligne d'écoute"),
}


def language_name(code: str, locale: str) -> str:
    """A language's name in the interface language: "fr" → "français" / "French"."""
    try:
        return Locale.parse(locale).languages.get(code, code)
    except (ValueError, TypeError):
        return code


def mode_label(code: str) -> str:
    return str(MODE_LABELS[code])


def template_filters() -> dict[str, object]:
    return {"language_name": language_name, "mode_label": mode_label}


def template_globals() -> dict[str, object]:
    return {
        "TYPE_LABELS": TYPE_LABELS,
        "MODE_LABELS": MODE_LABELS,
        "PHONE_TYPE_LABELS": PHONE_TYPE_LABELS,
        "language_name": language_name,
    }
