"""Analysis: accents folded before stemming, French stop words, the same at index and query time."""

from __future__ import annotations

import pytest

from directory.search.analysis import stems, words


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("hébergement", "hebergement"),
        ("Hébergements", "hebergement"),
        ("santé mentale", "SANTE MENTALE"),
        ("dépendances", "dependance"),
        ("jeunesse", "Jeunesse"),
        ("Québec", "quebec"),
    ],
)
def test_accents_and_inflections_meet(left, right):
    assert stems(left) == stems(right)


def test_stop_words_and_elisions_are_dropped():
    assert words("la maison d'hébergement pour les femmes") == ["maison", "hebergement", "femmes"]
    assert words("L'Autre Escale") == ["autre", "escale"]


def test_numbers_are_kept():
    assert words("Enfance Sud-Est 3") == ["enfance", "sud", "3"]
