"""Login tokens through the engine, with an injected clock: idle and absolute expiry, the
session that outlives its tokens, pruning into the stored record, and a restart."""

from __future__ import annotations

from pathlib import Path

from engine_support import make_config, started_engine

from wwe_host.config import Config
from wwe_host.core.time import ManualClock
from wwe_host.domain.tokens import MAX_TOKENS
from wwe_host.engine import Engine

MINUTE = 60.0


def config(idle: str = "10", lifetime: str = "60") -> Config:
    return make_config(server=f"session-idle-timeout = {idle}\nsession-max-lifetime = {lifetime}")


def stored_record(engine: Engine) -> bytes:
    (data,) = engine.store.db.execute("SELECT data FROM sessions").fetchone()  # type: ignore[attr-defined]
    return str(data).encode()


async def test_an_idle_token_stops_opening_the_session_which_stays(tmp_path: Path) -> None:
    clock = ManualClock()
    engine = await started_engine(tmp_path, config(), clock)
    token, session = await engine.login("jdoe", "secret")
    for _ in range(3):  # each use postpones the idle expiry
        clock.now += 9 * MINUTE
        assert engine.session_for_token(token) is session
    clock.now += 10 * MINUTE
    assert engine.session_for_token(token) is None
    # The agent's session is not ended by its cookie expiring: a new login joins it.
    assert engine.live_session("jdoe") is session
    again, joined = await engine.login("jdoe", "secret")
    assert joined is session
    assert engine.session_for_token(again) is session
    await engine.prune_tokens()
    assert len(session.auth_tokens) == 1
    await engine.stop()

    fresh = await started_engine(tmp_path, config(), clock)
    assert fresh.session_for_token(token) is None
    restored = fresh.session_for_token(again)
    assert restored is not None and len(restored.auth_tokens) == 1
    await fresh.stop()


async def test_the_absolute_lifetime_ends_a_token_in_constant_use(tmp_path: Path) -> None:
    clock = ManualClock()
    engine = await started_engine(tmp_path, config(), clock)
    token, session = await engine.login("jdoe", "secret")
    issued = clock.now
    while clock.now + 5 * MINUTE < issued + 60 * MINUTE:
        clock.now += 5 * MINUTE
        assert engine.session_for_token(token) is session
    clock.now += 5 * MINUTE
    assert engine.session_for_token(token) is None
    await engine.stop()


async def test_token_uses_are_stored_so_a_restart_keeps_the_idle_clock(tmp_path: Path) -> None:
    clock = ManualClock()
    engine = await started_engine(tmp_path, config(), clock)
    token, _ = await engine.login("jdoe", "secret")
    clock.now += 9 * MINUTE
    assert engine.session_for_token(token) is not None
    await engine.prune_tokens()  # the housekeeping does it every minute
    await engine.stop()
    clock.now += 9 * MINUTE  # 18 minutes after the login, 9 after its last use
    fresh = await started_engine(tmp_path, config(), clock)
    assert fresh.session_for_token(token) is not None
    await fresh.stop()


async def test_many_logins_keep_the_session_record_small(tmp_path: Path) -> None:
    clock = ManualClock()
    engine = await started_engine(tmp_path, config(idle="0", lifetime="0"), clock)
    tokens = []
    for _ in range(1000):
        clock.now += 1.0
        token, _ = await engine.login("jdoe", "secret")
        tokens.append(token)
    session = engine.live_session("jdoe")
    assert session is not None and len(session.auth_tokens) == MAX_TOKENS
    # Before expiry and pruning, 5,001 logins made a 331 KB record.
    assert len(stored_record(engine)) < 4_000
    assert engine.session_for_token(tokens[-1]) is session
    assert engine.session_for_token(tokens[-MAX_TOKENS]) is session
    assert engine.session_for_token(tokens[-MAX_TOKENS - 1]) is None
    await engine.stop()


async def test_expired_tokens_leave_the_record_when_pruned(tmp_path: Path) -> None:
    clock = ManualClock()
    engine = await started_engine(tmp_path, config(), clock)
    first, session = await engine.login("jdoe", "secret")
    clock.now += 5 * MINUTE
    second, _ = await engine.login("jdoe", "secret")
    digests = [t.digest for t in session.auth_tokens]
    assert len(digests) == 2 and all(d.encode() in stored_record(engine) for d in digests)
    clock.now += 6 * MINUTE  # the first is idle for 11 minutes, the second for 6
    await engine.prune_tokens()
    assert [t.digest for t in session.auth_tokens] == digests[1:]
    assert digests[0].encode() not in stored_record(engine)
    assert engine.session_for_token(first) is None
    assert engine.session_for_token(second) is session
    await engine.stop()
