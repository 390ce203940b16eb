"""Every interface string has an English translation, and placeholders survive translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from directory.config import REPOSITORY_ROOT

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHOD_MAP = [("directory/**.py", "python"), ("templates/**.html", "jinja2")]


def _catalog():
    path = REPOSITORY_ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as handle:
        return read_po(handle, locale="en")


def _extracted() -> set[str]:
    messages = extract_from_dir(
        str(REPOSITORY_ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    )
    found = set()
    for _filename, _lineno, message, _comments, _context in messages:
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_string_has_an_english_translation():
    catalog = _catalog()
    missing = [
        msgid for msgid in _extracted() if not (catalog.get(msgid) and catalog.get(msgid).string)
    ]
    assert missing == []


def test_translations_keep_their_placeholders():
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"%\(\w+\)s", ids[0]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) == expected, message.id
