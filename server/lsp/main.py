"""`microagent-lsp`: the language server on stdio (the default) or TCP, logging to a file or
stderr; stdout belongs to the protocol and never receives a log line.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microagent.server.lsp.server import MicroAgentServer

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="microagent-lsp",
        description="micro-agent language server: code actions that make failing tests pass.")
    parser.add_argument("--stdio", action="store_true", help="serve on stdin/stdout (default)")
    parser.add_argument("--tcp", action="store_true", help="serve on TCP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1", help="TCP host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2087, help="TCP port (default 2087)")
    parser.add_argument("--log-file", help="write the log here instead of to stderr")
    parser.add_argument("--log-level", default="WARNING", type=str.upper, choices=LEVELS,
                        help="log level (default WARNING)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser.parse_args(argv)


def configure_logging(level: str, log_file: str | None) -> None:
    handler: logging.Handler
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":  # pygls logs every message body at INFO
        logging.getLogger("pygls").setLevel(max(logging.WARNING, logging.getLevelName(level)))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from microagent.server.lsp.features import create_server
    from microagent.server.lsp.server import VERSION

    if args.version:
        print(f"microagent-lsp {VERSION}")
        return
    configure_logging(args.log_level, args.log_file)
    server = create_server(deferred=True)
    signal.signal(signal.SIGTERM, lambda signum, frame: leave(server, 128 + signum))
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        # The protocol keeps the real stdout; everything else that writes to sys.stdout (a
        # library's print, litellm's handler, which sends records below WARNING to stdout)
        # goes to stderr, or at --log-level INFO its lines would corrupt the LSP stream.
        protocol = sys.stdout.buffer
        sys.stdout = sys.stderr
        server.start_io(sys.stdin.buffer, protocol)
    # Runs cancelled because the editor left without `shutdown` are still closing their
    # sandboxes on their own thread: let them finish, then skip the interpreter's slow teardown
    # of litellm's modules. The exit code says whether shutdown came first.
    # pygls keeps "shutdown came first" only in the protocol's private flag (its own exit
    # handler reads it the same way); no public attribute or hook reports it.
    leave(server, 0 if server.protocol._shutdown else 1)


def leave(server: MicroAgentServer, code: int) -> None:
    """Close what the runs still hold (containers included), flush the logs and exit at once.
    Also on SIGTERM: an editor that stops waiting for `shutdown` (Neovim kills its servers
    half a second after it asks) would otherwise leave the sandboxes running."""
    server.runs.close_now()
    logging.shutdown()
    for stream in (sys.__stdout__, sys.stderr):
        try:
            stream.flush()
        except (ValueError, OSError):  # `exit` already closed stdout
            pass
    os._exit(code)


if __name__ == "__main__":
    main()
