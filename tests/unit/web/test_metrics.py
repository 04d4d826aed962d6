"""/metrics (web/metrics.py) through prometheus-client: names, types, labels, buckets, and
label values that stay bounded and are escaped."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from engine_support import CRM, NOTES, Agent
from prometheus_client.parser import text_string_to_metric_families
from rest_support import Env

from wwe_host.web.metrics import Metrics, request_label, topic_label

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _samples(text: str) -> Samples:
    """Every sample of an exposition, by name and label set (label order does not matter)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def at(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


async def test_metrics_after_frame_requests(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    call = await env.call()
    crm = await jdoe.frame("CRM", CRM, call["interactionId"])
    notes = await jdoe.frame("Notes", NOTES, call["interactionId"])
    await jdoe.subscribe(crm, "interaction")
    for _ in range(3):
        await jdoe.ok(crm, "agent.getState")
    await jdoe.fails(notes, "voice.dial", "5002")
    await jdoe.fails(crm, "no.suchThing")
    await jdoe.ok(crm, "sipEndpoint.isMicrophoneMute")
    await env.get("/agents", headers={})  # a 401 is counted too
    await env.post(f"/sim/calls/{call['callUuid']}/hangup")

    response = await env.http.get("/metrics")  # no credentials needed
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = response.text
    assert "# TYPE wwe_host_requests_total counter" in text
    assert "# TYPE wwe_host_request_duration_seconds histogram" in text
    assert "_created" not in text  # no series beyond the documented ones
    samples = _samples(text)
    requests = "wwe_host_requests_total"
    assert at(samples, requests, request="agent.getState", outcome="allowed") == 3
    assert at(samples, requests, request="voice.dial", outcome="refused:filter") == 1
    assert at(samples, requests, request="unknown", outcome="failed") == 1
    assert at(samples, requests, request="voice.isMicrophoneMute", outcome="allowed") == 1
    assert at(samples, requests, request="subscribe", outcome="allowed") == 1
    buckets = sorted(
        (float(dict(labels)["le"]), value)
        for (name, labels), value in samples.items()
        if name == "wwe_host_request_duration_seconds_bucket"
        and dict(labels)["request"] == "agent.getState"
    )
    bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0]
    assert [b for b, _ in buckets] == [*bounds, float("inf")]
    counts = [v for _, v in buckets]
    assert counts == sorted(counts) and counts[-1] == 3
    duration = "wwe_host_request_duration_seconds"
    assert at(samples, f"{duration}_count", request="agent.getState") == 3
    assert at(samples, f"{duration}_sum", request="agent.getState") >= 0
    assert at(samples, "wwe_host_sessions") == 1
    assert at(samples, "wwe_host_frames") == 2
    assert at(samples, "wwe_host_events_total", topic="interaction") >= 4
    assert at(samples, "wwe_host_queued_interactions", queue="sales") == 0
    admin = "wwe_host_admin_requests_total"
    assert at(samples, admin, route="/api/v1/agents", method="GET", status="401") == 1
    assert at(samples, admin, route="/api/v1/sim/calls", method="POST", status="201") == 1


def test_metrics_label_values_are_bounded() -> None:
    assert request_label('evil"name\n' * 100) == "unknown"
    assert request_label(None) == "unknown"
    assert request_label("interaction.unlockMarkdone") == "interaction.unblockMarkdone"
    assert topic_label("messenger:any-channel-at-all") == "messenger"


def _engine(queues: list[str]) -> Any:
    """What the scrape reads of an engine: sessions, queued items, configured queues."""
    return SimpleNamespace(
        sessions=list, queued=list, config=SimpleNamespace(queues=dict.fromkeys(queues))
    )


def test_label_values_are_escaped_in_the_exposition() -> None:
    odd = 'a"b\\c\nd'  # a queue name from the configuration may hold anything
    metrics = Metrics(_engine([odd, "sales"]))
    text = metrics.render()
    assert 'wwe_host_queued_interactions{queue="a\\"b\\\\c\\nd"} 0.0' in text
    assert at(_samples(text), "wwe_host_queued_interactions", queue=odd) == 0


def test_each_app_has_a_registry_of_its_own() -> None:
    first, second = Metrics(_engine(["sales"])), Metrics(_engine(["mail"]))
    first.observe_request("agent.getState", "allowed", 0.3)
    first.admin_request("/api/v1/agents", "GET", 200)
    assert first.registry is not second.registry
    one, two = _samples(first.render()), _samples(second.render())
    requests = "wwe_host_requests_total"
    assert at(one, requests, request="agent.getState", outcome="allowed") == 1
    assert not any(name == requests for name, _ in two)
    assert at(two, "wwe_host_queued_interactions", queue="mail") == 0
    assert ("wwe_host_queued_interactions", frozenset({("queue", "mail")})) not in one


def test_the_histogram_counts_each_observation_in_its_bucket() -> None:
    metrics = Metrics(_engine([]))
    for milliseconds in (0.2, 0.5, 3.0, 2000.0, -1.0):  # a clock step back counts as 0
        metrics.observe_request("agent.getState", "allowed", milliseconds)
    samples = _samples(metrics.render())
    bucket = "wwe_host_request_duration_seconds_bucket"
    assert at(samples, bucket, request="agent.getState", le="0.0005") == 3  # 0.5 ms: le
    assert at(samples, bucket, request="agent.getState", le="0.005") == 4
    assert at(samples, bucket, request="agent.getState", le="1.0") == 4
    assert at(samples, bucket, request="agent.getState", le="+Inf") == 5
    total = at(samples, "wwe_host_request_duration_seconds_sum", request="agent.getState")
    assert abs(total - 2.0037) < 1e-9


def test_the_collectors_pauses_are_timed_by_generation() -> None:
    import gc

    from wwe_host.web.metrics import GC_PAUSES, watch_gc

    watch_gc()
    watch_gc()  # once per process, however many apps
    assert gc.callbacks.count(GC_PAUSES) == 1
    before = at(
        _samples(Metrics(_engine([])).render()), "wwe_host_gc_pause_seconds_count", generation="2"
    )
    gc.collect()
    samples = _samples(Metrics(_engine([])).render())
    assert at(samples, "wwe_host_gc_pause_seconds_count", generation="2") == before + 1
    assert at(samples, "wwe_host_gc_pause_longest_seconds") > 0
    assert at(samples, "wwe_host_gc_frozen_objects") == gc.get_freeze_count()
