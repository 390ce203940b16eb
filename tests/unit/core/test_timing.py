"""Answers that take the same time whatever they found, on a clock the tests move."""

from __future__ import annotations

import threading
import time

import pytest

from directory.core import timing
from directory.core.timing import finish_no_sooner_than


class _Clock:
    """Stands for the `time` module in `directory.core.timing`: sleeping moves it on."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class _Work:
    """A sending thread that ends `lasts` seconds after it is waited for."""

    def __init__(self, clock: _Clock, lasts: float) -> None:
        self.clock, self.lasts = clock, lasts
        self.timeouts: list[float] = []

    def join(self, timeout: float) -> None:
        self.timeouts.append(timeout)
        self.clock.now += min(self.lasts, timeout)


@pytest.fixture
def clock(monkeypatch):
    fake = _Clock()
    monkeypatch.setattr(timing, "time", fake)
    return fake


def test_the_answer_waits_out_the_rest_of_the_fixed_time(clock):
    clock.now = 100.1
    finish_no_sooner_than(100.0, 0.4)
    assert clock.slept == [pytest.approx(0.3)]
    assert clock.now == pytest.approx(100.4)


def test_an_answer_already_past_the_fixed_time_does_not_wait(clock):
    clock.now = 101.0
    finish_no_sooner_than(100.0, 0.4)
    assert clock.slept == []


def test_quick_work_is_waited_for_then_the_rest_of_the_fixed_time(clock):
    work = _Work(clock, lasts=0.1)
    finish_no_sooner_than(100.0, 0.4, waiting_for=work)  # type: ignore[arg-type]
    assert work.timeouts == [pytest.approx(0.4)]
    assert clock.slept == [pytest.approx(0.3)]
    assert clock.now == pytest.approx(100.4)


def test_slow_work_is_waited_for_until_the_fixed_time_only(clock):
    work = _Work(clock, lasts=5.0)
    finish_no_sooner_than(100.0, 0.4, waiting_for=work)  # type: ignore[arg-type]
    assert work.timeouts == [pytest.approx(0.4)]
    assert clock.slept == []
    assert clock.now == pytest.approx(100.4)


def test_a_slow_mail_server_does_not_hold_the_answer():
    """The answer waits for the message up to the fixed time only, then leaves."""
    release = threading.Event()
    sending = threading.Thread(target=release.wait, daemon=True)
    sending.start()
    finish_no_sooner_than(time.monotonic(), 0.05, waiting_for=sending)
    assert sending.is_alive()  # still "sending" when the answer left
    release.set()
    sending.join()
