"""Login tokens: which agent session a cookie opens, and until when.

Each login issues a token (the browser keeps it as the session cookie; the session record
keeps only its SHA-256 digest). A token opens its session until it has gone unused for
the idle timeout, or has existed for the maximum lifetime (0 = no such limit); after that
it is as if it never existed, and ``prune`` removes it from the session record. A session
keeps at most ``MAX_TOKENS`` (the least recently used goes first), so repeated logins
cannot grow its record. The session itself is not ended by its tokens expiring: logging
in again joins it.

A token's last use is exact in memory. It reaches the store when it is an eighth of the
idle timeout newer than the stored one (an open desktop pings every 20 s: storing each
use would rewrite every session record every minute), so after a restart a token may
idle out up to that much early.

Plain bookkeeping: the engine passes the time and persists the sessions ``prune`` returns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import AgentSession, SessionToken

MAX_TOKENS = 32


@dataclass(frozen=True, slots=True)
class TokenLifetimes:
    """Seconds; 0 = no limit of that kind."""

    idle: float = 0.0
    absolute: float = 0.0

    def expired(self, token: SessionToken, now: float) -> bool:
        if self.idle > 0 and now - token.last_used >= self.idle:
            return True
        return self.absolute > 0 and now - token.issued_at >= self.absolute


class TokenBook:
    """Every live token of every session, by digest."""

    def __init__(self, lifetimes: TokenLifetimes, keep: int = MAX_TOKENS) -> None:
        self.lifetimes = lifetimes
        self.keep = keep
        self._owners: dict[str, tuple[str, SessionToken]] = {}
        self._stored: dict[str, float] = {}  # digest -> the last use the store has
        self._store_after = lifetimes.idle / 8 if lifetimes.idle > 0 else math.inf
        # Sessions with a token whose last use is to be stored.
        self._used: set[str] = set()

    def __len__(self) -> int:
        return len(self._owners)

    def index(self, session: AgentSession) -> None:
        """Know the tokens of a session loaded from the store."""
        for token in session.auth_tokens:
            self._owners[token.digest] = (session.session_id, token)
            self._stored[token.digest] = token.last_used

    def forget(self, session: AgentSession) -> None:
        """The session ended: none of its tokens opens anything any more."""
        for token in session.auth_tokens:
            self._owners.pop(token.digest, None)
            self._stored.pop(token.digest, None)
        self._used.discard(session.session_id)

    def issue(self, session: AgentSession, digest: str, now: float) -> None:
        """Add a login's token to ``session`` (the caller persists the session)."""
        self._drop(session, lambda token: self.lifetimes.expired(token, now))
        token = SessionToken(digest, now, now)
        session.auth_tokens.append(token)
        self._owners[digest] = (session.session_id, token)
        self._stored[digest] = now
        excess = len(session.auth_tokens) - self.keep
        if excess > 0:
            oldest = sorted(session.auth_tokens, key=lambda t: t.last_used)[:excess]
            victims = {id(t) for t in oldest}
            self._drop(session, lambda t: id(t) in victims)

    def lookup(self, digest: str, now: float, *, touch: bool = True) -> str | None:
        """The session id ``digest`` opens now, or None (unknown or expired). ``touch``
        counts this as a use of the token (it postpones its idle expiry)."""
        found = self._owners.get(digest)
        if found is None:
            return None
        session_id, token = found
        if self.lifetimes.expired(token, now):
            return None
        if touch and now > token.last_used:
            token.last_used = now
            if now - self._stored.get(digest, now) >= self._store_after:
                self._used.add(session_id)
        return session_id

    def prune(self, sessions: Iterable[AgentSession], now: float) -> list[AgentSession]:
        """Remove expired tokens; the sessions whose record changed (tokens removed, or
        last uses the store should have), to be persisted by the caller."""
        changed: list[AgentSession] = []
        for session in sessions:
            dropped = self._drop(session, lambda token: self.lifetimes.expired(token, now))
            if dropped or session.session_id in self._used:
                changed.append(session)
                for token in session.auth_tokens:
                    self._stored[token.digest] = token.last_used
        self._used.clear()
        return changed

    def _drop(self, session: AgentSession, doomed: Callable[[SessionToken], bool]) -> int:
        keep: list[SessionToken] = []
        for token in session.auth_tokens:
            if doomed(token):
                self._owners.pop(token.digest, None)
                self._stored.pop(token.digest, None)
            else:
                keep.append(token)
        dropped = len(session.auth_tokens) - len(keep)
        if dropped:
            session.auth_tokens = keep
        return dropped
