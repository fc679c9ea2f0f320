import pytest

from resolve import (Outdated, ResolutionError, max_satisfying, min_satisfying,
                     outdated, resolve, sort_versions)

AVAILABLE = {
    "left-pad": ["1.0.0", "1.1.0", "1.1.3", "1.3.0", "2.0.0-rc.1"],
    "tiny": ["0.0.1", "0.0.2", "0.0.3", "0.1.0"],
    "early": ["0.1.0", "0.1.5", "0.2.0"],
}


def test_sort_versions():
    assert sort_versions(["1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.0"]) == [
        "0.9.0", "1.2.0-rc.1", "1.2.0", "1.10.0"]


def test_max_satisfying_caret():
    assert max_satisfying(AVAILABLE["left-pad"], "^1.1.0") == "1.3.0"


def test_max_satisfying_skips_prereleases_by_default():
    assert max_satisfying(AVAILABLE["left-pad"], ">=1.0.0") == "1.3.0"
    assert max_satisfying(AVAILABLE["left-pad"], ">=1.0.0", include_prerelease=True) == "2.0.0-rc.1"


def test_max_satisfying_caret_on_zero_minor():
    assert max_satisfying(AVAILABLE["early"], "^0.1.2") == "0.1.5"


def test_max_satisfying_caret_on_zero_zero_patch():
    assert max_satisfying(AVAILABLE["tiny"], "^0.0.2") == "0.0.2"


def test_min_satisfying():
    assert min_satisfying(AVAILABLE["left-pad"], "~1.1") == "1.1.0"
    assert min_satisfying(AVAILABLE["left-pad"], ">5") is None


def test_resolve_intersects_requirements():
    chosen = resolve(AVAILABLE, {"left-pad": ["^1.0.0", "<1.2.0"], "early": ["~0.1"]})
    assert chosen == {"early": "0.1.5", "left-pad": "1.1.3"}


def test_resolve_pins_zero_zero_versions():
    chosen = resolve(AVAILABLE, {"tiny": ["^0.0.1", ">=0.0.1"]})
    assert chosen == {"tiny": "0.0.1"}


@pytest.mark.parametrize("requirements", [
    {"left-pad": ["^1.0.0", ">=2.0.0"]},
    {"right-pad": ["*"]},
])
def test_resolve_failures(requirements):
    with pytest.raises(ResolutionError):
        resolve(AVAILABLE, requirements)


def test_outdated_report():
    installed = {"left-pad": "1.1.0", "early": "0.2.0", "tiny": "0.0.1"}
    ranges = {"left-pad": "~1.1.0", "early": "^0.2.0", "tiny": "^0.0.1"}
    assert outdated(installed, ranges, AVAILABLE) == [
        Outdated("left-pad", "1.1.0", "1.1.3", "1.3.0"),
        Outdated("tiny", "0.0.1", "0.0.1", "0.1.0"),
    ]
