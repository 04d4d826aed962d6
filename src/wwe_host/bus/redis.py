"""The Redis bus (``bus = redis://…``): several server processes on one Redis.

Messages go over one pub/sub channel as JSON, each tagged with its process's id so a
process skips its own; a writer task publishes them in order without blocking the caller.
Claims are ``SET key NX PX``: the first process to ask gets the key for ``seconds``.

When the subscription is lost (Redis restarted, a network cut) the bus reconnects, and
delivers ``{"resync": true}`` once it listens again: what was published meanwhile is lost,
so the receiver reloads what it mirrors from the store (versions keep every write safe in
between: a stale copy is refused when written, never silently used to overwrite).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

import msgspec
import redis.asyncio as redis
from redis.exceptions import RedisError

from ..core.ports import Message
from ..security.secrets import mask_secrets
from .memory import QUARANTINE_FOREVER

log = logging.getLogger("wwe_host.bus")

RECONNECT_SECONDS = 0.5
OUTBOX_MAX = 100_000  # messages waiting for a slow Redis; beyond it the oldest go

# One request counted atomically (the same rule as security/ratelimit.py's RateLimiter):
# quarantined → 0 (ignore); over the limit → start the quarantine, 2 (refuse); else count
# it in this clock minute's key (kept two minutes) → 1 (allow).
_RATE_LIMIT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local count = tonumber(redis.call('GET', KEYS[2]) or '0')
if count >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], 1, 'PX', ARGV[2])
  return 2
end
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 120)
return 1
"""

# The login throttle's scores (security/logins.py): per key a hash of f (failures, decayed
# from a), a (when f was last set, epoch seconds) and p (attempts in progress), kept a day.
_THROTTLE_BEGIN = """
local out = {}
for i, key in ipairs(KEYS) do
  local f = tonumber(redis.call('HGET', key, 'f') or '0')
  local at = tonumber(redis.call('HGET', key, 'a') or ARGV[1])
  local p = tonumber(redis.call('HGET', key, 'p') or '0')
  local decayed = f * math.pow(0.5, math.max(0, ARGV[1] - at) / ARGV[2])
  out[i] = tostring(decayed + p)
  redis.call('HINCRBY', key, 'p', 1)
  redis.call('EXPIRE', key, 86400)
end
return out
"""
_THROTTLE_FINISH = """
for i, key in ipairs(KEYS) do
  local p = tonumber(redis.call('HGET', key, 'p') or '0')
  if p > 0 then redis.call('HINCRBY', key, 'p', -1) end
  if ARGV[3] == 'ok' then
    if i == 1 then redis.call('HSET', key, 'f', 0, 'a', ARGV[1]) end
  elseif ARGV[3] == 'failed' then
    local f = tonumber(redis.call('HGET', key, 'f') or '0')
    local at = tonumber(redis.call('HGET', key, 'a') or ARGV[1])
    local decayed = f * math.pow(0.5, math.max(0, ARGV[1] - at) / ARGV[2])
    local capped = math.min(decayed + 1, tonumber(ARGV[3 + i]))
    redis.call('HSET', key, 'f', tostring(capped), 'a', ARGV[1])
  end
  redis.call('EXPIRE', key, 86400)
end
return 1
"""

# A session's desktop places (max-desktop-connections across processes): a sorted set of
# desktop ids scored by when their lease ends (epoch ms). Expired leases go first; a desktop
# already holding a place renews it; a new one takes a place while fewer than the limit
# are held → 1, else 0.
_DESKTOP_PLACE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2])
then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0
"""

# A lease (the leading desktop tab of a session): taken when free or renewed by its holder
# for ARGV[2] ms; answers the holder. Given up only by its holder.
_LEAD = """
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return holder
"""
_STEP_DOWN = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
"""

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(dict[str, Any]).decode


class RedisBus:
    shared = True

    def __init__(self, url: str, *, namespace: str = "wwe-host") -> None:
        self.url = url
        self.namespace = namespace
        self.channel = f"{namespace}:changes"
        self.process_id = secrets.token_hex(8)
        self._client: redis.Redis | None = None
        self._deliver: Callable[[Message], None] | None = None
        self._outbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._problem: str | None = None
        self._since = 0.0
        self._listening = asyncio.Event()

    async def start(self, deliver: Callable[[Message], None]) -> None:
        """Connect, subscribe, and return once this process hears the channel (so nothing
        published after ``start`` is missed); a ``BusError`` says in one line why not.
        A bus may be started again after ``close`` (in another event loop, too)."""
        self._deliver = deliver
        self._outbox = asyncio.Queue()
        self._listening = asyncio.Event()
        self._client = redis.Redis.from_url(
            self.url, socket_connect_timeout=5, client_name=f"{self.namespace}:{self.process_id}"
        )
        try:
            await self._client.ping()
        except (RedisError, OSError) as problem:
            await self._client.aclose()
            self._client = None
            raise BusError(self._explain(problem)) from None
        self._tasks = [
            asyncio.ensure_future(self._listen()),
            asyncio.ensure_future(self._write()),
        ]
        await self._listening.wait()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        self._deliver = None

    def publish(self, message: Message) -> None:
        if self._outbox.qsize() >= OUTBOX_MAX:
            self._outbox.get_nowait()
            log.warning("the bus is not keeping up: a message to other processes was dropped")
        self._outbox.put_nowait(_encode({**message, "from": self.process_id}))

    async def claim(self, key: str, seconds: float) -> bool:
        assert self._client is not None, "the bus is not started"
        try:
            done = await self._client.set(
                f"{self.namespace}:claim:{key}",
                self.process_id,
                nx=True,
                px=max(1, int(seconds * 1000)),
            )
        except (RedisError, OSError) as problem:
            # Without Redis nobody can be sure to be alone: do it (versions keep it safe).
            log.warning("claim %s without the bus (%s)", key, self._explain(problem))
            return True
        return bool(done)

    async def rate_limit(self, key: str, limit: int, quarantine: float, now: float) -> str:
        assert self._client is not None, "the bus is not started"
        minute = int(now // 60)
        try:
            answer = await self._client.eval(
                _RATE_LIMIT,
                2,
                f"{self.namespace}:quarantine:{key}",
                f"{self.namespace}:count:{key}:{minute}",
                limit,
                int((quarantine or QUARANTINE_FOREVER) * 1000),
            )
        except (RedisError, OSError) as problem:
            # Without Redis, limits fall back to this process's own count (the pipeline's).
            log.warning("rate limit of %s without the bus (%s)", key, self._explain(problem))
            return "unknown"
        return {0: "ignore", 1: "allow", 2: "refuse"}[int(answer)]

    async def lead(self, key: str, candidate: str, seconds: float) -> str | None:
        assert self._client is not None, "the bus is not started"
        try:
            holder = await self._client.eval(
                _LEAD, 1, f"{self.namespace}:lead:{key}", candidate, max(1, int(seconds * 1000))
            )
        except (RedisError, OSError) as problem:
            log.warning("lease %s without the bus (%s)", key, self._explain(problem))
            return None
        return holder.decode() if isinstance(holder, bytes) else str(holder)

    async def step_down(self, key: str, holder: str) -> None:
        assert self._client is not None, "the bus is not started"
        try:
            await self._client.eval(_STEP_DOWN, 1, f"{self.namespace}:lead:{key}", holder)
        except (RedisError, OSError) as problem:
            log.warning("lease %s without the bus (%s)", key, self._explain(problem))

    async def desktop_place(
        self, session_id: str, desktop_id: str, limit: int, lease: float
    ) -> bool | None:
        assert self._client is not None, "the bus is not started"
        now_ms = int(time.time() * 1000)
        lease_ms = max(1, int(lease * 1000))
        try:
            taken = await self._client.eval(
                _DESKTOP_PLACE,
                1,
                f"{self.namespace}:desktops:{session_id}",
                now_ms,
                limit,
                desktop_id,
                now_ms + lease_ms,
                lease_ms,
            )
        except (RedisError, OSError) as problem:
            # Without Redis, this process's own count of its desktops decides.
            log.warning("desktop places without the bus (%s)", self._explain(problem))
            return None
        return bool(taken)

    async def desktop_left(self, session_id: str, desktop_id: str) -> None:
        assert self._client is not None, "the bus is not started"
        try:
            await self._client.zrem(f"{self.namespace}:desktops:{session_id}", desktop_id)
        except (RedisError, OSError) as problem:
            # The lease ends by itself.
            log.warning("desktop places without the bus (%s)", self._explain(problem))

    async def throttle_begin(self, keys: list[str], half_life: float) -> list[float] | None:
        assert self._client is not None, "the bus is not started"
        names = [f"{self.namespace}:throttle:{key}" for key in keys]
        try:
            scores = await self._client.eval(
                _THROTTLE_BEGIN, len(names), *names, time.time(), half_life
            )
        except (RedisError, OSError) as problem:
            # Without Redis, each process's own throttle decides (the guard's local one).
            log.warning("login throttle without the bus (%s)", self._explain(problem))
            return None
        return [float(score) for score in scores]

    async def throttle_finish(
        self, keys: list[str], succeeded: bool | None, half_life: float, caps: list[float]
    ) -> None:
        assert self._client is not None, "the bus is not started"
        names = [f"{self.namespace}:throttle:{key}" for key in keys]
        outcome = "none" if succeeded is None else ("ok" if succeeded else "failed")
        try:
            await self._client.eval(
                _THROTTLE_FINISH, len(names), *names, time.time(), half_life, outcome, *caps
            )
        except (RedisError, OSError) as problem:
            log.warning("login throttle without the bus (%s)", self._explain(problem))

    def problem(self) -> tuple[str, float] | None:
        return None if self._problem is None else (self._problem, self._since)

    def _failed(self, problem: BaseException) -> None:
        if self._problem is None:
            log.error("%s; reconnecting", self._explain(problem))
            self._since = time.time()
        self._problem = self._explain(problem)

    def _explain(self, problem: BaseException) -> str:
        text = str(problem).strip().splitlines()[0] if str(problem).strip() else type(problem)
        return f"Redis {mask_secrets(self.url)} cannot be used ({mask_secrets(str(text))})"

    async def _listen(self) -> None:
        first = True
        while True:
            assert self._client is not None
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                if self._problem is not None:
                    log.warning("the bus works again")
                self._problem = None
                self._listening.set()
                if not first and self._deliver is not None:
                    self._deliver({"resync": True})
                first = False
                while True:
                    item = await pubsub.get_message(timeout=None)
                    if item is None or item.get("type") != "message":
                        continue
                    self._received(item["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as problem:
                self._failed(problem)
                self._listening.set()  # start() returns; /healthz tells
                await asyncio.sleep(RECONNECT_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    def _received(self, data: bytes) -> None:
        try:
            message = _decode(data)
        except msgspec.DecodeError:
            log.warning("a message on %s is not JSON; ignored", self.channel)
            return
        if message.pop("from", None) == self.process_id or self._deliver is None:
            return
        try:
            self._deliver(message)
        except Exception:
            log.exception("a message from another process could not be applied")

    async def _write(self) -> None:
        while True:
            data = await self._outbox.get()
            while True:
                assert self._client is not None
                try:
                    await self._client.publish(self.channel, data)
                    break
                except (RedisError, OSError) as problem:
                    self._failed(problem)
                    await asyncio.sleep(RECONNECT_SECONDS)


class BusError(Exception):
    """The bus cannot be used at all (at start); the message is one line."""
