"""Turn a function call into a hashable cache key.

Two calls get the same key exactly when they bind the same values to the
same parameters, however the caller spelled them: positionally, by keyword,
in a different keyword order, or by leaving a parameter at its default.
"""

import inspect
from typing import Any, Collection, Dict, Hashable, Tuple


class UnhashableArgument(TypeError):
    """An argument cannot be turned into part of a cache key."""


def freeze(value: Any) -> Hashable:
    """Return a hashable stand-in for ``value``.

    Lists and tuples become tuples, sets become frozensets and dicts become
    frozensets of their items, recursively; any other hashable value is
    returned unchanged. A list and a tuple with the same items freeze to the
    same key on purpose.
    """
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(freeze(v) for v in value)
    if isinstance(value, dict):
        return frozenset((freeze(k), freeze(v)) for k, v in value.items())
    try:
        hash(value)
    except TypeError:
        raise UnhashableArgument(
            f"cannot use {type(value).__name__} value as part of a cache key"
        ) from None
    return value


def _typed(value: Hashable, typed: bool) -> Hashable:
    if not typed:
        return value
    return (type(value).__name__, value)


def make_key(
    signature: inspect.Signature,
    args: Tuple[Any, ...],
    kwargs: Dict[str, Any],
    typed: bool = False,
    ignore: Collection[str] = (),
) -> Tuple[Hashable, ...]:
    """Key for calling a function of ``signature`` with ``args``/``kwargs``.

    ``typed`` keeps ``1`` and ``1.0`` apart; names in ``ignore`` (a logger,
    a connection...) do not take part in the key at all. Raises ``TypeError``
    when the arguments do not fit the signature, like the call itself would.
    """
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    parts = []
    for name, value in bound.arguments.items():
        if name in ignore:
            continue
        kind = signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            frozen = tuple(_typed(freeze(v), typed) for v in value)
        elif kind is inspect.Parameter.VAR_KEYWORD:
            frozen = tuple(
                sorted((k, _typed(freeze(v), typed)) for k, v in value.items())
            )
        else:
            frozen = _typed(freeze(value), typed)
        parts.append((name, frozen))
    return tuple(parts)
