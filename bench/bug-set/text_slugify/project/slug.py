"""URL slugs: lowercase ASCII words joined by a separator."""

from __future__ import annotations

import re

from translit import prepare

DEFAULT_STOPWORDS = frozenset({"a", "an", "the", "of", "and", "or", "to", "in"})
_WORD_RE = re.compile(r"[A-Za-z0-9]+")


def truncate(slug: str, max_length: int, sep: str = "-") -> str:
    """Shorten *slug* to at most *max_length* characters without cutting a
    word in half.

    If the cut falls inside the first word, that word is cut hard (a slug
    must not become empty because of a long first word).
    """
    if max_length < 1:
        raise ValueError("max_length must be positive")
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if slug[max_length] != sep:
        head, found, _ = cut.rpartition(sep)
        if found:
            cut = head
    return cut.strip(sep)


def words(text: str, camel: bool = False) -> list[str]:
    """The ASCII words of *text* after transliteration."""
    return _WORD_RE.findall(prepare(text, camel=camel))


def slugify(text: str, sep: str = "-", max_length: int | None = None,
            lowercase: bool = True, stopwords=(), camel: bool = False) -> str:
    """Turn *text* into a slug.

    *stopwords* are dropped unless that would leave nothing.  With
    *max_length*, the slug is shortened at a word boundary via
    :func:`truncate`.
    """
    found = words(text, camel=camel)
    if lowercase:
        found = [w.lower() for w in found]
    if stopwords:
        stop = {s.lower() for s in stopwords}
        kept = [w for w in found if w.lower() not in stop]
        found = kept or found
    slug = sep.join(found)
    if max_length is not None:
        slug = truncate(slug, max_length, sep)
    return slug


def is_slug(text: str, sep: str = "-") -> bool:
    """True if *text* is already a canonical lowercase slug."""
    if not text:
        return False
    parts = text.split(sep)
    return all(p and p.isascii() and p.isalnum() and p == p.lower() for p in parts)


def slug_parts(slug: str, sep: str = "-") -> tuple[str, int | None]:
    """Split a trailing numeric de-duplication suffix: ``"post-3"`` ->
    ``("post", 3)``; ``"post"`` -> ``("post", None)``.

    A slug that is only a number is not split.
    """
    head, found, tail = slug.rpartition(sep)
    if found and head and tail.isdigit() and not tail.startswith("0"):
        return head, int(tail)
    return slug, None


def title_from_slug(slug: str, sep: str = "-") -> str:
    """A readable title for a slug (the suffix is dropped)."""
    base, _ = slug_parts(slug, sep)
    return " ".join(word.capitalize() for word in base.split(sep))
