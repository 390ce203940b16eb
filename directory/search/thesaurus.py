"""The domain thesaurus (`seed/thesaurus.yaml`): groups of equivalent terms and their sectors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from directory.search.analysis import words

SCOPES = ("in", "out")
AUDIENCES = ("victims", "authors")


@dataclass(frozen=True)
class Group:
    """Equivalent terms, each as a tuple of folded words, and the sector codes they mean.

    `scope` "out": a need the directory does not cover (answered with 211). `audience`: the
    words name the victims' or the authors' side. `population`: the population they name.
    """

    terms: tuple[tuple[str, ...], ...]
    sectors: tuple[str, ...]
    scope: str = "in"
    audience: str | None = None
    population: str | None = None

    @property
    def out_of_scope(self) -> bool:
        return self.scope == "out"

    @property
    def names_author(self) -> bool:
        return self.audience == "authors"

    @property
    def protected(self) -> bool:
        """Its words name who the search is for: never the result of a typo correction."""
        return self.audience is not None or self.population is not None


@dataclass(frozen=True)
class Match:
    """Query words `start:end` that spell a thesaurus term."""

    start: int
    end: int
    group: Group


def _check(entry: dict[str, Any]) -> None:
    scope, audience = entry.get("scope", "in"), entry.get("audience")
    if scope not in SCOPES or (audience is not None and audience not in AUDIENCES):
        raise ValueError(f"thesaurus group {entry['terms'][:1]}: bad scope or audience")


class Thesaurus:
    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups
        self._by_term: dict[tuple[str, ...], list[Group]] = {}
        for group in groups:
            for term in group.terms:
                self._by_term.setdefault(term, []).append(group)
        self.longest = max((len(term) for term in self._by_term), default=1)
        self.vocabulary = frozenset(word for term in self._by_term for word in term)
        # One-word terms naming a population or a side (victims, authors), and which.
        self._populations = {
            term[0]: group.population or group.audience or ""
            for group in groups
            if group.protected
            for term in group.terms
            if len(term) == 1
        }

    def population_of(self, word: str) -> str | None:
        """The population or side a one-word term names ("women", "authors"…), else None."""
        return self._populations.get(word)

    @classmethod
    def load(cls, path: Path) -> Thesaurus:
        with path.open(encoding="utf-8") as handle:
            entries = yaml.safe_load(handle) or []
        groups = []
        for entry in entries:
            terms = tuple(
                dict.fromkeys(t for t in (tuple(words(term)) for term in entry["terms"]) if t)
            )
            _check(entry)
            groups.append(
                Group(
                    terms=terms,
                    sectors=tuple(entry.get("sectors") or ()),
                    scope=entry.get("scope", "in"),
                    audience=entry.get("audience"),
                    population=entry.get("population"),
                )
            )
        return cls(groups)

    def matches(self, query_words: list[str]) -> list[Match]:
        """Longest thesaurus terms found in the query, left to right, without overlap."""
        found, position = [], 0
        while position < len(query_words):
            for size in range(min(self.longest, len(query_words) - position), 0, -1):
                term = tuple(query_words[position : position + size])
                groups = self._by_term.get(term)
                if groups:
                    found += [Match(position, position + size, group) for group in groups]
                    position += size
                    break
            else:
                position += 1
        return found
