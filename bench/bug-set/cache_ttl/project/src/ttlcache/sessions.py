"""Login sessions kept in a sliding-expiry :class:`TTLCache`."""

import hashlib
from dataclasses import dataclass
from typing import Dict, List

from ttlcache.cache import Clock, TTLCache


class SessionExpired(Exception):
    """The token is unknown, was revoked or timed out."""


@dataclass(frozen=True)
class Session:
    token: str
    user: str
    created_at: float


class SessionStore:
    """Issue and validate session tokens.

    A session stays valid while it is used at least every ``idle_timeout``
    seconds. Tokens are derived from the user and a per-store counter so
    that tests are deterministic.
    """

    def __init__(self, idle_timeout: float, clock: Clock, secret: str = "s3cret"):
        self._clock = clock
        self._secret = secret
        self._counter = 0
        self._cache = TTLCache(idle_timeout, clock, sliding=True)
        self._by_user: Dict[str, List[str]] = {}

    def login(self, user: str) -> str:
        self._counter += 1
        raw = f"{self._secret}:{user}:{self._counter}".encode()
        token = hashlib.sha256(raw).hexdigest()[:16]
        self._cache.set(token, Session(token, user, self._clock()))
        self._by_user.setdefault(user, []).append(token)
        return token

    def validate(self, token: str) -> str:
        """Return the user of ``token`` and extend the session."""
        session = self._cache.get(token)
        if session is None:
            raise SessionExpired(token)
        return session.user

    def logout(self, token: str) -> None:
        session = self._cache.get(token)
        self._cache.delete(token)
        if session is not None:
            self._by_user[session.user].remove(token)

    def logout_everywhere(self, user: str) -> int:
        tokens = self._by_user.pop(user, [])
        for token in tokens:
            self._cache.delete(token)
        return len(tokens)

    def active_users(self) -> List[str]:
        """Users with at least one live session, sorted."""
        return sorted({session.user for _, session in self._cache.items()})

    def sweep(self) -> int:
        """Forget expired sessions; return how many were dropped."""
        expired = self._cache.purge()
        for tokens in self._by_user.values():
            for token in expired:
                if token in tokens:
                    tokens.remove(token)
        return len(expired)
