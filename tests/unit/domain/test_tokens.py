"""Login tokens (domain/tokens.py): idle and absolute lifetimes, pruning, the per-session cap.
Times are plain numbers: the book never reads a clock."""

from __future__ import annotations

from wwe_host.domain.model import AgentSession
from wwe_host.domain.states import NOT_READY
from wwe_host.domain.tokens import MAX_TOKENS, TokenBook, TokenLifetimes

IDLE = 600.0
ABSOLUTE = 3600.0


def session(session_id: str = "s1") -> AgentSession:
    return AgentSession(
        session_id=session_id,
        username="jdoe",
        started_at=0.0,
        last_activity=0.0,
        media={"voice": NOT_READY},
    )


def book(idle: float = IDLE, absolute: float = ABSOLUTE) -> TokenBook:
    return TokenBook(TokenLifetimes(idle=idle, absolute=absolute))


def test_a_token_opens_its_session_until_it_idles_out() -> None:
    tokens, s = book(), session()
    tokens.issue(s, "d1", 1000.0)
    assert tokens.lookup("d1", 1000.0 + IDLE - 1) == "s1"  # a use: idle counts from here
    assert tokens.lookup("d1", 1000.0 + 2 * IDLE - 2) == "s1"
    assert tokens.lookup("d1", 1000.0 + 3 * IDLE - 2) is None
    assert tokens.lookup("unknown", 1000.0) is None


def test_a_lookup_without_touch_does_not_postpone_the_idle_expiry() -> None:
    tokens, s = book(), session()
    tokens.issue(s, "d1", 0.0)
    assert tokens.lookup("d1", IDLE - 1, touch=False) == "s1"
    assert tokens.lookup("d1", IDLE, touch=False) is None


def test_use_does_not_extend_the_absolute_lifetime() -> None:
    tokens, s = book(), session()
    tokens.issue(s, "d1", 0.0)
    now = 0.0
    while now + IDLE / 2 < ABSOLUTE:
        now += IDLE / 2
        assert tokens.lookup("d1", now) == "s1"
    assert tokens.lookup("d1", ABSOLUTE) is None


def test_zero_means_no_limit() -> None:
    tokens, s = book(idle=0.0, absolute=0.0), session()
    tokens.issue(s, "d1", 0.0)
    assert tokens.lookup("d1", 10.0**9) == "s1"


def test_prune_removes_expired_tokens_from_the_record_and_reports_the_session() -> None:
    tokens, s, other = book(), session(), session("s2")
    tokens.issue(s, "old", 0.0)
    tokens.issue(s, "new", IDLE - 10)
    tokens.issue(other, "theirs", IDLE - 10)
    assert tokens.prune([s, other], IDLE - 5) == []  # nothing expired, nothing used
    assert tokens.prune([s, other], IDLE + 1) == [s]
    assert [t.digest for t in s.auth_tokens] == ["new"]
    assert len(tokens) == 2
    # A use reaches the store once it is an eighth of the idle timeout newer than the
    # stored one (an open desktop's pings must not rewrite the record every minute).
    assert tokens.lookup("theirs", IDLE + 2) == "s2"
    assert tokens.prune([s, other], IDLE + 3) == []
    later = IDLE - 10 + IDLE / 8
    assert tokens.lookup("theirs", later) == "s2"
    assert tokens.prune([s, other], later) == [other]
    assert other.auth_tokens[0].last_used == later
    assert tokens.lookup("theirs", later + 1) == "s2"
    assert tokens.prune([s, other], later + 2) == []


def test_a_login_drops_the_sessions_expired_tokens_and_keeps_at_most_the_cap() -> None:
    tokens, s = book(), session()
    tokens.issue(s, "stale", 0.0)
    tokens.issue(s, "fresh", IDLE + 1)
    assert [t.digest for t in s.auth_tokens] == ["fresh"]
    for n in range(MAX_TOKENS + 10):
        tokens.issue(s, f"d{n}", IDLE + 2 + n)
    assert len(s.auth_tokens) == MAX_TOKENS == len(tokens)
    # The least recently used went first: "fresh" and the first ten logins.
    assert tokens.lookup("fresh", IDLE + 100) is None
    assert tokens.lookup("d9", IDLE + 100) is None
    assert tokens.lookup("d10", IDLE + 100) == "s1"


def test_the_cap_keeps_a_token_in_use_over_newer_idle_ones() -> None:
    tokens, s = book(), session()
    tokens.issue(s, "daily", 0.0)
    for n in range(MAX_TOKENS):
        tokens.issue(s, f"d{n}", 1.0 + n)
        assert tokens.lookup("daily", 1.5 + n) == "s1"  # the agent's own browser, in use
    assert tokens.lookup("daily", 100.0) == "s1"
    assert tokens.lookup("d0", 100.0) is None


def test_forget_and_index() -> None:
    tokens, s = book(), session()
    tokens.issue(s, "d1", 0.0)
    tokens.forget(s)
    assert tokens.lookup("d1", 1.0) is None
    again = book()
    again.index(s)  # a session loaded from the store
    assert again.lookup("d1", 1.0) == "s1"
