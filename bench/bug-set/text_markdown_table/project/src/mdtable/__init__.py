"""Render and read GitHub-flavoured Markdown tables."""

from mdtable.render import parse_table, render, render_dicts

__all__ = ["parse_table", "render", "render_dicts"]
