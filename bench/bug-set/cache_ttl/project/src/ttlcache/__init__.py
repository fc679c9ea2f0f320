"""Expiring caches driven by an explicit clock."""

from ttlcache.cache import TTLCache
from ttlcache.clock import ClockError, ManualClock
from ttlcache.sessions import SessionExpired, SessionStore

__all__ = ["ClockError", "ManualClock", "SessionExpired", "SessionStore", "TTLCache"]
