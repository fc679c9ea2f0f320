import pytest

from memo import CacheInfo, memoize


def counted(func):
    calls = []

    def wrapper(*args, **kwargs):
        calls.append((args, kwargs))
        return func(*args, **kwargs)

    wrapper.calls = calls
    return wrapper


def test_repeated_call_is_served_from_cache():
    @memoize()
    @counted
    def square(x):
        return x * x

    assert square(4) == 16
    assert square(4) == 16
    assert square.cache_info() == CacheInfo(hits=1, misses=1, maxsize=128, currsize=1)


def test_keyword_and_positional_calls_share_entry():
    @memoize()
    def area(width, height):
        return width * height

    area(2, 3)
    area(width=2, height=3)
    area(2, height=3)
    assert area.cache_info().misses == 1


def test_explicit_default_shares_entry_with_omitted_default():
    impl = counted(lambda amount, currency="EUR": f"{amount:.2f} {currency}")

    @memoize()
    def fmt(amount, currency="EUR"):
        return impl(amount, currency)

    assert fmt(5) == "5.00 EUR"
    assert fmt(5, "EUR") == "5.00 EUR"
    assert fmt(5, currency="EUR") == "5.00 EUR"
    assert len(impl.calls) == 1


def test_default_kwonly_argument_shares_entry():
    @memoize()
    def search(term, *, limit=10):
        return [term] * limit

    search("a")
    search("a", limit=10)
    search("a", limit=3)
    assert search.cache_info() == CacheInfo(hits=1, misses=2, maxsize=128, currsize=2)


def test_invalidate_single_call_by_any_spelling():
    @memoize()
    def load(name, version=1):
        return (name, version)

    load("x")
    assert load.invalidate("x", version=1) is True
    assert load.invalidate("x") is False
    assert load.cache_info().currsize == 0


def test_unhashable_arguments_are_frozen():
    @memoize()
    def total(values, weights=None):
        weights = weights or {}
        return sum(v * weights.get(i, 1) for i, v in enumerate(values))

    assert total([1, 2, 3], {0: 10}) == 15
    assert total([1, 2, 3], {0: 10}) == 15
    assert total.cache_info().hits == 1


def test_lru_eviction_when_full():
    @memoize(maxsize=2)
    def ident(x):
        return x

    ident(1)
    ident(2)
    ident(1)
    ident(3)
    ident(1)
    ident(2)
    assert ident.cache_info() == CacheInfo(hits=2, misses=4, maxsize=2, currsize=2)


def test_exceptions_are_not_cached():
    attempts = []

    @memoize()
    def flaky(x):
        attempts.append(x)
        if len(attempts) == 1:
            raise RuntimeError("first call fails")
        return x

    with pytest.raises(RuntimeError):
        flaky(1)
    assert flaky(1) == 1
    assert attempts == [1, 1]


def test_ignored_argument_does_not_split_cache():
    @memoize(ignore={"log"})
    def compute(x, log=None):
        if log is not None:
            log.append(x)
        return x + 1

    first, second = [], []
    compute(1, log=first)
    compute(1, log=second)
    assert first == [1]
    assert second == []


def test_ignore_must_name_parameters():
    with pytest.raises(ValueError):
        memoize(ignore={"nope"})(lambda x: x)


def test_typed_option():
    @memoize(typed=True)
    def describe(x):
        return type(x).__name__

    assert describe(1) == "int"
    assert describe(1.0) == "float"


def test_cache_clear_resets_counters():
    @memoize(maxsize=None)
    def ident(x):
        return x

    for i in range(5):
        ident(i)
    ident.cache_clear()
    assert ident.cache_info() == CacheInfo(0, 0, None, 0)


def test_wraps_metadata():
    @memoize()
    def documented(x):
        """Doc here."""
        return x

    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Doc here."
