"""Identical log lines are rate-limited: the first is written, then a periodic count."""

from __future__ import annotations

import logging

import pytest

from wwe_host import log_repeats
from wwe_host.core.time import ManualClock
from wwe_host.log_repeats import RepeatFilter


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


@pytest.fixture
def setup() -> tuple[logging.Logger, Lines, RepeatFilter, ManualClock]:
    clock = ManualClock()
    handler = Lines()
    repeat = RepeatFilter(handler, interval=60.0, clock=clock)
    handler.addFilter(repeat)
    logger = logging.getLogger("wwe_host.test_log_repeats")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, handler, repeat, clock


def test_the_first_line_is_written_and_repeats_are_counted(setup) -> None:
    logger, handler, repeat, clock = setup
    for _ in range(21_880):
        logger.warning("desktop of session %s is not reading; closing it", "s1")
    assert handler.lines == [
        "WARNING wwe_host.test_log_repeats: desktop of session s1 is not reading; closing it"
    ]
    # Another text, level or logger is another line.
    logger.warning("desktop of session %s is not reading; closing it", "s2")
    logger.info("desktop of session %s is not reading; closing it", "s1")
    assert len(handler.lines) == 3
    # Within the window nothing more; once it is over, one summary with the count.
    clock.now += 59.9
    repeat.flush()
    assert len(handler.lines) == 3
    clock.now += 0.1
    repeat.flush()
    assert handler.lines[3:] == [
        "WARNING wwe_host.test_log_repeats: desktop of session s1 is not reading; closing it "
        "(21879 more suppressed in the last 60 s)"
    ]
    # The windows without repeats are forgotten silently; the line starts afresh.
    repeat.flush()
    logger.warning("desktop of session %s is not reading; closing it", "s1")
    assert len(handler.lines) == 5


def test_a_continuing_flood_gives_one_line_per_window(setup) -> None:
    logger, handler, _, clock = setup
    for second in range(180):
        clock.now = 1000.0 + second
        for _ in range(10):
            logger.warning("same line")
    assert handler.lines == [
        "WARNING wwe_host.test_log_repeats: same line",
        "WARNING wwe_host.test_log_repeats: same line (599 more suppressed in the last 60 s)",
        "WARNING wwe_host.test_log_repeats: same line (599 more suppressed in the last 60 s)",
    ]


def test_exceptions_are_rate_limited_by_their_message(setup) -> None:
    logger, handler, _, clock = setup
    for _ in range(5):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logger.exception("request %s failed", "agent.get")
    assert handler.lines == ["ERROR wwe_host.test_log_repeats: request agent.get failed"]
    clock.now += 60
    log_repeats.flush_all()
    assert handler.lines[-1].endswith(
        "request agent.get failed (4 more suppressed in the last 60 s)"
    )


def test_memory_is_bounded(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    logger, handler, repeat, _ = setup
    monkeypatch.setattr(log_repeats, "MAX_LINES", 10)
    logger.warning("line 0")
    logger.warning("line 0")
    for n in range(1, 20):
        logger.warning("line %d", n)
    assert len(repeat._windows) <= 10
    # The oldest window was summarised when it was dropped: its count is not lost.
    assert "WARNING wwe_host.test_log_repeats: line 0 (1 more suppressed in the last 60 s)" in (
        handler.lines
    )


def test_install_adds_one_filter_per_handler() -> None:
    handler = Lines()
    log_repeats.install([handler])
    log_repeats.install([handler])
    assert sum(isinstance(f, RepeatFilter) for f in handler.filters) == 1
