"""Places named in a query (« refuge femmes Laval »): municipalities, regions, former names.

Pure data: the index is built from gazetteer rows by `directory.search.service`, once per
process, and handed to the planner. A place in the query stays a word to match (a listing
named after Roberval matches it); it also tells the planner where to look for the nearest
listings when none matches there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from directory.text import fold

Point = tuple[float, float]


@dataclass(frozen=True)
class NamedPlace:
    """A place a query can name: its label, region and centroid."""

    label: str
    region_code: str
    latitude: float
    longitude: float
    kind: str  # "municipality" or "region"

    @property
    def point(self) -> Point:
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class PlaceMatch:
    """Folded query tokens `start:end` that name `place`."""

    start: int
    end: int
    place: NamedPlace


def key(name: str) -> tuple[str, ...]:
    """Folded tokens of a name, stop words kept: "Montréal-Est" stays two words."""
    return tuple(fold(name).split())


class PlaceIndex:
    """Place names by their folded tokens; the first entry given for a key wins."""

    def __init__(self, entries: Iterable[tuple[str, NamedPlace]]) -> None:
        self._by_key: dict[tuple[str, ...], NamedPlace] = {}
        for name, place in entries:
            tokens = key(name)
            if tokens:
                self._by_key.setdefault(tokens, place)
        self.longest = max((len(tokens) for tokens in self._by_key), default=1)

    def __len__(self) -> int:
        return len(self._by_key)

    def find(self, tokens: list[str]) -> list[PlaceMatch]:
        """Longest place names in `tokens`, left to right, without overlap."""
        found: list[PlaceMatch] = []
        position = 0
        while position < len(tokens):
            for size in range(min(self.longest, len(tokens) - position), 0, -1):
                place = self._by_key.get(tuple(tokens[position : position + size]))
                if place is not None:
                    found.append(PlaceMatch(position, position + size, place))
                    position += size
                    break
            else:
                position += 1
        return found
