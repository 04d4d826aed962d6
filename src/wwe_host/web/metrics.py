"""``GET /metrics``: Prometheus text exposition (format 0.0.4) through prometheus-client.

An observer on ``engine.observers`` counts every frame request (by request name and
outcome, with a latency histogram) and every published notice (by topic); gauges are read
from the engine when scraped. The admin API counts its own answers by route and status, so
refused credentials (401/403) show here too (security.md: every refusal is visible).

The counters on the request path are plain integers (two dict lookups per request):
prometheus-client's own ``Counter``/``Histogram`` cost about ten times as much per
observation (docs/architecture.md). ``Metrics`` is a prometheus-client collector over them,
registered in a registry of its own (not the process-wide default), so several apps in one
process never share or clash; prometheus-client writes the exposition.

Label values come from closed sets: request names outside the catalog (a frame may send
anything) are counted as ``unknown``, and ``messenger:<channel>`` topics as ``messenger``,
so no caller can grow the number of series.
"""

from __future__ import annotations

import bisect
import gc
import logging
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import catalog
from ..collector import frozen_objects
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


class _Histogram:
    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)  # the last slot is +Inf
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds


class GcPauses:
    """The garbage collector's pauses, by generation (a ``gc.callbacks`` entry, so
    process-wide): a full collection in a process holding thousands of sessions stops
    everything, events to desktops included, so operators see it here."""

    def __init__(self) -> None:
        self.by_generation = [_Histogram(), _Histogram(), _Histogram()]
        self.longest = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        pause = time.perf_counter() - self._started
        self.by_generation[min(int(info.get("generation", 2)), 2)].observe(pause)
        self.longest = max(self.longest, pause)


GC_PAUSES = GcPauses()


def watch_gc() -> None:
    """Start timing the collector's pauses (once per process)."""
    if GC_PAUSES not in gc.callbacks:
        gc.callbacks.append(GC_PAUSES)


def _buckets(histogram: _Histogram) -> list[tuple[str, float]]:
    """A histogram's cumulative buckets, bounds written as Go writes them (1.0)."""
    cumulative = 0
    buckets: list[tuple[str, float]] = []
    for bound, count in zip([*(repr(b) for b in BUCKETS), "+Inf"], histogram.counts, strict=True):
        cumulative += count
        buckets.append((bound, cumulative))
    return buckets


class _Series:
    """One ``(request, outcome)`` counter and its request's histogram: what ``observe``
    touches for a frame request, looked up once per raw request name and outcome."""

    __slots__ = ("count", "histogram")

    def __init__(self, histogram: _Histogram) -> None:
        self.count = 0
        self.histogram = histogram


class Metrics:
    """The counters of one app: ``observe_request``/``observe_notice`` are the engine's
    observers, ``admin_request`` counts REST answers; ``collect`` is the prometheus-client
    collector of ``registry``, and ``render`` the scrape."""

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
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)

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

    def collect(self) -> Iterator[Metric]:
        """The families, read when scraped (prometheus-client's collector protocol)."""
        requests = CounterMetricFamily(
            "wwe_host_requests_total",
            "Service Client API requests from third-party frames, by request and outcome.",
            labels=["request", "outcome"],
        )
        for (request, outcome), series in sorted(self.series.items()):
            requests.add_metric([request, outcome], series.count)
        yield requests

        latency = HistogramMetricFamily(
            "wwe_host_request_duration_seconds",
            "Time from a frame request's arrival to its reply, by request.",
            labels=["request"],
        )
        for request, histogram in sorted(self.latency.items()):
            latency.add_metric([request], _buckets(histogram), histogram.total)
        yield latency

        pauses = HistogramMetricFamily(
            "wwe_host_gc_pause_seconds",
            "Pauses of the Python garbage collector in this process, by generation.",
            labels=["generation"],
        )
        for generation, histogram in enumerate(GC_PAUSES.by_generation):
            pauses.add_metric([str(generation)], _buckets(histogram), histogram.total)
        yield pauses
        yield GaugeMetricFamily(
            "wwe_host_gc_pause_longest_seconds",
            "The longest pause of the garbage collector since the process started.",
            GC_PAUSES.longest,
        )
        yield GaugeMetricFamily(
            "wwe_host_gc_frozen_objects",
            "Objects frozen after a full collection, which the next ones skip "
            "([wwe-host] gc-full-scan).",
            frozen_objects(),
        )

        sessions = self.engine.sessions()
        yield GaugeMetricFamily("wwe_host_sessions", "Agent sessions open now.", len(sessions))
        yield GaugeMetricFamily(
            "wwe_host_frames",
            "Third-party frames registered in open sessions.",
            sum(len(s.frames) for s in sessions),
        )

        queued: dict[str, int] = dict.fromkeys(self.engine.config.queues, 0)
        for item in self.engine.queued():
            queued[item.queue] = queued.get(item.queue, 0) + 1
        waiting = GaugeMetricFamily(
            "wwe_host_queued_interactions",
            "Simulated interactions waiting in a queue for a ready agent.",
            labels=["queue"],
        )
        for queue, count in sorted(queued.items()):
            waiting.add_metric([queue], count)
        yield waiting

        events = CounterMetricFamily(
            "wwe_host_events_total", "Notices published to desktops, by topic.", labels=["topic"]
        )
        for topic, count in sorted(self.events.items()):
            events.add_metric([topic], count)
        yield events

        admin = CounterMetricFamily(
            "wwe_host_admin_requests_total",
            "Admin and simulation API requests, by route, method and HTTP status.",
            labels=["route", "method", "status"],
        )
        for (route, method, status), count in sorted(self.admin.items()):
            admin.add_metric([route, method, status], count)
        yield admin
        doors = CounterMetricFamily(
            "wwe_host_door_refusals_total",
            "Refused desktop doors (desktop WebSocket, login, logout, cookie-authenticated "
            "REST changes), by door and reason.",
            labels=["door", "reason"],
        )
        for (door, reason), count in sorted(self.doors.items()):
            doors.add_metric([door, reason], count)
        yield doors

    def render(self) -> str:
        """The exposition of this app's registry (text format 0.0.4)."""
        return generate_latest(self.registry).decode()


def install(engine: Engine) -> Metrics:
    """Create the metrics of ``engine`` and start observing it."""
    metrics = Metrics(engine)
    watch_gc()
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
