"""One postal-code shape (Canada Post's alphabet), two uses: a form's full code and the search's
place to search near, which may be a forward sortation area alone."""

from __future__ import annotations

import pytest
from wtforms import Form, StringField
from wtforms.validators import ValidationError

from directory import geo
from directory.core.validators import PostalCode


class _Site(Form):
    postal_code = StringField()


def _validated(value: str) -> str:
    form = _Site(data={"postal_code": value})
    PostalCode()(form, form.postal_code)
    return form.postal_code.data


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("g8h 1a1", "G8H 1A1"),
        ("G8H1A1", "G8H 1A1"),
        ("G8H-1A1", "G8H 1A1"),
        (" h7n 2b4 ", "H7N 2B4"),
    ],
)
def test_a_form_takes_a_full_code_and_normalises_it(value, expected):
    assert _validated(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "G8H",  # a forward sortation area alone is not an address's postal code
        "D8H 1A1",  # D never appears
        "G8H 1O1",  # nor O
        "W8H 1A1",  # W never first
        "G8H  1A1",  # one separator at most
        "G8H 1A",
    ],
)
def test_a_form_refuses_what_is_not_a_full_postal_code(value):
    with pytest.raises(ValidationError):
        _validated(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("g8h1a1", "G8H 1A1"), ("  G8H   1A1 ", "G8H 1A1"), ("g8h", "G8H"), ("H1G", "H1G")],
)
def test_a_place_to_search_near_may_be_a_forward_sortation_area(value, expected):
    assert geo.normalise_postal_code(value) == expected


@pytest.mark.parametrize("value", ["D8H", "G8H 1O1", "W8H", "Z1A 1A1", "G8", "Alma"])
def test_a_place_to_search_near_follows_the_same_alphabet(value):
    assert geo.normalise_postal_code(value) is None
