"""Fill English msgstr entries from a Python file defining `T = {french: english}`.

Usage: .venv/bin/python scripts/apply_translations.py FILE.py [FILE.py …]
Only empty entries are filled; existing translations are kept. A plural message is keyed by
its French singular and translated by a (singular, plural) pair.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent.parent / "translations/en/LC_MESSAGES/messages.po"


def _empty(string: str | tuple[str, ...]) -> bool:
    return not all(string) if isinstance(string, tuple) else not string


def main(paths: list[str]) -> None:
    table: dict[str, str] = {}
    for path in paths:
        table.update(runpy.run_path(path)["T"])
    with CATALOG.open("rb") as source:
        catalog = read_po(source)
    filled = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key and _empty(message.string) and key in table:
            message.string = table[key]
            filled += 1
    with CATALOG.open("wb") as target:
        write_po(target, catalog, width=100, omit_header=False, no_location=True, sort_output=True)
    missing = [m.id for m in catalog if m.id and _empty(m.string)]
    sys.stdout.write(f"filled {filled}; still missing {len(missing)}\n")
    for msgid in missing:
        sys.stdout.write(f"  {msgid!r}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
