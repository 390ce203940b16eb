"""The .po files are the only source of the translations (`make translations`).

Pure checks on the catalogues and the source, no application, no database: every interface
string extracted from the code and templates has an entry; every English entry is translated
(every plural form), not fuzzy, with the placeholders of its message id; the French catalogue
(French is the source language) keeps its msgstr empty and gives each plural message the French
rule once compiled: 0 and 1 take the singular.
"""

from __future__ import annotations

import gettext
import io
import re
import shlex
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from directory.config import REPOSITORY_ROOT

ROOT = Path(REPOSITORY_ROOT)

# %(name)s, %(num)d, %(km).1f … and {name}, {0}, {name:>4}; a literal %% is no placeholder.
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|\{\w*(?:[!:][^{}]*)?\}")


def _catalog(locale: str) -> Catalog:
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _key(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _makefile_keywords() -> dict:
    """The keywords `make translations` extracts with: babel's defaults and BABEL_KEYWORDS."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^BABEL_KEYWORDS :=(.*)$", makefile, re.MULTILINE)
    assert line, "BABEL_KEYWORDS is gone from the Makefile"
    words = shlex.split(line.group(1))
    extra = [words[index + 1] for index, word in enumerate(words) if word == "--keywords"]
    return {**DEFAULT_KEYWORDS, **parse_keywords(extra)}


@cache
def _extracted() -> dict[str, bool]:
    """Every message id in the source (babel.cfg), its singular → whether it is a plural."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, bool] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=_makefile_keywords()
    ):
        found[_key(message)] = found.get(_key(message), False) or isinstance(message, tuple)
    return found


def test_the_extraction_finds_the_interface():
    extracted = _extracted()
    assert len(extracted) > 900
    assert extracted["Non précisé"] is False  # a template string (jinja2)
    assert extracted["%(num)s fiche"] is True  # a plural in a template
    assert extracted["Ce texte est trop long (au plus %(max)d caractères)."] is False  # _l
    assert extracted["%(num)s champ au lieu de %(expected)s."] is True  # lazy_ngettext


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_every_string_of_the_source_is_in_the_catalogue(locale):
    catalog = _catalog(locale)
    missing = [msgid for msgid in _extracted() if catalog.get(msgid) is None]
    assert missing == [], f"run `make translations`, then translate: {missing}"
    not_plural = [
        msgid
        for msgid, plural in _extracted().items()
        if plural and not isinstance(catalog.get(msgid).id, tuple)
    ]
    assert not_plural == [], f"plural in the source, singular in the catalogue: {not_plural}"


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_no_fuzzy_and_no_obsolete_entry(locale):
    catalog = _catalog(locale)
    assert [message.id for message in _entries(catalog) if message.fuzzy] == []
    assert list(catalog.obsolete) == []


def test_every_english_entry_is_translated_in_every_form():
    catalog = _catalog("en")
    assert catalog.num_plurals == 2
    untranslated = []
    for message in _entries(catalog):
        strings = _strings(message)
        if not all(string.strip() for string in strings):
            untranslated.append(message.id)
        if isinstance(message.id, tuple):
            assert len(strings) == catalog.num_plurals, message.id
    assert untranslated == []


def test_english_keeps_the_placeholders():
    """Each form keeps the placeholders of its message id (msgstr[0] those of the singular,
    the other forms those of the plural); an English singular may spell the count out
    (« once »): %(num)s is the count ngettext supplies."""
    wrong = []
    for message in _entries(_catalog("en")):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for index, string in enumerate(_strings(message)):
            expected = set(PLACEHOLDER.findall(ids[min(index, len(ids) - 1)]))
            found = set(PLACEHOLDER.findall(string))
            if index == 0 and len(ids) > 1:
                expected.discard("%(num)s")
                found.discard("%(num)s")
            if found != expected or string.count("%%") != ids[min(index, 1)].count("%%"):
                wrong.append((message.id, string))
    assert wrong == []


def test_the_placeholder_pattern():
    assert PLACEHOLDER.findall("%(num)d km, %(km).1f, {name} et {0:>4} (%%)") == [
        "%(num)d",
        "%(km).1f",
        "{name}",
        "{0:>4}",
    ]


def test_french_keeps_every_msgstr_empty():
    """French is the source language: a French « translation » would silently replace it."""
    assert [m.id for m in _entries(_catalog("fr")) if any(_strings(m))] == []


def _compiled(locale: str) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(locale))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def test_compiled_plurals_follow_each_language():
    """French (compiled from its empty catalogue): 0 and 1 take the message id, 2 the plural
    id; English: 1 takes msgstr[0], 0 and 2 msgstr[1]."""
    french, english = _compiled("fr"), _compiled("en")
    plurals = [m for m in _entries(_catalog("en")) if isinstance(m.id, tuple)]
    assert len(plurals) >= 10
    for message in plurals:
        singular, plural = message.id
        assert [french.ngettext(singular, plural, n) for n in (0, 1, 2)] == [
            singular,
            singular,
            plural,
        ]
        one, other = message.string
        assert [english.ngettext(singular, plural, n) for n in (0, 1, 2)] == [other, one, other]
