"""The pure matching library imports alone: no Flask, database, search engine or app module."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("flask", "flask_", "sqlalchemy", "whoosh", "rapidfuzz", "psycopg", "werkzeug")
PROBE = (
    "import json, sys; import directory.matching, directory.matching.engine; "
    "print(json.dumps(sorted(sys.modules)))"
)


def _modules_after_import() -> list[str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_matching_loads_no_framework_database_or_search_engine():
    loaded = _modules_after_import()
    heavy = [name for name in loaded if name.split(".")[0].startswith(HEAVY)]
    assert heavy == []


def test_matching_imports_nothing_else_of_the_application():
    loaded = _modules_after_import()
    others = [
        name
        for name in loaded
        if name.startswith("directory.") and not name.startswith("directory.matching")
    ]
    assert others == []
    assert "directory.matching.engine" in loaded  # the probe did import the library
