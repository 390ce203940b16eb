"""French and English word lists for typo correction, from the `pyspellchecker` package.

A query word found here is a real word and is never "corrected", even when the directory
does not contain it: « mon chum me frappe » once became « chum rape » because "frappe" was
missing from the index. The lists ship inside the package (frequency lists built from
OpenSubtitles and Wiktionary), so nothing is fetched at run time. Loaded once per process,
on the first query that needs them (about 0.6 s, 30 MB).
"""

from __future__ import annotations

from functools import cache

from spellchecker import SpellChecker

from directory.text import fold


def _folded_words(language: str) -> frozenset[str]:
    checker = SpellChecker(language=language, distance=1)
    # Folded like the query words they are compared with; multi-word entries are skipped.
    return frozenset(
        folded for word in checker.word_frequency.words() if " " not in (folded := fold(word))
    )


@cache
def french() -> frozenset[str]:
    return _folded_words("fr")


@cache
def english() -> frozenset[str]:
    return _folded_words("en")


def is_word(word: str) -> bool:
    """A real French or English word (folded: accents and case ignored)."""
    return word in french() or word in english()


def is_french(word: str) -> bool:
    return word in french()
