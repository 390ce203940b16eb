"""Fill English msgstr entries from a Python file defining `T = {french: english}`.

Usage: .venv/bin/python scripts/apply_translations.py FILE.py [FILE.py …]
Only empty entries are filled; existing translations are kept.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent.parent / "translations/en/LC_MESSAGES/messages.po"


def main(paths: list[str]) -> None:
    table: dict[str, str] = {}
    for path in paths:
        table.update(runpy.run_path(path)["T"])
    with CATALOG.open("rb") as source:
        catalog = read_po(source)
    filled = 0
    for message in catalog:
        # Plural messages have tuple ids and strings: (singular, plural) in both languages.
        empty = not any(message.string) if isinstance(message.string, tuple) else not message.string
        if message.id and empty and message.id in table:
            message.string = table[message.id]
            filled += 1
    with CATALOG.open("wb") as target:
        write_po(target, catalog, width=100, omit_header=False, no_location=True, sort_output=True)
    missing = [m.id for m in catalog if m.id and not all(m.string or [""])]
    sys.stdout.write(f"filled {filled}; still missing {len(missing)}\n")
    for msgid in missing:
        sys.stdout.write(f"  {msgid!r}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
