"""Identical log lines, rate-limited: the first is written, the repeats are counted.

A desktop that stopped reading once wrote 21,880 identical warnings. ``RepeatFilter`` sits
on a handler: the first occurrence of a line (same logger, level and text) is written; the
repeats within ``interval`` seconds are suppressed and counted; when the window is over, one
summary says how many were suppressed — on the next occurrence, which then carries the
count, or from ``flush()`` (the server calls ``flush_all()`` periodically), which writes
``<line> (N more suppressed in the last 60 s)``.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

INTERVAL_SECONDS = 60.0
MAX_LINES = 1024  # distinct lines remembered; the oldest windows are summarised first
_SUMMARY = "_wwe_repeat_summary"

_FILTERS: weakref.WeakSet[RepeatFilter] = weakref.WeakSet()


@dataclass(slots=True)
class _Window:
    started: float
    where: tuple[str, int, str]  # pathname, lineno, funcName of the first line, for the summary
    suppressed: int = 0


class RepeatFilter(logging.Filter):
    def __init__(
        self,
        handler: logging.Handler,
        interval: float = INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.handler = handler
        self.interval = interval
        self.clock = clock
        self._windows: dict[tuple[str, int, str], _Window] = {}
        self._lock = threading.Lock()
        _FILTERS.add(self)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _SUMMARY, False):
            return True
        key = (record.name, record.levelno, record.getMessage())
        now = self.clock()
        with self._lock:
            window = self._windows.get(key)
            if window is not None and now - window.started < self.interval:
                window.suppressed += 1
                return False
            if window is not None and window.suppressed:
                record.msg = f"{key[2]} ({self._count(window)})"
                record.args = None
            self._windows.pop(key, None)
            self._windows[key] = _Window(now, (record.pathname, record.lineno, record.funcName))
            overflow = len(self._windows) > MAX_LINES
        if overflow:
            self._flush(force_oldest=True)
        return True

    def flush(self) -> None:
        """Write a summary for every window that is over and had repeats; forget them."""
        self._flush(force_oldest=False)

    def _flush(self, *, force_oldest: bool) -> None:
        now = self.clock()
        summaries: list[logging.LogRecord] = []
        with self._lock:
            for key, window in list(self._windows.items()):
                over = now - window.started >= self.interval
                if not over and not (force_oldest and len(self._windows) > MAX_LINES):
                    continue
                del self._windows[key]
                if window.suppressed:
                    summaries.append(self._summary(key, window))
        for summary in summaries:
            self.handler.handle(summary)

    def _count(self, window: _Window) -> str:
        return f"{window.suppressed} more suppressed in the last {self.interval:g} s"

    def _summary(self, key: tuple[str, int, str], window: _Window) -> logging.LogRecord:
        name, level, text = key
        pathname, lineno, func = window.where
        record = logging.LogRecord(
            name, level, pathname, lineno, f"{text} ({self._count(window)})", None, None, func
        )
        setattr(record, _SUMMARY, True)
        return record


def install(handlers: Iterable[logging.Handler]) -> None:
    """Rate-limit identical lines on each handler (``serve`` does it for the root's)."""
    for handler in handlers:
        if not any(isinstance(f, RepeatFilter) for f in handler.filters):
            handler.addFilter(RepeatFilter(handler))


def flush_all() -> None:
    """Write the summaries of windows that are over (called from the engine's housekeeping)."""
    for repeat_filter in list(_FILTERS):
        repeat_filter.flush()
