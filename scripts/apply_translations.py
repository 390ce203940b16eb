"""Fill English msgstr entries from a Python file defining `T = {french: english}`.

A plural message is keyed by its French singular, its English a (singular, plural) pair.

Usage: .venv/bin/python scripts/apply_translations.py FILE.py [FILE.py …]
Only empty entries are filled; existing translations are kept.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent.parent / "translations/en/LC_MESSAGES/messages.po"


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _empty(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


def main(paths: list[str]) -> None:
    table: dict[str, str | tuple[str, str]] = {}
    for path in paths:
        table.update(runpy.run_path(path)["T"])
    with CATALOG.open("rb") as source:
        catalog = read_po(source)
    filled = 0
    for message in catalog:
        if message.id and _empty(message) and _key(message) in table:
            message.string = table[_key(message)]
            filled += 1
    with CATALOG.open("wb") as target:
        write_po(target, catalog, width=100, omit_header=False, no_location=True, sort_output=True)
    missing = [m.id for m in catalog if m.id and _empty(m)]
    sys.stdout.write(f"filled {filled}; still missing {len(missing)}\n")
    for msgid in missing:
        sys.stdout.write(f"  {msgid!r}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
