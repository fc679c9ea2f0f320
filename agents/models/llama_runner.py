"""Runs one GGUF model in-process with llama.cpp: load it, format a chat with the file's own
template, and generate token by token until done or told to stop (even mid-prompt).

Blocking by design, for a worker thread. It never imports litellm or touches an event loop.
"""

from __future__ import annotations

import codecs
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from microagent.agents.errors import ModelError
from microagent.agents.models.prefix_cache import DEFAULT_CAPACITY, PrefixCache

LOCAL_EXTRA_HINT = (
    "local models need the 'local' extra: make install, or pip install 'microagent-lsp[local]' "
    "with CMAKE_ARGS=\"-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON\" "
    "(see `make llama`)"
)

FinishReason = Literal["stop", "length", "cancelled", "timeout"]


@dataclass(frozen=True)
class SamplingParams:
    """What a caller may ask of one generation (OpenAI names, llama.cpp defaults)."""

    temperature: float = 0.2
    max_tokens: int | None = None  # None: until the context is full
    stop: tuple[str, ...] = ()
    seed: int | None = None
    top_p: float = 0.95


@dataclass
class Generation:
    """The outcome of one generation, with the numbers a benchmark or a usage record needs."""

    text: str = ""
    finish_reason: FinishReason = "stop"
    prompt_tokens: int = 0
    cached_tokens: int = 0  # of the prompt's, kept from the last generation (llama.cpp's prefix)
    completion_tokens: int = 0
    first_token_seconds: float | None = None  # prompt processing plus one sampled token
    total_seconds: float = 0.0
    pieces: list[str] = field(default_factory=list, repr=False)


def import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise ModelError(f"{LOCAL_EXTRA_HINT} ({exc})", kind="config") from exc
    return llama_cpp


class LlamaRunner:
    """One loaded model. Generations run one at a time; `lock` serialises them."""

    def __init__(self, path: Path, *, n_ctx: int = 8192, n_threads: int | None = None,
                 prefix_cache_bytes: int = DEFAULT_CAPACITY) -> None:
        llama_cpp = import_llama_cpp()
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.path = Path(path)
        self.lock = threading.Lock()
        start = time.monotonic()
        try:
            self.llama = llama_cpp.Llama(model_path=str(self.path), n_ctx=n_ctx,
                                         n_threads=n_threads or os.cpu_count(), verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(
                f"cannot load {self.path}: it is not a GGUF file llama-cpp-python "
                f"{llama_cpp.__version__} can run ({exc})", kind="config") from exc
        self.load_seconds = time.monotonic() - start
        self.n_ctx = self.llama.n_ctx()
        self.prefix_cache = PrefixCache(llama_cpp, prefix_cache_bytes)
        self._vocab = llama_cpp.llama_model_get_vocab(self.llama.model)
        self._is_end = llama_cpp.llama_vocab_is_eog  # end-of-turn tokens, not only eos

        template = self.llama.metadata.get("tokenizer.chat_template")
        if not template:
            raise ModelError(f"{self.path} has no chat template, so it cannot hold a "
                             "conversation: use an instruct model's GGUF", kind="config")
        eos, bos = self.llama.token_eos(), self.llama.token_bos()
        self._formatter = Jinja2ChatFormatter(
            template=template, eos_token=self._token_text(eos), bos_token=self._token_text(bos),
            stop_token_ids=[eos])

        # Between tokens the loop below checks the stop flag itself; inside one llama_decode
        # (a long prompt takes seconds) only llama.cpp's abort callback can stop it.
        self._should_stop: Callable[[], bool] = _never
        self._abort_callback = llama_cpp.ggml_abort_callback(lambda _: self._should_stop())
        llama_cpp.llama_set_abort_callback(self.llama.ctx, self._abort_callback, None)

    def is_end(self, token: int) -> bool:
        """An end-of-generation token (end of turn as well as end of text)."""
        return bool(self._is_end(self._vocab, token))

    def _token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self.llama.detokenize([token], special=True).decode("utf-8", errors="replace")

    def prompt_tokens(self, messages: list[dict[str, Any]]) -> list[int]:
        """The chat rendered by the model's own template, as tokens."""
        formatted = self._formatter(messages=messages)
        return self.llama.tokenize(formatted.prompt.encode("utf-8"),
                                   add_bos=not formatted.added_special, special=True)

    def generate(self, messages: list[dict[str, Any]], params: SamplingParams, *,
                 stop_flag: threading.Event | None = None, deadline: float | None = None,
                 on_text: Callable[[str], None] | None = None) -> Generation:
        """Generate a reply, calling `on_text` with each new piece of text.

        Stops between tokens when `stop_flag` is set (finish_reason "cancelled") or the
        monotonic `deadline` passes ("timeout"). Waits its turn behind other generations.
        """
        stop_flag = stop_flag or threading.Event()
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not self.lock.acquire(timeout=-1 if wait is None else wait):
            return Generation(finish_reason="timeout")
        try:
            if stop_flag.is_set():  # cancelled while it waited for its turn
                return Generation(finish_reason="cancelled")
            self._should_stop = lambda: stop_flag.is_set() or (
                deadline is not None and time.monotonic() > deadline)
            return self._generate(messages, params, stop_flag, on_text or _ignore)
        finally:
            self._should_stop = _never
            self.lock.release()

    def _generate(self, messages: list[dict[str, Any]], params: SamplingParams,
                  stop_flag: threading.Event, on_text: Callable[[str], None]) -> Generation:
        start = time.monotonic()
        tokens = self.prompt_tokens(messages)
        room = self.n_ctx - len(tokens)
        if room <= 0:
            raise ModelError(
                f"the prompt ({len(tokens)} tokens) exceeds the available context size "
                f"({self.n_ctx} tokens) of {self.path.name}: send less text, or raise "
                "MICROAGENT_LOCAL_N_CTX", kind="context")
        limit = min(params.max_tokens or room, room)
        held = self.prefix_cache.restore(self.llama, tokens)  # llama.cpp evaluates the rest,
        result = Generation(prompt_tokens=len(tokens),  # and at least the last token
                            cached_tokens=min(held, max(0, len(tokens) - 1)),
                            finish_reason="length")
        scanner = StopScanner(params.stop)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

        def emit(piece: str) -> None:
            if piece:
                result.pieces.append(piece)
                on_text(piece)

        self.llama.set_seed(params.seed if params.seed is not None
                            else int.from_bytes(os.urandom(4), "little"))
        try:
            for token in self.llama.generate(tokens, temp=params.temperature,
                                             top_p=params.top_p, top_k=40, min_p=0.05,
                                             repeat_penalty=1.0):
                if result.first_token_seconds is None:
                    result.first_token_seconds = time.monotonic() - start
                if self._is_end(self._vocab, token):
                    result.finish_reason = "stop"
                    break
                result.completion_tokens += 1
                piece, stopped = scanner.feed(decoder.decode(self.llama.detokenize([token])))
                emit(piece)
                if stopped:
                    result.finish_reason = "stop"
                    break
                if result.completion_tokens >= limit:
                    break
                if self._should_stop():
                    result.finish_reason = "cancelled" if stop_flag.is_set() else "timeout"
                    break
        except RuntimeError:
            if not self._should_stop():
                raise
            # llama.cpp aborted a decode because we asked; the next prompt starts from scratch
            self.llama.reset()
            result.finish_reason = "cancelled" if stop_flag.is_set() else "timeout"
        else:
            self.prefix_cache.save(self.llama)
        if result.finish_reason != "stop":  # text held back as a possible stop is real text
            emit(scanner.flush(decoder.decode(b"", final=True)))
        result.text = "".join(result.pieces)
        result.total_seconds = time.monotonic() - start
        return result

    def log_likelihoods(self, prefix: str, continuations: list[str]) -> list[float]:
        """How likely the model finds each continuation right after `prefix`, as raw text (no
        chat template): the sum of its tokens' log-probabilities. One prefill of the prefix
        (kept for the next call that starts alike), then one batch per continuation with the
        logits of every position; nothing is decoded. Waits its turn behind generations. The
        prefix keeps its last `n_ctx / 2` tokens."""
        with self.lock:
            return self._log_likelihoods(prefix, continuations)

    def _log_likelihoods(self, prefix: str, continuations: list[str]) -> list[float]:
        import numpy as np

        llama = self.llama
        head = llama.tokenize(prefix.encode("utf-8"), add_bos=False, special=False)
        head = head[-(self.n_ctx // 2):]
        if not head:
            raise ValueError("log_likelihoods needs a prefix of at least one token")
        # llama.cpp keeps what it holds of the prefix; evaluate the rest, the last token at least
        held = min(llama.longest_token_prefix(llama._input_ids, head), len(head) - 1)
        llama.n_tokens = held
        llama.eval(head[held:])
        vocab = (int(llama.n_vocab()),)
        first = _log_softmax(np, np.ctypeslib.as_array(llama._ctx.get_logits_ith(-1), shape=vocab))
        room = self.n_ctx - len(head)
        scores = []
        for text in continuations:
            tokens = llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)
            tokens = tokens[:max(0, min(room, llama.n_batch))]
            if not tokens:
                scores.append(0.0)
                continue
            llama._ctx.kv_cache_seq_rm(-1, len(head), -1)
            llama._batch.set_batch(batch=tokens, n_past=len(head), logits_all=True)
            llama._ctx.decode(llama._batch)
            total = float(first[tokens[0]])
            for i, token in enumerate(tokens[1:]):
                row = np.ctypeslib.as_array(llama._ctx.get_logits_ith(i), shape=vocab)
                total += float(_log_softmax(np, row)[token])
            scores.append(total)
        llama._ctx.kv_cache_seq_rm(-1, len(head), -1)  # the context holds the prefix alone
        llama.n_tokens = len(head)
        return scores


class StopScanner:
    """Finds stop sequences in streamed text, holding back only what might begin one."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self.stops = [s for s in stops if s]
        self.pending = ""

    def feed(self, new: str) -> tuple[str, bool]:
        """Returns (text safe to emit, whether a stop sequence was found)."""
        self.pending += new
        hits = [self.pending.index(s) for s in self.stops if s in self.pending]
        if hits:
            out, self.pending = self.pending[: min(hits)], ""
            return out, True
        hold = max((k for s in self.stops for k in range(len(s) - 1, 0, -1)
                    if self.pending.endswith(s[:k])), default=0)
        out = self.pending[: len(self.pending) - hold]
        self.pending = self.pending[len(out):]
        return out, False

    def flush(self, new: str) -> str:
        out, self.pending = self.pending + new, ""
        return out


def _log_softmax(np: Any, logits: Any) -> Any:
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


def _ignore(_: str) -> None:
    pass


def _never() -> bool:
    return False
