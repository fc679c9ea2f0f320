import pytest

from headers import parse_retry_after, read_rate_limit_headers
from limiter import Policy, RateLimiter


def limiter(**policies):
    policies = policies or {"api": Policy(limit=4, period=16)}
    return RateLimiter(policies, default=next(iter(policies)))


def test_burst_up_to_limit_then_denied():
    rl = limiter()
    decisions = [rl.check("ann", 0) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, True, False]
    assert [d.remaining for d in decisions] == [3, 2, 1, 0, 0]


def test_allowed_response_has_no_retry_after():
    decision = limiter().check("ann", 0)
    assert decision.headers == {"X-RateLimit-Limit": "4", "X-RateLimit-Remaining": "3"}


def test_remaining_header_is_floored():
    rl = limiter()
    for _ in range(4):
        rl.check("ann", 0)
    decision = rl.check("ann", 6)
    assert decision.allowed
    assert decision.remaining == 0.5
    assert decision.headers["X-RateLimit-Remaining"] == "0"


def test_retry_after_rounds_up_to_whole_seconds():
    rl = limiter()
    for _ in range(4):
        rl.check("ann", 0)
    decision = rl.check("ann", 1.5)
    assert not decision.allowed
    assert decision.wait == 2.5
    assert decision.headers["Retry-After"] == "3"


def test_retry_after_is_at_least_one_second():
    rl = limiter()
    for _ in range(4):
        rl.check("ann", 0)
    decision = rl.check("ann", 3.75)
    assert decision.wait == 0.25
    assert decision.headers["Retry-After"] == "1"


def test_window_policy_retry_after():
    rl = limiter(strict=Policy(limit=3, period=10, kind="window"))
    for t in (0, 1, 2):
        assert rl.check("bob", t).allowed
    decision = rl.check("bob", 3.5)
    assert decision.wait == 6.5
    assert decision.headers["Retry-After"] == "7"


def test_client_honouring_retry_after_is_admitted_on_first_retry():
    rl = limiter(api=Policy(limit=2, period=5))
    now = 0.0
    admitted = 0
    denied_in_a_row = 0
    while admitted < 12:
        decision = rl.check("carol", now)
        if decision.allowed:
            admitted += 1
            denied_in_a_row = 0
            now += 0.2
        else:
            denied_in_a_row += 1
            assert denied_in_a_row == 1, f"denied again at t={now}"
            now += parse_retry_after(decision.headers["Retry-After"])


def test_clients_are_limited_separately():
    rl = limiter()
    for _ in range(4):
        rl.check("ann", 0)
    assert not rl.check("ann", 0).allowed
    assert rl.check("bob", 0).allowed


def test_policies_are_separate_budgets():
    rl = limiter(read=Policy(limit=2, period=8), write=Policy(limit=1, period=8))
    assert rl.check("ann", 0, policy="write").allowed
    assert not rl.check("ann", 0, policy="write").allowed
    assert rl.check("ann", 0).allowed
    assert rl.check("ann", 0, policy="read").allowed
    assert not rl.check("ann", 0).allowed


def test_cost_above_limit_is_an_error():
    with pytest.raises(ValueError):
        limiter().check("ann", 0, cost=5)


def test_prune_forgets_idle_clients():
    rl = limiter()
    rl.check("ann", 0)
    rl.check("bob", 50)
    assert rl.prune(now=60, idle=30) == 1
    assert rl.tracked() == 1


def test_configuration_errors():
    with pytest.raises(ValueError):
        RateLimiter({"a": Policy(1, 1)}, default="b")
    with pytest.raises(ValueError):
        Policy(1, 1, kind="leaky")


@pytest.mark.parametrize("value, seconds", [("3", 3), (" 12 ", 12)])
def test_parse_retry_after(value, seconds):
    assert parse_retry_after(value) == seconds


def test_parse_retry_after_rejects_dates():
    with pytest.raises(ValueError):
        parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")


def test_client_reads_headers_case_insensitively():
    info = read_rate_limit_headers({"x-ratelimit-limit": "4", "X-RATELIMIT-REMAINING": "0", "retry-after": "3"})
    assert (info.limit, info.remaining, info.retry_after) == (4, 0, 3)
    assert info.throttled
    assert not read_rate_limit_headers({"X-RateLimit-Limit": "4"}).throttled
