"""From what a caseworker types to a query plan any retrieval backend can run.

1. Fold and split the query; a word that is neither in the index vocabulary, nor in the
   thesaurus, nor a real French or English word (`lexicon`) is corrected, preferring French
   candidates and never into a word that changes who the search is for (`_correction`).
2. Thesaurus terms (longest first) become concepts with their synonyms and sectors; other
   words are concepts of their own. Out-of-scope terms stay literal (`Concept.kind`).
3. Places named in the query (municipalities, regions, former names) are found on the
   folded tokens; a concept spelling one is a place concept, which can be relaxed.
4. Whether the query names the author of the violence (services for authors first) or not
   (services for victims first).

No Whoosh and no Flask here: each backend turns concepts into its own queries (Whoosh:
`query.py`; PostgreSQL: `pg_query.py`), and `engine.py` runs the rest of a search.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from directory.search import lexicon
from directory.search.analysis import word_spans, words
from directory.search.places import NamedPlace, PlaceIndex
from directory.search.thesaurus import Group, Thesaurus
from directory.text import fold

MIN_CORRECTED_LENGTH = 4
WORD_MATCH_CUTOFF = 80
FRENCH_BONUS = 3  # points added to a French candidate's similarity: French wins near-ties
POPULATION_MARGIN = 10  # a rival of another population this close makes a correction unsafe
CANDIDATES_CONSIDERED = 8

NEED, PLACE, OUT_OF_SCOPE = "need", "place", "out_of_scope"


@dataclass(frozen=True)
class Concept:
    """Something every full match must have: the words typed, or one of their synonyms or
    sectors. `kind` is "need", "place" (a place named in the query) or "out_of_scope"
    (matched literally, never expanded: the directory does not cover it)."""

    typed: tuple[str, ...]
    terms: tuple[tuple[str, ...], ...] = ()
    sectors: tuple[str, ...] = ()
    kind: str = NEED
    shown: str = ""  # the words as the person typed them (accents, case), for messages

    @property
    def from_thesaurus(self) -> bool:
        return bool(self.terms)


@dataclass(frozen=True)
class QueryPlan:
    """A query, understood. `corrected` is the corrected text when a word was corrected."""

    words: tuple[str, ...]
    corrected: str | None
    concepts: tuple[Concept, ...]
    places: tuple[NamedPlace, ...]
    names_author: bool
    fuzzy_names: bool

    @property
    def needs(self) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if c.kind == NEED)

    @property
    def out_of_scope(self) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if c.kind == OUT_OF_SCOPE)

    @property
    def relaxable(self) -> bool:
        """Whether dropping the place and out-of-scope concepts leaves a need to look for."""
        return bool(self.needs) and len(self.needs) < len(self.concepts)


@dataclass(frozen=True)
class Vocabulary:
    """What the index holds: its words, and the words a typo may be corrected to."""

    words: AbstractSet[str]
    candidates: Sequence[str]


def _is_french(word: str, vocabulary: Vocabulary) -> bool:
    return word in vocabulary.words or lexicon.is_french(word)


def _correction(word: str, vocabulary: Vocabulary, thesaurus: Thesaurus) -> str:
    """The closest candidate, French first; `word` itself when none is close enough, or when
    candidates of different populations (femmes / hommes, victims / authors) are close."""
    found = process.extract(
        word,
        vocabulary.candidates,
        scorer=fuzz.ratio,
        score_cutoff=WORD_MATCH_CUTOFF,
        limit=CANDIDATES_CONSIDERED,
    )
    if not found:
        return word
    scored = sorted(
        ((score + (FRENCH_BONUS if _is_french(c, vocabulary) else 0), c) for c, score, _ in found),
        reverse=True,
    )
    best_score, best = scored[0]
    side = thesaurus.population_of(best)
    for score, candidate in scored[1:]:
        other = thesaurus.population_of(candidate)
        if score >= best_score - POPULATION_MARGIN and other != side and (side or other):
            return word  # ambiguous as to who the search is for: leave it as typed
    return best


def correctable(word: str, thesaurus: Thesaurus) -> bool:
    """Whether `word` is corrected when the index does not hold it: long enough, not a
    number, neither a thesaurus term nor a real word."""
    return not (
        len(word) < MIN_CORRECTED_LENGTH
        or word.isdigit()
        or word in thesaurus.vocabulary
        or lexicon.is_word(word)
    )


def correct(typed: list[str], vocabulary: Vocabulary, thesaurus: Thesaurus) -> list[str]:
    """Correct the words that are neither indexed, nor thesaurus terms, nor real words."""
    return [
        _correction(word, vocabulary, thesaurus)
        if word not in vocabulary.words and correctable(word, thesaurus)
        else word
        for word in typed
    ]


def _concept(groups: list[Group], typed: tuple[str, ...]) -> Concept:
    if any(group.out_of_scope for group in groups):
        return Concept(typed=typed, kind=OUT_OF_SCOPE)
    terms = tuple(dict.fromkeys(term for group in groups for term in group.terms))
    sectors = tuple(dict.fromkeys(code for group in groups for code in group.sectors))
    return Concept(typed=typed, terms=terms, sectors=sectors)


def _concepts(
    query_words: list[str], thesaurus: Thesaurus, shown: _Shown
) -> tuple[list[Concept], bool]:
    """Concepts in query order, and whether a thesaurus term names the author. `shown[i:j]`
    is the text typed for words i to j."""
    matches = thesaurus.matches(query_words)
    by_span: dict[tuple[int, int], list[Group]] = {}
    for match in matches:
        by_span.setdefault((match.start, match.end), []).append(match.group)
    concepts: dict[int, Concept] = {
        start: replace(_concept(groups, tuple(query_words[start:end])), shown=shown[start:end])
        for (start, end), groups in by_span.items()
    }
    covered = {i for start, end in by_span for i in range(start, end)}
    concepts.update(
        {
            i: Concept(typed=(w,), shown=shown[i : i + 1])
            for i, w in enumerate(query_words)
            if i not in covered
        }
    )
    names_author = any(group.names_author for groups in by_span.values() for group in groups)
    return [concepts[i] for i in sorted(concepts)], names_author


def _places(text: str, corrections: dict[str, str], places: PlaceIndex) -> list[NamedPlace]:
    tokens = [corrections.get(token, token) for token in fold(text).split()]
    return [found.place for found in places.find(tokens)]


def _with_places(concepts: list[Concept], named: list[NamedPlace]) -> list[Concept]:
    """Concepts spelling a place named in the query become place concepts."""
    place_words = {word for place in named for word in words(place.label)}
    return [
        replace(concept, kind=PLACE)
        if concept.kind == NEED and not concept.sectors and set(concept.typed) & place_words
        else concept
        for concept in concepts
    ]


class _Shown:
    """The typed text of query words i to j: `_Shown(text, spans)[i:j]`."""

    def __init__(self, text: str, spans: list[tuple[str, int, int]]) -> None:
        self.text, self.spans = text, spans

    def __getitem__(self, words: slice) -> str:
        chosen = self.spans[words]
        return self.text[chosen[0][1] : chosen[-1][2]] if chosen else ""


def plan(
    text: str, *, vocabulary: Vocabulary, thesaurus: Thesaurus, places: PlaceIndex
) -> QueryPlan | None:
    """The plan for `text`, or None when it holds no searchable word."""
    spans = word_spans(text)
    if not spans:
        return None
    typed = [word for word, _start, _end in spans]
    corrected = correct(typed, vocabulary, thesaurus)
    concepts, names_author = _concepts(corrected, thesaurus, _Shown(text, spans))
    changed = {t: c for t, c in zip(typed, corrected, strict=True) if t != c}
    named = _places(text, changed, places)
    concepts = _with_places(concepts, named) if named else concepts
    return QueryPlan(
        words=tuple(corrected),
        corrected=" ".join(corrected) if changed else None,
        concepts=tuple(concepts),
        places=tuple(dict.fromkeys(named)),
        names_author=names_author,
        # Whole-name fuzzy matching helps when a word is unknown even after correction.
        fuzzy_names=any(word not in vocabulary.words for word in corrected),
    )
