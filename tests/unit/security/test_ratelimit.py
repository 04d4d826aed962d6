"""Rate limits and quarantine (security.md, "Rate limit and quarantine")."""

from __future__ import annotations

import math

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from wwe_host import catalog
from wwe_host.security import Decision, RateLimiter, RateLimitPolicy, rate_limit_message

ALLOW, REFUSE, IGNORE = Decision.ALLOW, Decision.REFUSE, Decision.IGNORE

# 12:00:00 on some day: a whole minute, so offsets below read as seconds past 12:00.
T0 = 1_700_000_000 - 1_700_000_000 % 60


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = float(now)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


GUIDE_OPTIONS = {
    "service-client-api.rate-limit": "0",
    "service-client-api.rate-limit.voice.dial": "4",
    "service-client-api.rate-limit.email.create": "2",
}


def limiter(options: dict[str, str], clock: FakeClock) -> RateLimiter:
    return RateLimiter(RateLimitPolicy.from_options(options), clock)


# --- the guide's example -------------------------------------------------------------------


def test_guide_example() -> None:
    clock = FakeClock(T0 + 5)
    rl = limiter(GUIDE_OPTIONS, clock)
    assert [rl.check("s1", "voice.dial") for _ in range(6)] == [ALLOW] * 4 + [REFUSE, IGNORE]
    assert [rl.check("s1", "email.create") for _ in range(4)] == [ALLOW, ALLOW, REFUSE, IGNORE]
    assert all(rl.check("s1", "agent.getState") is ALLOW for _ in range(10_000))
    # Quarantine of voice.dial does not touch other types, nor other sessions.
    assert rl.check("s1", "voice.dial") is IGNORE
    assert rl.check("s2", "voice.dial") is ALLOW


def test_policy_from_guide_options() -> None:
    policy = RateLimitPolicy.from_options(GUIDE_OPTIONS)
    assert policy.default == 0
    assert dict(policy.per_request) == {"voice.dial": 4, "email.create": 2}
    assert policy.quarantine_delay == 30.0
    assert policy.limit_for("voice.dial") == 4
    assert policy.limit_for("email.create") == 2
    assert policy.limit_for("agent.getState") == 0


def test_from_options_defaults_and_unrelated_options() -> None:
    policy = RateLimitPolicy.from_options({"voice.auto-answer": "true"})
    assert policy == RateLimitPolicy()
    assert policy.quarantine_delay == 30.0
    assert all(policy.limit_for(r) == 0 for r in catalog.REQUESTS)


def test_from_options_reads_delay_and_aliases() -> None:
    policy = RateLimitPolicy.from_options(
        {
            "service-client-api.rate-limit": " 50 ",
            "service-client-api.rate-limit-quarantine-delay": "1.5",
            "service-client-api.rate-limit.sipEndpoint.muteMicrophone": "3",
        }
    )
    assert policy.default == 50
    assert policy.quarantine_delay == 1.5
    assert policy.limit_for("voice.muteMicrophone") == 3
    assert policy.limit_for("voice.dial") == 50


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("service-client-api.rate-limit", "-1", "non-negative integer"),
        ("service-client-api.rate-limit", "ten", "non-negative integer"),
        ("service-client-api.rate-limit", "2.5", "non-negative integer"),
        ("service-client-api.rate-limit", "", "non-negative integer"),
        ("service-client-api.rate-limit.voice.dial", "x", "non-negative integer"),
        ("service-client-api.rate-limit-quarantine-delay", "-5", "non-negative number"),
        ("service-client-api.rate-limit-quarantine-delay", "nan", "non-negative number"),
        ("service-client-api.rate-limit-quarantine-delay", "inf", "non-negative number"),
    ],
)
def test_from_options_rejects_bad_values(option: str, value: str, expected: str) -> None:
    with pytest.raises(ValueError) as info:
        RateLimitPolicy.from_options({option: value})
    message = str(info.value)
    assert option in message
    assert f"'{value}'" in message
    assert expected in message


def test_from_options_rejects_unknown_request() -> None:
    with pytest.raises(ValueError, match=r"service-client-api\.rate-limit\.voice\.dail"):
        RateLimitPolicy.from_options({"service-client-api.rate-limit.voice.dail": "4"})


def test_from_options_rejects_alias_and_canonical_both_set() -> None:
    with pytest.raises(ValueError, match="same request"):
        RateLimitPolicy.from_options(
            {
                "service-client-api.rate-limit.voice.muteMicrophone": "3",
                "service-client-api.rate-limit.sipEndpoint.muteMicrophone": "4",
            }
        )


def test_policy_validates_direct_construction() -> None:
    with pytest.raises(ValueError):
        RateLimitPolicy(default=-1)
    with pytest.raises(ValueError):
        RateLimitPolicy(per_request={"nope": 1})
    with pytest.raises(ValueError):
        RateLimitPolicy(quarantine_delay=math.inf)
    policy = RateLimitPolicy(per_request={"interaction.unlockMarkdone": 2})
    assert dict(policy.per_request) == {"interaction.unblockMarkdone": 2}


# --- messages ----------------------------------------------------------------------------------


def test_message_texts() -> None:
    assert rate_limit_message("voice.dial", 30) == (
        "The rate limit for the request 'voice.dial' has been reached.\n"
        "Further requests of the same type will be ignored for 30 seconds."
    )
    assert rate_limit_message("voice.dial", 30.0).endswith("ignored for 30 seconds.")
    assert rate_limit_message("email.create", 1.5) == (
        "The rate limit for the request 'email.create' has been reached.\n"
        "Further requests of the same type will be ignored for 1.5 seconds."
    )
    assert rate_limit_message("voice.dial", 0) == (
        "The rate limit for the request 'voice.dial' has been reached.\n"
        "Further requests of the same type will be ignored."
    )


# --- timing ------------------------------------------------------------------------------------


def test_quarantine_expiry_then_refused_again_in_same_minute() -> None:
    clock = FakeClock(T0)
    rl = limiter({"service-client-api.rate-limit.voice.dial": "2"}, clock)
    assert [rl.check("s", "voice.dial") for _ in range(3)] == [ALLOW, ALLOW, REFUSE]
    clock.advance(29.9)
    assert rl.check("s", "voice.dial") is IGNORE
    clock.advance(0.1)  # 12:00:30, quarantine over, still the same minute: count is still 2
    assert rl.check("s", "voice.dial") is REFUSE
    clock.advance(29.0)  # 12:00:59, in the new quarantine
    assert rl.check("s", "voice.dial") is IGNORE
    clock.advance(1.0)  # 12:01:00, quarantine over and a new minute
    assert [rl.check("s", "voice.dial") for _ in range(3)] == [ALLOW, ALLOW, REFUSE]


def test_new_minute_resets_counts_fixed_window() -> None:
    clock = FakeClock(T0 + 58)
    rl = limiter({"service-client-api.rate-limit": "3"}, clock)
    assert [rl.check("s", "agent.get") for _ in range(3)] == [ALLOW] * 3
    clock.advance(2)  # 12:01:00: a fresh interval, not a sliding window
    assert [rl.check("s", "agent.get") for _ in range(3)] == [ALLOW] * 3
    assert rl.check("s", "agent.get") is REFUSE


def test_ignored_requests_are_not_counted() -> None:
    clock = FakeClock(T0)
    rl = limiter(
        {
            "service-client-api.rate-limit.voice.dial": "1",
            "service-client-api.rate-limit-quarantine-delay": "10",
        },
        clock,
    )
    assert [rl.check("s", "voice.dial") for _ in range(50)] == [ALLOW, REFUSE] + [IGNORE] * 48
    clock.advance(60)
    assert [rl.check("s", "voice.dial") for _ in range(2)] == [ALLOW, REFUSE]


def test_delay_zero_is_forever() -> None:
    clock = FakeClock(T0)
    options = {
        "service-client-api.rate-limit.voice.dial": "1",
        "service-client-api.rate-limit-quarantine-delay": "0",
    }
    rl = limiter(options, clock)
    assert [rl.check("s", "voice.dial") for _ in range(3)] == [ALLOW, REFUSE, IGNORE]
    clock.advance(3600)
    assert rl.check("s", "voice.dial") is IGNORE
    clock.advance(86400 * 30)
    assert rl.check("s", "voice.dial") is IGNORE
    assert rl.check("other", "voice.dial") is ALLOW


def test_keys_are_independent_and_forget() -> None:
    clock = FakeClock(T0)
    rl = limiter({"service-client-api.rate-limit": "1"}, clock)
    assert rl.check("a", "voice.dial") is ALLOW
    assert rl.check("a", "voice.dial") is REFUSE
    assert rl.check("b", "voice.dial") is ALLOW
    assert rl.check("a", "agent.get") is ALLOW
    rl.forget("a")
    rl.forget("never-seen")
    assert rl.check("a", "voice.dial") is ALLOW
    assert rl.check("b", "voice.dial") is REFUSE


def test_per_request_zero_overrides_default() -> None:
    clock = FakeClock(T0)
    rl = limiter(
        {
            "service-client-api.rate-limit": "2",
            "service-client-api.rate-limit.agent.getState": "0",
        },
        clock,
    )
    assert all(rl.check("s", "agent.getState") is ALLOW for _ in range(1000))
    assert [rl.check("s", "agent.get") for _ in range(3)] == [ALLOW, ALLOW, REFUSE]


def test_alias_counts_with_its_canonical_request() -> None:
    clock = FakeClock(T0)
    rl = limiter({"service-client-api.rate-limit.voice.muteMicrophone": "2"}, clock)
    assert rl.check("s", "voice.muteMicrophone") is ALLOW
    assert rl.check("s", "sipEndpoint.muteMicrophone") is ALLOW
    assert rl.check("s", "voice.muteMicrophone") is REFUSE


def test_unknown_request_names_are_not_counted() -> None:
    clock = FakeClock(T0)
    rl = limiter({"service-client-api.rate-limit": "1"}, clock)
    assert all(rl.check("s", f"made.up{i}") is ALLOW for i in range(100))


# --- model-based -------------------------------------------------------------------------------

KEYS = ("k1", "k2")
REQUESTS = ("voice.dial", "email.create", "agent.get")


class ReferenceModel:
    """Obviously correct, slow: keeps every allowed timestamp and recounts the minute."""

    def __init__(self, limits: dict[str, int], delay: float) -> None:
        self.limits = limits
        self.delay = delay
        self.allowed: dict[tuple[str, str], list[float]] = {}
        self.until: dict[tuple[str, str], float] = {}

    def check(self, now: float, key: str, request: str) -> Decision:
        limit = self.limits.get(request, 0)
        if limit == 0:
            return ALLOW
        slot = (key, request)
        if now < self.until.get(slot, -math.inf):
            return IGNORE
        in_minute = [t for t in self.allowed.get(slot, []) if t // 60 == now // 60]
        if len(in_minute) >= limit:
            self.until[slot] = now + self.delay if self.delay else math.inf
            return REFUSE
        self.allowed.setdefault(slot, []).append(now)
        return ALLOW


class LimiterMachine(RuleBasedStateMachine):
    @initialize(
        default=st.sampled_from([0, 1, 3]),
        dial=st.sampled_from([None, 0, 1, 2]),
        email=st.sampled_from([None, 0, 2]),
        delay=st.sampled_from([0.0, 1.5, 5.0, 5.0, 30.0, 61.0]),
        start=st.floats(0, 59.99),
    )
    def setup(
        self, default: int, dial: int | None, email: int | None, delay: float, start: float
    ) -> None:
        per_request = {
            name: limit
            for name, limit in (("voice.dial", dial), ("email.create", email))
            if limit is not None
        }
        policy = RateLimitPolicy(default=default, per_request=per_request, quarantine_delay=delay)
        self.clock = FakeClock(T0 + start)
        self.limiter = RateLimiter(policy, self.clock)
        self.model = ReferenceModel({r: policy.limit_for(r) for r in REQUESTS}, delay)
        self.decisions: list[Decision] = []

    # Advancing and checking in one rule keeps bursts (0 s) and quarantine expiries both
    # frequent within a short run.
    @rule(
        seconds=st.sampled_from([0.0, 0.0, 0.0, 0.0, 0.5, 1.5, 5.0, 30.0, 60.0, 61.0]),
        key=st.sampled_from(KEYS),
        request=st.sampled_from(REQUESTS),
    )
    def check(self, seconds: float, key: str, request: str) -> None:
        self.clock.advance(seconds)
        got = self.limiter.check(key, request)
        assert got == self.model.check(self.clock.now, key, request)
        self.decisions.append(got)

    @rule(key=st.sampled_from(KEYS))
    def forget(self, key: str) -> None:
        self.limiter.forget(key)
        for slot in [s for s in self.model.allowed if s[0] == key]:
            del self.model.allowed[slot]
        for slot in [s for s in self.model.until if s[0] == key]:
            del self.model.until[slot]

    @invariant()
    def first_decision_is_allow(self) -> None:
        # A limit is at least 1, so nothing is refused or ignored before something was allowed.
        assert not self.decisions or self.decisions[0] is ALLOW


TestLimiterMachine = LimiterMachine.TestCase
TestLimiterMachine.settings = settings(max_examples=100, stateful_step_count=50, deadline=None)
