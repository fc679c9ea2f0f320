import pytest

from durations.units import (HOUR, MINUTE, SECOND, UnknownUnitError, canonical_unit,
                             round_to, split, unit_size, units_from)


@pytest.mark.parametrize("name, expected", [("Hours", "h"), ("µs", "us")])
def test_canonical_unit(name, expected):
    assert canonical_unit(name) == expected


def test_unknown_unit_suggests_a_fix():
    with pytest.raises(UnknownUnitError, match="did you mean 'hour'"):
        canonical_unit("hourz")


def test_unit_size_and_range():
    assert unit_size("minutes") == 60 * SECOND
    assert units_from("h", "s") == ("h", "m", "s")
    with pytest.raises(ValueError):
        units_from("s", "h")


def test_split_mixed_amount():
    assert split(2 * HOUR + 30 * MINUTE + 15 * SECOND, ("h", "m", "s")) == [
        ("h", 2), ("m", 30), ("s", 15)]


def test_split_discards_below_last_unit():
    assert split(90 * SECOND + 500, ("m", "s")) == [("m", 1), ("s", 30)]


def test_split_rejects_negative():
    with pytest.raises(ValueError):
        split(-1)


@pytest.mark.parametrize("micros, size, expected", [(1499, 1000, 1000), (1500, 1000, 2000)])
def test_round_to_halves_up(micros, size, expected):
    assert round_to(micros, size) == expected
