"""The OpenAI-compatible HTTP front door: `POST /v1/chat/completions` turns a chat into a Task,
runs it through `microagent.agents.runtime.run_task` and answers like a chat model would.

It holds no repair logic and shares nothing with the language server; generated code only
ever runs in the sandbox that `agents` opens.
"""
