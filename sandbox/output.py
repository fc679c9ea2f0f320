"""Caps the output of sandboxed commands: keeps the head and the tail, marks the cut.

Generated code can print without end; this module must never hold more than the cap in memory,
and never hide that something was cut.
"""

from __future__ import annotations

DEFAULT_OUTPUT_LIMIT = 1_048_576


def truncation_mark(dropped: int) -> bytes:
    return f"\n[... {dropped} bytes truncated by microagent sandbox ...]\n".encode()


class CappedOutput:
    """Collects a stream chunk by chunk, keeping at most `limit` bytes: half head, half tail."""

    def __init__(self, limit: int = DEFAULT_OUTPUT_LIMIT):
        self.limit = max(limit, 2)
        self._head_limit = self.limit // 2
        self._tail_limit = self.limit - self._head_limit
        self._head = bytearray()
        self._tail = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self._head_limit - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        if not chunk:
            return
        self._tail += chunk[-self._tail_limit :]
        if len(self._tail) > self._tail_limit:
            del self._tail[: len(self._tail) - self._tail_limit]

    @property
    def truncated(self) -> bool:
        return self.total > self.limit

    def to_bytes(self) -> bytes:
        if not self.truncated:
            return bytes(self._head + self._tail)
        dropped = self.total - len(self._head) - len(self._tail)
        return bytes(self._head) + truncation_mark(dropped) + bytes(self._tail)

    def text(self) -> tuple[str, bool]:
        return self.to_bytes().decode("utf-8", errors="replace"), self.truncated


def cap_output(data: bytes, limit: int = DEFAULT_OUTPUT_LIMIT) -> tuple[str, bool]:
    """Decode `data` as text, keeping the head and the tail if it is over `limit` bytes."""
    collected = CappedOutput(limit)
    collected.feed(data)
    return collected.text()
