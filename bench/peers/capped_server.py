"""`python -m llama_cpp.server` with a default `max_tokens` for requests that send none.

llama_cpp.server generates until the context is full when a client sends no max_tokens, as
micro-agent 0.1.5 does; at a few tokens a second one rambling answer can take most of an hour.
The cap (microagent's Coder uses 1024) only fills the gap: a request's own value still wins.
Run: python -m microagent.bench.peers.capped_server --default-max-tokens 1024 <llama_cpp.server options>
"""

from __future__ import annotations

import sys

from llama_cpp.server.types import CreateChatCompletionRequest, CreateCompletionRequest


def set_default_max_tokens(cap: int) -> None:
    for request in (CreateChatCompletionRequest, CreateCompletionRequest):
        request.model_fields["max_tokens"].default = cap
        request.model_rebuild(force=True)


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "--default-max-tokens":
        sys.exit("usage: python -m microagent.bench.peers.capped_server --default-max-tokens N [options]")
    set_default_max_tokens(int(args[1]))
    sys.argv = [sys.argv[0], *args[2:]]
    from llama_cpp.server.__main__ import main as serve

    serve()


if __name__ == "__main__":
    main()
