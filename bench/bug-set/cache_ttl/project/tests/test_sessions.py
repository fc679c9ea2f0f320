import pytest

from ttlcache import ManualClock, SessionExpired, SessionStore


@pytest.fixture
def clock():
    return ManualClock(start=0.0)


def test_login_then_validate(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    token = store.login("ann")
    assert store.validate(token) == "ann"


def test_tokens_are_distinct_and_deterministic(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    first = store.login("ann")
    second = store.login("ann")
    assert first != second
    assert SessionStore(30, ManualClock()).login("ann") == first


def test_unknown_token_rejected(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    with pytest.raises(SessionExpired):
        store.validate("nope")


def test_activity_keeps_session_alive(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    token = store.login("ann")
    for _ in range(4):
        clock.advance(20)
        assert store.validate(token) == "ann"


def test_session_times_out_after_idle_period(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    token = store.login("ann")
    clock.advance(10)
    store.validate(token)
    clock.advance(30)
    with pytest.raises(SessionExpired):
        store.validate(token)


def test_logout(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    token = store.login("ann")
    store.logout(token)
    with pytest.raises(SessionExpired):
        store.validate(token)
    assert store.active_users() == []


def test_logout_everywhere(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    tokens = [store.login("ann") for _ in range(3)]
    other = store.login("bob")
    assert store.logout_everywhere("ann") == 3
    for token in tokens:
        with pytest.raises(SessionExpired):
            store.validate(token)
    assert store.validate(other) == "bob"


def test_active_users_and_sweep(clock):
    store = SessionStore(idle_timeout=30, clock=clock)
    store.login("ann")
    clock.advance(15)
    store.login("bob")
    clock.advance(15)
    assert store.active_users() == ["bob"]
    assert store.sweep() == 1
    assert store.sweep() == 0
