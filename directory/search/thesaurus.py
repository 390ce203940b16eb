"""The domain thesaurus (`seed/thesaurus.yaml`): groups of equivalent terms and their sectors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from directory.search.analysis import words


@dataclass(frozen=True)
class Group:
    """Equivalent terms, each as a tuple of folded words, and the sector codes they mean."""

    terms: tuple[tuple[str, ...], ...]
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """Query words `start:end` that spell a thesaurus term."""

    start: int
    end: int
    group: Group


class Thesaurus:
    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups
        self._by_term: dict[tuple[str, ...], list[Group]] = {}
        for group in groups:
            for term in group.terms:
                self._by_term.setdefault(term, []).append(group)
        self.longest = max((len(term) for term in self._by_term), default=1)
        self.vocabulary = frozenset(word for term in self._by_term for word in term)

    @classmethod
    def load(cls, path: Path) -> Thesaurus:
        with path.open(encoding="utf-8") as handle:
            entries = yaml.safe_load(handle) or []
        groups = []
        for entry in entries:
            terms = tuple(
                dict.fromkeys(t for t in (tuple(words(term)) for term in entry["terms"]) if t)
            )
            groups.append(Group(terms=terms, sectors=tuple(entry.get("sectors") or ())))
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
