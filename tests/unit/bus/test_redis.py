"""The Redis bus (bus/redis.py) on the machine's real Redis: order, never its own messages,
exclusive claims, a resync after the subscription was cut, one line when unreachable."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import redis.asyncio as aioredis
from redis_support import namespace, redis_url

from wwe_host.bus.redis import BusError, RedisBus
from wwe_host.core.ports import Message


async def started(name: str) -> tuple[RedisBus, list[Message], asyncio.Queue[Message]]:
    bus = RedisBus(redis_url(), namespace=name)
    got: list[Message] = []
    arrived: asyncio.Queue[Message] = asyncio.Queue()

    def deliver(message: Message) -> None:
        got.append(message)
        arrived.put_nowait(message)

    await bus.start(deliver)
    return bus, got, arrived


async def test_messages_arrive_in_order_at_the_others_only() -> None:
    name = namespace()
    a, a_got, a_arrived = await started(name)
    b, _, b_arrived = await started(name)
    try:
        for n in range(50):
            a.publish({"n": n, "records": [["s1", n, "{}"]]})
        received: list[Any] = []
        while len(received) < 50:
            received.append((await asyncio.wait_for(b_arrived.get(), 5))["n"])
        assert received == list(range(50))
        b.publish({"n": "from b"})
        await asyncio.wait_for(a_arrived.get(), 5)
        assert a_got == [{"n": "from b"}]  # a never hears itself, and "from" is removed
    finally:
        await a.close()
        await b.close()


async def test_a_claim_is_exclusive_until_it_expires() -> None:
    name = namespace()
    a, _, _ = await started(name)
    b, _, _ = await started(name)
    try:
        results = await asyncio.gather(*(bus.claim("toast:s1:1:5.0", 0.2) for bus in (a, b, a)))
        assert sorted(results) == [False, False, True]
        admin = aioredis.Redis.from_url(redis_url())
        try:  # the claim expires by itself (Redis's own clock: no waiting here)
            assert 0 < await admin.pttl(f"{name}:claim:toast:s1:1:5.0") <= 200
            await admin.delete(f"{name}:claim:toast:s1:1:5.0")  # as if it had expired
        finally:
            await admin.aclose()
        assert await b.claim("toast:s1:1:5.0", 0.2) is True
    finally:
        await a.close()
        await b.close()


async def test_a_cut_subscription_is_reported_then_resynced() -> None:
    name = namespace()
    bus, _, arrived = await started(name)
    admin = aioredis.Redis.from_url(redis_url())
    try:  # cut this bus's connections only (by their client name)
        for client in await admin.client_list():
            if client["name"].startswith(f"{name}:"):
                await admin.client_kill_filter(_id=client["id"])
        message = await asyncio.wait_for(arrived.get(), 10)
        assert message == {"resync": True}
        assert bus.problem() is None  # listening again
    finally:
        await admin.aclose()
        await bus.close()


async def test_an_unreachable_redis_is_one_line_without_the_password() -> None:
    bus = RedisBus("redis://:hunter2secret@127.0.0.1:1/0", namespace=namespace())
    with pytest.raises(BusError) as refused:
        await bus.start(lambda message: None)
    text = str(refused.value)
    assert text.startswith("Redis redis://:***@127.0.0.1:1/0 cannot be used (")
    assert "hunter2secret" not in text and "\n" not in text


async def test_rate_limits_are_counted_for_every_process() -> None:
    name = namespace()
    a, _, _ = await started(name)
    b, _, _ = await started(name)
    try:
        now = 1_800_000_000.0  # one clock minute for all the requests below
        decisions = [
            await bus.rate_limit("s1:voice.dial", 3, 30.0, now + n)
            for n, bus in enumerate((a, b, a, b, a))
        ]
        assert decisions == ["allow", "allow", "allow", "refuse", "ignore"]
        assert await b.rate_limit("s2:voice.dial", 3, 30.0, now) == "allow"  # per session
    finally:
        await a.close()
        await b.close()


async def test_login_throttle_scores_are_shared_and_decay() -> None:
    name = namespace()
    a, _, _ = await started(name)
    b, _, _ = await started(name)
    try:
        keys = ["user:ann", "address:10.0.0.1"]
        assert await a.throttle_begin(keys, 300.0) == [0.0, 0.0]
        assert await b.throttle_begin(keys, 300.0) == [1.0, 1.0]  # a's is in progress
        await a.throttle_finish(keys, False, 300.0, [11.0, 28.0])
        await b.throttle_finish(keys, None, 300.0, [11.0, 28.0])  # refused: not counted
        scores = await b.throttle_begin(keys, 300.0)
        assert scores is not None and [round(s, 3) for s in scores] == [1.0, 1.0]
        await b.throttle_finish(keys, True, 300.0, [11.0, 28.0])  # the user is cleared
        scores = await a.throttle_begin(keys, 300.0)
        assert scores is not None and round(scores[0], 3) == 0.0 and round(scores[1], 3) == 1.0
        await a.throttle_finish(keys, None, 300.0, [11.0, 28.0])
    finally:
        await a.close()
        await b.close()


async def test_desktop_places_are_shared_renewed_and_given_back() -> None:
    name = namespace()
    a, _, _ = await started(name)
    b, _, _ = await started(name)
    try:
        assert await a.desktop_place("s1", "d1", 2, 90.0) is True
        assert await b.desktop_place("s1", "d2", 2, 90.0) is True
        assert await a.desktop_place("s1", "d3", 2, 90.0) is False  # both places held
        assert await b.desktop_place("s1", "d1", 2, 90.0) is True  # a holder renews
        assert await b.desktop_place("s2", "d3", 2, 90.0) is True  # per session
        await a.desktop_left("s1", "d1")
        assert await a.desktop_place("s1", "d3", 2, 90.0) is True
        admin = aioredis.Redis.from_url(redis_url())
        try:  # d2's process died a lease ago: its place is free again
            key = f"{name}:desktops:s1"
            assert 0 < await admin.pttl(key) <= 90_000
            await admin.zadd(key, {"d2": 1})
        finally:
            await admin.aclose()
        assert await b.desktop_place("s1", "d4", 2, 90.0) is True
        assert await a.desktop_place("s1", "d5", 2, 90.0) is False
    finally:
        await a.close()
        await b.close()


async def test_a_lease_has_one_holder_renewed_and_given_up_by_it_only() -> None:
    name = namespace()
    a, _, _ = await started(name)
    b, _, _ = await started(name)
    try:
        assert await a.lead("tab-leader:s1", "t1", 5.0) == "t1"
        assert await b.lead("tab-leader:s1", "t2", 5.0) == "t1"  # held by another
        assert await a.lead("tab-leader:s1", "t1", 5.0) == "t1"  # its holder renews
        await b.step_down("tab-leader:s1", "t2")  # not the holder: nothing happens
        assert await b.lead("tab-leader:s1", "t2", 5.0) == "t1"
        await a.step_down("tab-leader:s1", "t1")
        assert await b.lead("tab-leader:s1", "t2", 5.0) == "t2"
        admin = aioredis.Redis.from_url(redis_url())
        try:  # the lease expires by itself (Redis's own clock)
            assert 0 < await admin.pttl(f"{name}:lead:tab-leader:s1") <= 5000
        finally:
            await admin.aclose()
    finally:
        await a.close()
        await b.close()
