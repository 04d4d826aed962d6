"""``GET /metrics``: Prometheus text exposition (format 0.0.4), written by hand.

An observer on ``engine.observers`` counts every frame request (by request name and
outcome, with a latency histogram) and every published notice (by topic); gauges are read
from the engine when scraped. The admin API counts its own answers by route and status, so
refused credentials (401/403) show here too (security.md: every refusal is visible).

Label values come from closed sets: request names outside the catalog (a frame may send
anything) are counted as ``unknown``, and ``messenger:<channel>`` topics as ``messenger``,
so no caller can grow the number of series.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import catalog
from ..engine import Engine

log = logging.getLogger("wwe_host.web")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS: tuple[float, ...] = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
_SUBSCRIPTION_KINDS = frozenset({"subscribe", "unsubscribe"})


def request_label(name: object) -> str:
    """The request label: a canonical request name, ``subscribe``/``unsubscribe``, or
    ``unknown`` (an unknown or malformed name: the label set stays bounded)."""
    if not isinstance(name, str):
        return "unknown"
    if name in _SUBSCRIPTION_KINDS:
        return name
    return catalog.canonical(name) or "unknown"


def topic_label(topic: object) -> str:
    if not isinstance(topic, str):
        return "unknown"
    if topic.startswith(catalog.MESSENGER_TOPIC_PREFIX):
        return "messenger"
    return topic


def escape(value: str) -> str:
    """A label value as the text format wants it (backslash, double quote, line feed)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(pairs: Iterable[tuple[str, str]]) -> str:
    inner = ",".join(f'{name}="{escape(value)}"' for name, value in pairs)
    return f"{{{inner}}}" if inner else ""


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


class _Histogram:
    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)  # the last slot is +Inf
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds


class _Series:
    """One ``(request, outcome)`` counter and its request's histogram: what ``observe``
    touches for a frame request, looked up once per raw request name and outcome."""

    __slots__ = ("count", "histogram")

    def __init__(self, histogram: _Histogram) -> None:
        self.count = 0
        self.histogram = histogram


class Metrics:
    """The counters; ``observe`` is the engine observer, ``render`` the scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.series: dict[tuple[str, str], _Series] = {}  # by (request label, outcome)
        self.latency: dict[str, _Histogram] = {}  # by request label
        self.events: dict[str, int] = {}
        self.admin: dict[tuple[str, str, str], int] = {}
        self.doors: dict[tuple[str, str], int] = {}  # refusals by (door, reason)
        # (raw request name, outcome) -> series; only known names are kept (bounded).
        self._fast: dict[tuple[object, object], _Series] = {}
        self._failed = False

    # --- feeding -------------------------------------------------------------------------

    def observe_request(self, raw: str, outcome: str, duration_ms: float) -> None:
        """Engine request observer. It runs for every request, so the common case is two
        dict lookups; it must never raise into the engine."""
        try:
            series = self._fast.get((raw, outcome))
            if series is None:
                series = self._series(raw, outcome)
            series.count += 1
            series.histogram.observe(duration_ms / 1000.0 if duration_ms > 0 else 0.0)
        except Exception:
            self._report_failure()

    def observe_notice(self, topic: str, session_id: str, data: dict[str, Any]) -> None:
        try:
            label = topic_label(topic)
            self.events[label] = self.events.get(label, 0) + 1
        except Exception:
            self._report_failure()

    def _report_failure(self) -> None:
        if not self._failed:
            self._failed = True
            log.exception("metrics observer failed (reported once)")

    def _series(self, raw: object, outcome: object) -> _Series:
        request = request_label(raw)
        status = outcome if isinstance(outcome, str) else "unknown"
        key = (request, status)
        series = self.series.get(key)
        if series is None:
            histogram = self.latency.get(request)
            if histogram is None:
                histogram = self.latency[request] = _Histogram()
            series = self.series[key] = _Series(histogram)
        if request != "unknown" and isinstance(raw, str) and isinstance(outcome, str):
            self._fast[(raw, outcome)] = series
        return series

    def observe_door(self, door: str, reason: str) -> None:
        """Engine door observer: a refused login, logout, desktop WebSocket or cookie
        change (door and reason come from the closed sets of ``web.doors``)."""
        key = (door, reason)
        self.doors[key] = self.doors.get(key, 0) + 1

    def admin_request(self, route: str, method: str, status: int) -> None:
        key = (route, method, str(status))
        self.admin[key] = self.admin.get(key, 0) + 1

    # --- the scrape ----------------------------------------------------------------------

    def render(self) -> str:
        lines: list[str] = []

        def family(name: str, kind: str, text: str) -> None:
            lines.append(f"# HELP {name} {text}")
            lines.append(f"# TYPE {name} {kind}")

        family(
            "wwe_host_requests_total",
            "counter",
            "Service Client API requests from third-party frames, by request and outcome.",
        )
        for (request, outcome), series in sorted(self.series.items()):
            labels = _labels([("request", request), ("outcome", outcome)])
            lines.append(f"wwe_host_requests_total{labels} {series.count}")

        family(
            "wwe_host_request_duration_seconds",
            "histogram",
            "Time from a frame request's arrival to its reply, by request.",
        )
        for request, histogram in sorted(self.latency.items()):
            cumulative = 0
            for bound, count in zip((*BUCKETS, None), histogram.counts, strict=True):
                cumulative += count
                le = "+Inf" if bound is None else _number(bound)
                labels = _labels([("request", request), ("le", le)])
                lines.append(f"wwe_host_request_duration_seconds_bucket{labels} {cumulative}")
            labels = _labels([("request", request)])
            lines.append(f"wwe_host_request_duration_seconds_sum{labels} {histogram.total!r}")
            lines.append(f"wwe_host_request_duration_seconds_count{labels} {cumulative}")

        sessions = self.engine.sessions()
        family("wwe_host_sessions", "gauge", "Agent sessions open now.")
        lines.append(f"wwe_host_sessions {len(sessions)}")
        family("wwe_host_frames", "gauge", "Third-party frames registered in open sessions.")
        lines.append(f"wwe_host_frames {sum(len(s.frames) for s in sessions)}")

        queued: dict[str, int] = dict.fromkeys(self.engine.config.queues, 0)
        for item in self.engine.queued():
            queued[item.queue] = queued.get(item.queue, 0) + 1
        family(
            "wwe_host_queued_interactions",
            "gauge",
            "Simulated interactions waiting in a queue for a ready agent.",
        )
        for queue, count in sorted(queued.items()):
            lines.append(f"wwe_host_queued_interactions{_labels([('queue', queue)])} {count}")

        family("wwe_host_events_total", "counter", "Notices published to desktops, by topic.")
        for topic, count in sorted(self.events.items()):
            lines.append(f"wwe_host_events_total{_labels([('topic', topic)])} {count}")

        family(
            "wwe_host_admin_requests_total",
            "counter",
            "Admin and simulation API requests, by route, method and HTTP status.",
        )
        for (route, method, status), count in sorted(self.admin.items()):
            labels = _labels([("route", route), ("method", method), ("status", status)])
            lines.append(f"wwe_host_admin_requests_total{labels} {count}")

        family(
            "wwe_host_door_refusals_total",
            "counter",
            "Refused desktop doors (desktop WebSocket, login, logout, cookie-authenticated "
            "REST changes), by door and reason.",
        )
        for (door, reason), count in sorted(self.doors.items()):
            labels = _labels([("door", door), ("reason", reason)])
            lines.append(f"wwe_host_door_refusals_total{labels} {count}")
        return "\n".join(lines) + "\n"


def install(engine: Engine) -> Metrics:
    """Create the metrics of ``engine`` and start observing it."""
    metrics = Metrics(engine)
    engine.request_observers.append(metrics.observe_request)
    engine.notice_observers.append(metrics.observe_notice)
    engine.door_observers.append(metrics.observe_door)
    return metrics


def route(metrics: Metrics) -> Route:
    """``GET /metrics`` (no authentication: counts and names only, no data)."""

    async def scrape(request: Request) -> Response:
        return Response(
            metrics.render(),
            media_type=CONTENT_TYPE,
            headers={"cache-control": "no-store"},
        )

    return Route("/metrics", scrape, methods=["GET"])
