import pytest

from ranges import Range, RangeError


@pytest.mark.parametrize("spec, normalised", [
    ("^1.2.3", ">=1.2.3 <2.0.0"),
    ("^0.2.3", ">=0.2.3 <0.3.0"),
    ("^0.0", ">=0.0.0 <0.1.0"),
    ("~1.2.3", ">=1.2.3 <1.3.0"),
    ("1.x", ">=1.0.0 <2.0.0"),
    (">1.2", ">=1.3.0"),
    ("<=1.2", "<1.3.0"),
    ("1.2.3 - 2.3", ">=1.2.3 <2.4.0"),
    (">= 1.0.0 < 1.5.0 || 2.x", ">=1.0.0 <1.5.0 || >=2.0.0 <3.0.0"),
])
def test_normalised_form(spec, normalised):
    assert str(Range(spec)) == normalised


def test_contains_with_union():
    rng = Range("<1.0.0 || >=2.1.0")
    assert "0.9.9" in rng
    assert "2.1.0" in rng
    assert "1.5.0" not in rng


def test_prerelease_only_matches_same_tuple():
    rng = Range(">=1.2.3-beta.2 <2.0.0")
    assert rng.contains("1.2.3-beta.4")
    assert not rng.contains("1.2.4-beta.1")
    assert rng.contains("1.2.4-beta.1", include_prerelease=True)


def test_caret_excludes_next_major_prerelease():
    assert not Range("^1.2.3").contains("2.0.0-rc.1")


@pytest.mark.parametrize("spec", ["1.2.3.4", "* - 2.0.0", "~"])
def test_bad_ranges(spec):
    with pytest.raises(RangeError):
        Range(spec)
