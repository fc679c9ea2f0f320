"""The roles' prompts: plain text templates in agents/prompts/, `<role>_system.txt` plus one file
a kind of request (`coder_fix.txt`, `reviewer_code.txt`), and the chat a role sends: its system
prompt, then one user turn made from a template. Pure text; it never calls a model."""

from __future__ import annotations

from importlib import resources
from string import Template


def prompt_text(name: str) -> Template:
    return Template(resources.files("microagent.agents.prompts").joinpath(f"{name}.txt").read_text("utf-8"))


class RolePrompts:
    def __init__(self, role: str, *uses: str) -> None:
        self.system = prompt_text(f"{role}_system").substitute()
        self.templates = {use: prompt_text(f"{role}_{use}" if use else role) for use in uses}

    def chat(self, use: str, **values: str) -> list[dict]:
        """The messages for one request: `use` names the template ("" for `<role>.txt`)."""
        user = self.templates[use].substitute(**values)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]
