"""Capped output keeps the head and the tail, marks the cut and never grows past its cap."""

from microagent.sandbox.output import CappedOutput, cap_output


def test_short_output_is_untouched():
    assert cap_output(b"hello\n", limit=100) == ("hello\n", False)


def test_long_output_keeps_head_and_tail_with_a_visible_mark():
    data = b"HEAD" + b"x" * 10_000 + b"TAIL"
    text, truncated = cap_output(data, limit=100)
    assert truncated
    assert text.startswith("HEAD") and text.endswith("TAIL")
    assert f"[... {len(data) - 100} bytes truncated by microagent sandbox ...]" in text


def test_streamed_chunks_match_the_whole_and_stay_within_the_cap():
    data = bytes(range(256)) * 4000
    collected = CappedOutput(limit=1000)
    for start in range(0, len(data), 777):
        collected.feed(data[start : start + 777])
        assert len(collected.to_bytes()) < 1100
    whole = CappedOutput(1000)
    whole.feed(data)
    assert collected.to_bytes() == whole.to_bytes()
    assert collected.total == len(data)


def test_invalid_utf8_is_replaced_not_raised():
    text, _ = cap_output(b"ok \xff\xfe end")
    assert text.startswith("ok ") and text.endswith(" end")
