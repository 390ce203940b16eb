"""Organisation names close to what was typed, without scoring every name of the index.

rapidfuzz's token_set_ratio scores 100 when one side's words are all in the other, and
otherwise compares the words they share and the words they do not. A name sharing no word
with the query scores the plain ratio of both sides' sorted distinct words, which cannot
reach the cut-off when their lengths differ too much. So only names sharing a word, or of a
comparable length, are scored: the same matches, in the same order, from far fewer names.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rapidfuzz import fuzz, process

# Added to the length difference the cut-off allows, for float rounding in rapidfuzz.
LENGTH_MARGIN = 0.05
NAME_MATCH_CUTOFF = 85
MIN_NAME_LENGTH = 4
NAMES_KEPT = 5
NAME_BOOST = 6.0  # a whole-name match weighs like this many times the name's idf


def close_names(folded: str, candidates: Sequence[str]) -> list[tuple[str, float]]:
    """The organisation names (folded names or acronyms) closest to the whole query, each
    with its boost; `candidates` holds at least every name that can reach the cut-off.

    Both backends score the same way; they only differ in how they find the candidates
    (Whoosh: `NameIndex`; PostgreSQL: a pg_trgm index).
    """
    if len(folded) < MIN_NAME_LENGTH:
        return []
    found = process.extract(
        folded,
        candidates,
        scorer=fuzz.token_set_ratio,
        score_cutoff=NAME_MATCH_CUTOFF,
        limit=NAMES_KEPT,
    )
    return [(name, NAME_BOOST * score / 100) for name, score, _ in found]


def _length(words: set[str]) -> int:
    """Length of the distinct words, sorted and joined by spaces, as token_set_ratio sees it."""
    return sum(len(word) for word in words) + max(len(words) - 1, 0)


class NameIndex:
    """Names by word and by length of their distinct words (built once per index state)."""

    _last: NameIndex | None = None

    @classmethod
    def of(cls, names: list[str]) -> NameIndex:
        """The index of `names`, reused while they stay the same (most updates keep them)."""
        last = cls._last
        if last is None or last.names != names:
            last = cls._last = cls(names)
        return last

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._by_word: dict[str, list[int]] = {}
        by_length = []
        for position, name in enumerate(names):
            words = set(name.split())
            for word in words:
                self._by_word.setdefault(word, []).append(position)
            by_length.append((_length(words), position))
        by_length.sort()
        self._lengths = [length for length, _ in by_length]
        self._positions = [position for _, position in by_length]

    def candidates(self, text: str, cutoff: float) -> list[str]:
        """Every name whose token_set_ratio with `text` may reach `cutoff`, in index order."""
        words = set(text.split())
        if not words:
            return []
        sharing = [self._by_word.get(word, ()) for word in words]
        if sum(map(len, sharing)) * 2 >= len(self.names):  # common words: filtering costs more
            return self.names
        picked = {position for positions in sharing for position in positions}
        # No shared word: |a - b| <= slack * (a + b) is needed, a and b the two lengths.
        slack = (100 - cutoff) / 100 + LENGTH_MARGIN
        length = _length(words)
        start = bisect_left(self._lengths, length * (1 - slack) / (1 + slack))
        end = bisect_right(self._lengths, length * (1 + slack) / (1 - slack))
        picked.update(self._positions[start:end])
        return [self.names[position] for position in sorted(picked)]
