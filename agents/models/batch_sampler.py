"""Several sampled answers to one prompt for little more than the price of one: the prompt is
decoded once into sequence 0 of a multi-sequence llama.cpp context, its cache is copied to the
other sequences, and the k answers are decoded together, one batch of k tokens per step.

Blocking, for a worker thread, like llama_runner; it shares the runner's model and lock, and
never imports litellm.
"""

from __future__ import annotations

import codecs
import os
import threading
import time
from typing import Any, Callable

from microagent.agents.errors import ModelError
from microagent.agents.models.llama_runner import Generation, LlamaRunner, SamplingParams, StopScanner

MAX_SEQUENCES = 8
BATCH = 512  # prompt tokens per decode call


class BatchSampler:
    """k samples of one chat from a loaded model. The context is made on first use (its cache
    holds n_ctx tokens in all, shared by the sequences: the prompt once, plus each answer)."""

    def __init__(self, runner: LlamaRunner, *, max_sequences: int = MAX_SEQUENCES,
                 n_threads: int | None = None) -> None:
        self.runner = runner
        self.max_sequences = max_sequences
        self.n_threads = n_threads or os.cpu_count() or 1
        self._context: Any = None
        self._batch: Any = None

    def sample(self, messages: list[dict[str, Any]], k: int, params: SamplingParams, *,
               stop_flag: threading.Event | None = None,
               deadline: float | None = None) -> list[Generation]:
        """k answers, sampled with seeds params.seed, params.seed + 1, ... (random when None).

        Stops between steps when `stop_flag` is set or the monotonic `deadline` passes; the
        answers so far come back with finish_reason "cancelled" or "timeout".
        """
        if not 1 <= k <= self.max_sequences:
            raise ValueError(f"k must be between 1 and {self.max_sequences}, not {k}")
        stop_flag = stop_flag or threading.Event()
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not self.runner.lock.acquire(timeout=-1 if wait is None else wait):
            return [Generation(finish_reason="timeout") for _ in range(k)]
        try:
            def should_stop() -> bool:
                return stop_flag.is_set() or (deadline is not None and time.monotonic() > deadline)
            return self._sample(messages, k, params, should_stop,
                                "cancelled" if stop_flag.is_set() else "timeout")
        finally:
            self.runner.lock.release()

    def _open(self) -> tuple[Any, Any]:
        """A context of its own (Llama's has room for one sequence) on the runner's model."""
        if self._context is None:
            import llama_cpp

            own = self.runner.llama.context_params  # the same settings (attention kind, ...)
            params = type(own).from_buffer_copy(own)
            params.n_ctx = self.runner.n_ctx
            params.n_batch = params.n_ubatch = BATCH
            params.n_seq_max = self.max_sequences
            params.kv_unified = True  # one cache shared by the sequences: the prompt is held once
            params.n_threads = params.n_threads_batch = self.n_threads
            context = llama_cpp.llama_init_from_model(self.runner.llama.model, params)
            if not context:
                raise ModelError(f"llama.cpp could not make a context of {self.runner.n_ctx} "
                                 f"tokens for {self.max_sequences} sequences", kind="context")
            self._context = context
            self._batch = llama_cpp.llama_batch_init(BATCH, 0, self.max_sequences)
        return self._context, self._batch

    def _sample(self, messages: list[dict[str, Any]], k: int, params: SamplingParams,
                should_stop: Callable[[], bool], why: str) -> list[Generation]:
        import llama_cpp

        start = time.monotonic()
        tokens = self.runner.prompt_tokens(messages)
        context, batch = self._open()
        room = self.runner.n_ctx - len(tokens)
        limit = min(params.max_tokens or room, room // k)
        if limit <= 0:
            raise ModelError(
                f"the prompt ({len(tokens)} tokens) and {k} answers do not fit the context "
                f"({self.runner.n_ctx} tokens): ask for fewer answers or send less text",
                kind="context")
        memory = llama_cpp.llama_get_memory(context)
        llama_cpp.llama_memory_clear(memory, True)
        for at in range(0, len(tokens), BATCH):  # the prompt, once, into sequence 0
            chunk = tokens[at:at + BATCH]
            _fill(batch, [(0, token, at + row, row == len(chunk) - 1) for row, token in enumerate(chunk)])
            _decode(context, batch, "the prompt")
        for seq in range(1, k):
            llama_cpp.llama_memory_seq_cp(memory, 0, seq, -1, -1)

        base = params.seed if params.seed is not None else int.from_bytes(os.urandom(4), "little")
        answers = [_Answer(params, base + seq, len(tokens)) for seq in range(k)]
        logits_at = [batch.n_tokens - 1] * k  # every sequence starts from the prompt's last row
        position = len(tokens)
        try:
            while True:
                step = []
                for seq, answer in enumerate(answers):
                    if answer.done:
                        continue
                    token = llama_cpp.llama_sampler_sample(answer.sampler, context, logits_at[seq])
                    if answer.first_token_seconds is None:
                        answer.first_token_seconds = time.monotonic() - start
                    if self.runner.is_end(token):
                        answer.finish("stop")
                        continue
                    answer.add(self.runner.llama.detokenize([token]), limit)
                    if not answer.done:
                        step.append((seq, token))
                if not step:
                    break
                if should_stop():
                    for answer in answers:
                        if not answer.done:
                            answer.finish(why)
                    break
                _fill(batch, [(seq, token, position, True) for seq, token in step])
                for row, (seq, _) in enumerate(step):
                    logits_at[seq] = row
                _decode(context, batch, "the answers")
                position += 1
        finally:
            for answer in answers:
                answer.free()
        total = time.monotonic() - start
        return [answer.generation(total) for answer in answers]

    def close(self) -> None:
        if self._context is not None:
            import llama_cpp

            llama_cpp.llama_batch_free(self._batch)
            llama_cpp.llama_free(self._context)
            self._context = self._batch = None


def _fill(batch: Any, rows: list[tuple[int, int, int, bool]]) -> None:
    """(sequence, token, position, wants logits) per row."""
    batch.n_tokens = len(rows)
    for row, (seq, token, position, logits) in enumerate(rows):
        batch.token[row], batch.pos[row], batch.n_seq_id[row] = token, position, 1
        batch.seq_id[row][0], batch.logits[row] = seq, logits


def _decode(context: Any, batch: Any, what: str) -> None:
    import llama_cpp

    if llama_cpp.llama_decode(context, batch) != 0:
        raise ModelError(f"llama.cpp could not decode {what}", kind="context")


class _Answer:
    """One sequence's sampler, stop scanner and text so far."""

    def __init__(self, params: SamplingParams, seed: int, prompt_tokens: int) -> None:
        import llama_cpp as ll

        self.sampler = ll.llama_sampler_chain_init(ll.llama_sampler_chain_default_params())
        if params.temperature <= 0:
            chain = [ll.llama_sampler_init_greedy()]
        else:  # the chain llama_runner's generate uses
            chain = [ll.llama_sampler_init_top_k(40), ll.llama_sampler_init_top_p(params.top_p, 1),
                     ll.llama_sampler_init_min_p(0.05, 1), ll.llama_sampler_init_temp(params.temperature),
                     ll.llama_sampler_init_dist(seed & 0xFFFFFFFF)]
        for link in chain:
            ll.llama_sampler_chain_add(self.sampler, link)  # the chain owns and frees them
        self.scanner = StopScanner(params.stop)
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.result = Generation(prompt_tokens=prompt_tokens, finish_reason="length")
        self.first_token_seconds: float | None = None
        self.done = False

    def free(self) -> None:
        import llama_cpp

        if self.sampler is not None:
            llama_cpp.llama_sampler_free(self.sampler)
            self.sampler = None

    def add(self, piece: bytes, limit: int) -> None:
        self.result.completion_tokens += 1
        text, stopped = self.scanner.feed(self.decoder.decode(piece))
        if text:
            self.result.pieces.append(text)
        if stopped:
            self.finish("stop")
        elif self.result.completion_tokens >= limit:
            self.finish("length")

    def finish(self, reason: str) -> None:
        self.result.finish_reason = reason  # type: ignore[assignment]
        self.done = True

    def generation(self, total_seconds: float) -> Generation:
        if self.result.finish_reason != "stop":  # text held back as a possible stop is real text
            tail = self.scanner.flush(self.decoder.decode(b"", final=True))
            if tail:
                self.result.pieces.append(tail)
        self.result.text = "".join(self.result.pieces)
        self.result.first_token_seconds = self.first_token_seconds
        self.result.total_seconds = total_seconds
        return self.result
