"""Percent-encoding (RFC 3986) of UTF-8 text."""

from __future__ import annotations

UNRESERVED = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)
_HEX = "0123456789ABCDEF"


class PercentDecodeError(ValueError):
    """Malformed escape or invalid UTF-8 in strict mode."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at position {position}")
        self.position = position


def quote(text: str, safe: str = "", plus: bool = False) -> str:
    """Percent-encode *text*.

    Unreserved characters and those in *safe* stay literal.  With *plus*,
    spaces become ``+`` (form encoding) instead of ``%20``.
    """
    keep = UNRESERVED | frozenset(safe)
    out = []
    for ch in text:
        if ch in keep:
            out.append(ch)
        elif ch == " " and plus:
            out.append("+")
        else:
            for byte in ch.encode("utf-8"):
                out.append("%" + _HEX[byte >> 4] + _HEX[byte & 0xF])
    return "".join(out)


def _hex_value(pair: str) -> int | None:
    if len(pair) != 2:
        return None
    try:
        return int(pair, 16)
    except ValueError:
        return None


def unquote_to_bytes(text: str, strict: bool = True) -> bytes:
    """Decode ``%XX`` escapes to raw bytes; other characters are UTF-8 encoded.

    A ``%`` that does not start a valid escape raises in strict mode and is
    kept literally otherwise.
    """
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            value = _hex_value(text[i + 1:i + 3])
            if value is not None:
                out.append(value)
                i += 3
                continue
            if strict:
                raise PercentDecodeError(f"bad escape {text[i:i + 3]!r}", i)
        out.extend(ch.encode("utf-8"))
        i += 1
    return bytes(out)


def unquote(text: str, strict: bool = True) -> str:
    """Decode percent escapes and interpret the bytes as UTF-8.

    In non-strict mode invalid UTF-8 becomes U+FFFD instead of raising.
    """
    raw = unquote_to_bytes(text, strict)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if strict:
            raise PercentDecodeError("invalid UTF-8", exc.start) from None
        return raw.decode("utf-8", errors="replace")


def is_encoded(text: str) -> bool:
    """True if *text* is already in canonical percent-encoded form."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            pair = text[i + 1:i + 3]
            if _hex_value(pair) is None or pair != pair.upper():
                return False
            i += 3
            continue
        if ch not in UNRESERVED:
            return False
        i += 1
    return True
