from __future__ import annotations

import pytest

from directory.text import fold, slugify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Félicien", "saint felicien"),
        ("L'Autre Escale", "l autre escale"),
        ("  ÉCOLE   le Carignan ", "ecole le carignan"),
        ("Côté Cour, CLSC Jeanne-Mance", "cote cour clsc jeanne mance"),
        ("Île", "ile"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_slugify():
    assert slugify("Maison Flora Tristan") == "maison-flora-tristan"
    assert slugify("Bouclier d'Athéna") == "bouclier-d-athena"
