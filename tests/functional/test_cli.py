"""The operator commands that `make run` calls, run as a newcomer would: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from directory.config import REPOSITORY_ROOT
from tests import seedfacts


def _flask(*args: str, instance: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIRECTORY_INSTANCE_PATH": str(instance)}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPOSITORY_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_upgrade_then_seed_twice_is_idempotent(tmp_path):
    upgrade = _flask("db", "upgrade", instance=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    first = _flask("db", "seed", instance=tmp_path)
    assert first.returncode == 0, first.stderr
    second = _flask("db", "seed", instance=tmp_path)
    assert second.returncode == 0, second.stderr
    listings = seedfacts.listings()
    assert f"Organisations: 0 created, {listings} already present." in second.stdout
    if "DATABASE_URL" not in os.environ:
        assert f"Organisations: {listings} created, 0 already present." in first.stdout
        assert (tmp_path / "directory.sqlite3").exists()
    assert f"{seedfacts.regions()} regions, {seedfacts.sectors()} sectors" in second.stdout
