"""Templates: parsing block structure and rendering with a context.

Blocks::

    {% if cond %} ... {% elif cond %} ... {% else %} ... {% endif %}
    {% for x in seq %} ... {% else %} (empty seq) ... {% endfor %}
    {% for key, value in pairs %} ... {% endfor %}
    {% set name = expr %}

Inside a ``for`` body, ``loop.index`` (1-based), ``loop.first``,
``loop.last`` and ``loop.length`` are available.  Output is HTML-escaped
when *autoescape* is on, except for :class:`filters.Markup` values.
"""

from __future__ import annotations

import re
from collections import ChainMap
from typing import Callable, Mapping

from expr import compile_expression
from filters import FILTERS, escape
from lexer import OUTPUT, TEXT, TemplateSyntaxError, tokenize

_FOR_RE = re.compile(r"^for\s+(\w+)(?:\s*,\s*(\w+))?\s+in\s+(.+)$")
_SET_RE = re.compile(r"^set\s+(\w+)\s*=\s*(.+)$")


class Text:
    def __init__(self, text):
        self.text = text

    def render(self, ctx, out, template):
        out.append(self.text)


class Output:
    def __init__(self, fn):
        self.fn = fn

    def render(self, ctx, out, template):
        value = self.fn(ctx)
        if value is None:
            return
        out.append(escape(value) if template.autoescape else str(value))


class If:
    def __init__(self, branches, else_body):
        self.branches = branches      # list of (condition fn, body nodes)
        self.else_body = else_body

    def render(self, ctx, out, template):
        for condition, body in self.branches:
            if condition(ctx):
                template._render_nodes(body, ctx, out)
                return
        template._render_nodes(self.else_body, ctx, out)


class For:
    def __init__(self, names, iterable, body, else_body):
        self.names = names
        self.iterable = iterable
        self.body = body
        self.else_body = else_body

    def render(self, ctx, out, template):
        items = list(self.iterable(ctx) or [])
        if not items:
            template._render_nodes(self.else_body, ctx, out)
            return
        for i, item in enumerate(items):
            scope = {"loop": {"index": i + 1, "first": i == 0,
                              "last": i == len(items) - 1, "length": len(items)}}
            if len(self.names) == 1:
                scope[self.names[0]] = item
            else:
                scope.update(zip(self.names, item))
            template._render_nodes(self.body, ctx.new_child(scope), out)


class Set:
    def __init__(self, name, fn):
        self.name = name
        self.fn = fn

    def render(self, ctx, out, template):
        ctx[self.name] = self.fn(ctx)


class Template:
    def __init__(self, source: str, autoescape: bool = True,
                 filters: Mapping[str, Callable] | None = None):
        self.autoescape = autoescape
        self.filters = {**FILTERS, **(filters or {})}
        self._tokens = tokenize(source)
        self._pos = 0
        self.nodes = self._parse_until(())

    # -- parsing -----------------------------------------------------------
    def _expr(self, text: str, lineno: int):
        try:
            return compile_expression(text, self.filters)
        except ValueError as exc:
            raise TemplateSyntaxError(str(exc), lineno) from None

    def _parse_until(self, enders: tuple[str, ...]):
        """Parse nodes until a block whose first word is in *enders*; that
        block's token is left as ``self._stop``."""
        nodes = []
        while self._pos < len(self._tokens):
            token = self._tokens[self._pos]
            self._pos += 1
            if token.kind == TEXT:
                nodes.append(Text(token.value))
            elif token.kind == OUTPUT:
                nodes.append(Output(self._expr(token.value, token.lineno)))
            else:
                word = token.value.split()[0]
                if word in enders:
                    self._stop = token
                    return nodes
                nodes.append(self._parse_block(token, word))
        if enders:
            raise TemplateSyntaxError(f"missing {{% {enders[-1]} %}}", self._tokens[-1].lineno)
        return nodes

    def _parse_block(self, token, word):
        if word == "if":
            branches, else_body = [], []
            condition = self._expr(token.value[2:], token.lineno)
            while True:
                body = self._parse_until(("elif", "else", "endif"))
                branches.append((condition, body))
                stop = self._stop
                if stop.value.startswith("elif"):
                    condition = self._expr(stop.value[4:], stop.lineno)
                    continue
                if stop.value == "else":
                    else_body = self._parse_until(("endif",))
                return If(branches, else_body)
        if word == "for":
            match = _FOR_RE.match(token.value)
            if not match:
                raise TemplateSyntaxError(f"bad for loop: {token.value!r}", token.lineno)
            names = tuple(n for n in match.group(1, 2) if n)
            iterable = self._expr(match.group(3), token.lineno)
            body = self._parse_until(("else", "endfor"))
            else_body = []
            if self._stop.value == "else":
                else_body = self._parse_until(("endfor",))
            return For(names, iterable, body, else_body)
        if word == "set":
            match = _SET_RE.match(token.value)
            if not match:
                raise TemplateSyntaxError(f"bad set: {token.value!r}", token.lineno)
            return Set(match.group(1), self._expr(match.group(2), token.lineno))
        raise TemplateSyntaxError(f"unknown or unexpected tag {word!r}", token.lineno)

    # -- rendering ---------------------------------------------------------
    def _render_nodes(self, nodes, ctx, out):
        for node in nodes:
            node.render(ctx, out, self)

    def render(self, context: Mapping | None = None, **kwargs) -> str:
        ctx = ChainMap({}, kwargs, dict(context or {}))
        out: list[str] = []
        self._render_nodes(self.nodes, ctx, out)
        return "".join(out)


def render_string(source: str, context: Mapping | None = None, **kwargs) -> str:
    """Convenience: compile *source* and render it once."""
    return Template(source).render(context, **kwargs)
