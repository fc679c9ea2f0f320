"""A memoizing decorator with a bounded, least-recently-used store."""

import functools
import inspect
from collections import OrderedDict
from typing import Any, Callable, Collection, NamedTuple, Optional

from keys import make_key


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    maxsize: Optional[int]
    currsize: int


def memoize(
    maxsize: Optional[int] = 128,
    typed: bool = False,
    ignore: Collection[str] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Cache a function's results by its bound arguments.

    ``maxsize=None`` means unbounded. Exceptions are not cached. The wrapper
    exposes ``cache_info()``, ``cache_clear()`` and ``invalidate(*args,
    **kwargs)`` which forgets a single call's result.
    """
    if maxsize is not None and maxsize < 1:
        raise ValueError("maxsize must be positive or None")
    ignore = frozenset(ignore)

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(func)
        unknown = ignore - set(signature.parameters)
        if unknown:
            raise ValueError(f"ignore names unknown parameters: {sorted(unknown)}")
        store: "OrderedDict[Any, Any]" = OrderedDict()
        counters = {"hits": 0, "misses": 0}

        def key_for(args, kwargs):
            return make_key(signature, args, kwargs, typed=typed, ignore=ignore)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = key_for(args, kwargs)
            if key in store:
                counters["hits"] += 1
                store.move_to_end(key)
                return store[key]
            counters["misses"] += 1
            result = func(*args, **kwargs)
            store[key] = result
            if maxsize is not None and len(store) > maxsize:
                store.popitem(last=False)
            return result

        def cache_info() -> CacheInfo:
            return CacheInfo(counters["hits"], counters["misses"], maxsize, len(store))

        def cache_clear() -> None:
            store.clear()
            counters["hits"] = counters["misses"] = 0

        def invalidate(*args, **kwargs) -> bool:
            return store.pop(key_for(args, kwargs), _ABSENT) is not _ABSENT

        wrapper.cache_info = cache_info
        wrapper.cache_clear = cache_clear
        wrapper.invalidate = invalidate
        return wrapper

    return decorator


_ABSENT = object()
