"""Saved llama.cpp contexts, so a prompt that starts like any recent one, not only like the last
one, skips the shared part's prefill.

llama.cpp keeps one context: a prompt that shares its beginning with the previous generation
reuses it, and any other prompt is evaluated from its first token. A run alternates prompt
shapes (the Coder's whole-function prompt, the line round's, a repair of another candidate, the
Reviewer's), so each shape would pay its stable part again. After each generation the context's
KV cache (about 28 KB a token for Qwen2.5-Coder-1.5B) is saved under the tokens it holds; before
the next one, the saved context sharing the longest beginning with the new prompt is loaded when
it shares more than the live one. Prefill runs at about 100 tokens a second on two cores and
copying a saved context takes milliseconds.

llama-cpp-python's own `LlamaRAMCache` serves only `create_completion`, and its saved state copies
the full logits array (hundreds of MB for a 150k vocabulary); this keeps the KV cache alone.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from typing import Any

DEFAULT_CAPACITY = 512 << 20  # bytes of saved contexts, the least recently used dropped first


class PrefixCache:
    """`library`: the llama_cpp module (its state API)."""

    def __init__(self, library: Any, capacity: int = DEFAULT_CAPACITY) -> None:
        self.library = library
        self.capacity = capacity
        self.saved: OrderedDict[tuple[int, ...], bytes] = OrderedDict()
        self.loads = 0  # saved contexts loaded (each one a prefill skipped)

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.saved.values())

    def restore(self, llama: Any, tokens: list[int]) -> int:
        """Load the saved context that shares the longest beginning with `tokens`, when it
        shares more than the one llama.cpp holds now. Returns how many of `tokens` the context
        then holds."""
        held = llama.longest_token_prefix(llama._input_ids, tokens)
        if not self.saved or self.capacity <= 0:
            return held
        shared, key = max((llama.longest_token_prefix(key, tokens), key) for key in self.saved)
        if shared <= held + 1:  # llama.cpp re-evaluates one token in any case
            return held
        data = self.saved[key]
        self.saved.move_to_end(key)
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if self.library.llama_state_set_data(llama.ctx, buffer, len(data)) != len(data):
            llama.reset()  # a partial load leaves nothing to trust: start from scratch
            return 0
        llama.input_ids[: len(key)] = key
        llama.n_tokens = len(key)
        llama._requires_eval = True  # the logits are not saved: evaluate at least one token
        self.loads += 1
        return shared

    def save(self, llama: Any) -> None:
        """Keep the context llama.cpp holds now under its tokens."""
        key = tuple(int(t) for t in llama._input_ids)
        if len(key) < 2 or self.capacity <= 0:
            return
        size = self.library.llama_state_get_size(llama.ctx)
        buffer = (ctypes.c_uint8 * size)()
        written = self.library.llama_state_get_data(llama.ctx, buffer, size)
        if not 0 < written <= size:
            return
        self.saved.pop(key, None)
        self.saved[key] = bytes(memoryview(buffer)[:written])
        # a saved context that is a beginning of this one is no longer needed
        for shorter in [k for k in self.saved if len(k) < len(key) and key[: len(k)] == k]:
            del self.saved[shorter]
        while self.size > self.capacity and len(self.saved) > 1:
            self.saved.popitem(last=False)

