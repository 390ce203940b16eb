"""Identifying data in free text: what an open answer or a meeting note must never hold.

Phones, e-mail addresses, dates of birth (any full date, or a year after « né·e », « DDN »,
"born"), health-insurance (RAMQ) and social-insurance numbers, postal codes, street addresses
(a civic number before a street type: « 123, rue … », "45 Main Street"). Names cannot be told
from other words and are not detected: forms say not to write them. The checks lean
towards refusing: the person can always rephrase, while a stored phone number or birth date
can identify a woman whose safety depends on not being found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form
from wtforms.validators import ValidationError

from directory.core.validators import POSTAL_CODE_PATTERN

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    "décembre|decembre|janv|févr|fevr|avr|juil|sept|oct|nov|déc|dec|"
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep"
)
_STREET_TYPES = (
    "rue|avenue|av|boulevard|boul|bd|chemin|ch|rang|route|rte|place|montée|montee|côte|cote|"
    "croissant|terrasse|impasse|allée|allee|promenade|ruelle|carré|carre"
)
_STREET_NAMES_EN = "Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Boulevard|Blvd|Crescent|Court"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d\d"
_SEP = r"[-/.]"
_FULL_DATE = (
    rf"(?:\b{_YEAR}{_SEP}{_MONTH}{_SEP}{_DAY}\b"
    rf"|\b{_DAY}{_SEP}{_MONTH}{_SEP}(?:{_YEAR}|\d\d)\b"
    rf"|\b{_MONTH}{_SEP}{_DAY}{_SEP}{_YEAR}\b"
    rf"|\b(?:1er|{_DAY})\s+(?:{_MONTHS})\.?,?\s+{_YEAR}\b"
    rf"|\b(?:{_MONTHS})\.?\s+{_DAY},?\s+{_YEAR}\b)"
)

# Checked in this order; a later kind never reports a span an earlier one already took.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)),
    (
        # RAMQ: three letters of the surname, one of the first name, then YY MM DD and two
        # digits; women's months are 51–62.
        "health_insurance",
        re.compile(
            r"\b[a-z]{4}[ -]?\d\d(?:0[1-9]|1[0-2]|5[1-9]|6[0-2])[ -]?\d\d\d\d\b", re.IGNORECASE
        ),
    ),
    (
        "date_of_birth",
        re.compile(
            rf"\b(?:née?s?|né\(e\)|born|ddn|d\.d\.n\.?|date de naissance|date of birth|dob)"
            rf"[\s:]*(?:(?:le|en|on|in)\s+)?(?:{_FULL_DATE}|(?:{_MONTHS})\.?\s+{_YEAR}|{_YEAR})\b"
            rf"|{_FULL_DATE}",
            re.IGNORECASE,
        ),
    ),
    (
        "phone",
        re.compile(
            r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?!\d)"
            r"|(?<![\w.-])\d{3}[ .-]\d{4}(?![\d-])"
        ),
    ),
    ("social_insurance", re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{3}(?!\d)")),
    ("postal_code", re.compile(rf"\b{POSTAL_CODE_PATTERN}\b", re.IGNORECASE)),
    (
        "street_address",
        re.compile(
            rf"(?i:\b\d{{1,5}}[a-z]?(?:-\d{{1,5}})?,?\s+(?:{_STREET_TYPES})\.?\s+[\w'’-]+)"
            rf"|\b\d{{1,5}}\s+(?:[A-Z][\w'’-]+\s+){{1,3}}(?:{_STREET_NAMES_EN})\b",
        ),
    ),
)

KIND_LABELS = {
    "email": _l("une adresse courriel"),
    "health_insurance": _l("un numéro d'assurance maladie (RAMQ)"),
    "date_of_birth": _l("une date de naissance ou une date complète"),
    "phone": _l("un numéro de téléphone"),
    "social_insurance": _l("un numéro d'assurance sociale"),
    "postal_code": _l("un code postal"),
    "street_address": _l("une adresse"),
}


@dataclass(frozen=True)
class Finding:
    """One piece of identifying data: its kind (a KIND_LABELS key) and the text found."""

    kind: str
    text: str
    start: int


def _luhn(digits: str) -> bool:
    """The check digit of a social insurance number (a random 9-digit run rarely passes)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value  # noqa: PLR2004 - Luhn's digit sum
    return total % 10 == 0


def _accepts(kind: str, text: str) -> bool:
    if kind == "social_insurance":
        return _luhn(re.sub(r"\D", "", text))
    return True


def find_identifying(text: str | None) -> list[Finding]:
    """Every identifying fragment of `text`, in reading order (an empty list when clean)."""
    if not text:
        return []
    taken: list[range] = []
    found: list[Finding] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = range(match.start(), match.end())
            if any(span.start < other.stop and other.start < span.stop for other in taken):
                continue
            if _accepts(kind, match.group()):
                taken.append(span)
                found.append(Finding(kind, match.group().strip(), match.start()))
    return sorted(found, key=lambda finding: finding.start)


def explain(findings: list[Finding]) -> str:
    """Why the text is refused, in the interface language, quoting what was found."""
    parts = [f"{KIND_LABELS[item.kind]} (« {item.text} »)" for item in findings]
    return str(
        _l(
            "Ce texte semble contenir %(found)s. Retirez toute donnée qui permettrait "
            "d'identifier une personne (téléphone, courriel, date de naissance, numéro "
            "d'assurance maladie ou sociale, adresse, code postal) : les réponses restent "
            "anonymes.",
            found=", ".join(parts),
        )
    )


class NoIdentifyingData:
    """WTForms validator: refuse free text holding identifying data, saying what was found."""

    def __call__(self, _form: Form, field: Field) -> None:
        findings = find_identifying(field.data if isinstance(field.data, str) else None)
        if findings:
            raise ValidationError(explain(findings))
