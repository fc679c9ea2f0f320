"""Allocation of unique slugs, e.g. for blog posts or wiki pages."""

from __future__ import annotations

from slug import slug_parts, slugify, truncate


class SlugRegistry:
    """Hands out slugs that are unique within the registry.

    Collisions get a numeric suffix starting at 2 (``post``, ``post-2``,
    ``post-3``).  With *max_length*, the base is shortened (at a word
    boundary) so that base plus suffix still fit.
    """

    def __init__(self, max_length: int | None = None, reserved=(),
                 sep: str = "-", fallback: str = "untitled"):
        self.max_length = max_length
        self.sep = sep
        self.fallback = fallback
        self.reserved = frozenset(reserved)
        self._taken: set[str] = set()

    def __contains__(self, slug: str) -> bool:
        return slug in self._taken

    def __len__(self) -> int:
        return len(self._taken)

    def is_free(self, slug: str) -> bool:
        return slug not in self._taken and slug not in self.reserved

    def with_suffix(self, base: str, number: int) -> str:
        """``base`` plus ``-number``, shortening *base* if needed."""
        suffix = f"{self.sep}{number}"
        if self.max_length is not None and len(base) + len(suffix) > self.max_length:
            room = self.max_length - len(suffix)
            if room < 1:
                raise ValueError(f"max_length {self.max_length} too small for suffix {suffix!r}")
            base = truncate(base, room, self.sep)
        return base + suffix

    def claim(self, title: str, stopwords=()) -> str:
        """Reserve and return a unique slug for *title*."""
        base = slugify(title, sep=self.sep, max_length=self.max_length, stopwords=stopwords)
        if not base:
            base = self.fallback
        candidate = base
        number = 2
        while not self.is_free(candidate):
            candidate = self.with_suffix(base, number)
            number += 1
        self._taken.add(candidate)
        return candidate

    def release(self, slug: str) -> None:
        """Give *slug* back; unknown slugs raise ``KeyError``."""
        self._taken.remove(slug)

    def rename(self, old_slug: str, new_title: str) -> str:
        """Release *old_slug* and claim one for *new_title*.

        If the new title produces the same base as the old slug, the old
        slug is kept (no pointless ``-2`` churn).
        """
        if old_slug not in self._taken:
            raise KeyError(old_slug)
        new_base = slugify(new_title, sep=self.sep, max_length=self.max_length)
        old_base, _ = slug_parts(old_slug, self.sep)
        if new_base and new_base == old_base:
            return old_slug
        self.release(old_slug)
        return self.claim(new_title)

    @classmethod
    def from_existing(cls, slugs, **options) -> "SlugRegistry":
        """A registry already holding *slugs* (e.g. loaded from a database)."""
        registry = cls(**options)
        for slug in slugs:
            if slug in registry._taken:
                raise ValueError(f"duplicate slug {slug!r}")
            registry._taken.add(slug)
        return registry
