"""Small text helpers shared by models, queries and the seed loader."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, strip accents and collapse punctuation: « Saint-Félicien » → "saint felicien"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_only).strip()


def slugify(text: str) -> str:
    """A URL slug: « L'Autre Escale » → "l-autre-escale"."""
    return fold(text).replace(" ", "-")
