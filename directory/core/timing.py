"""Answers that take the same time whatever they found."""

from __future__ import annotations

import threading
import time


def finish_no_sooner_than(
    started: float, seconds: float, *, waiting_for: threading.Thread | None = None
) -> None:
    """Wait until `seconds` after `started` (a `time.monotonic()` value), and meanwhile for
    `waiting_for` to end, but never past that moment: the answer leaves at the same time
    whether or not there was work, and slow work goes on after it."""
    deadline = started + seconds
    if waiting_for is not None:
        waiting_for.join(timeout=max(0.0, deadline - time.monotonic()))
    remaining = deadline - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
