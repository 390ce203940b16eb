"""Text analysis shared by indexing and querying: fold accents, drop stop words, stem French."""

from __future__ import annotations

from functools import cache, lru_cache

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from directory.text import fold

# Elided articles and pronouns ("d'hébergement", "l'Île") become one-letter tokens.
_ELISIONS = {"c", "d", "j", "l", "m", "n", "qu", "s", "t"}
# Function words Whoosh's French list lacks.
_EXTRA = {"les", "des", "du", "au", "aux", "un", "une", "et", "ou", "pour", "dans", "sur", "par"}


@cache
def stop_words() -> frozenset[str]:
    """French and English stop words, accent-folded like the text they are compared with."""
    words = set(stopwords_for_language("fr")) | set(stopwords_for_language("en"))
    return frozenset(fold(word) for word in words) | _ELISIONS | _EXTRA


def _base() -> Analyzer:
    # Accent folding comes before stemming, so "hébergement" and "hebergement" stem alike.
    return (
        RegexTokenizer(r"\w+")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=stop_words(), minsize=1)
    )


@cache
def french_analyzer() -> Analyzer:
    """Lowercase → accent folding → stop words → French stemming."""
    return _base() | StemFilter(lang="fr")


@cache
def word_analyzer() -> Analyzer:
    """The same without stemming: the vocabulary typos are corrected against."""
    return _base()


# One analyzer of each kind per process: building one per call also threw away the
# stemmer's cache, which was a quarter of a query's time (bench/search_bench.py).


def words(text: str) -> list[str]:
    """The folded, unstemmed words of `text` that are not stop words."""
    return [token.text for token in word_analyzer()(text)]


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """`words(text)`, each with where it is in `text` (start and end characters)."""
    return [
        (token.text, token.startchar, token.endchar) for token in word_analyzer()(text, chars=True)
    ]


def stems(text: str) -> list[str]:
    return [token.text for token in french_analyzer()(text)]


@lru_cache(maxsize=16_384)
def stem_set(text: str) -> frozenset[str]:
    """The stems of a short text shown in results (names, places): they repeat a lot."""
    return frozenset(stems(text))
