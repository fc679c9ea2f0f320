"""Peer tools run on the same tasks and the same local model as microagent, side by side.

`llama_server` serves the embedded GGUF on loopback, `micro_agent` drives BuilderIO's
micro-agent against it, `tasks` holds the task sets, `run` compares and writes peers.json;
`ts_tasks` and `ts_run` do the same for bench/ts-set (peers-ts.json).
"""
