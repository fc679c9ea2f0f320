import pytest

from semver import Version, VersionError, compare_prerelease


def test_parse_and_str():
    v = Version.parse("v1.2.3-rc.1+build.5")
    assert v.release == (1, 2, 3)
    assert v.prerelease == ("rc", "1")
    assert v.build == ("build", "5")
    assert str(v) == "1.2.3-rc.1+build.5"


@pytest.mark.parametrize("text", ["1.2", "01.2.3", "1.2.3-01", "1.2.3+"])
def test_invalid_versions(text):
    with pytest.raises(VersionError):
        Version.parse(text)


def test_specification_precedence_chain():
    chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
             "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]
    versions = [Version.parse(t) for t in chain]
    assert sorted(reversed(versions)) == versions


def test_build_metadata_is_ignored_for_equality():
    assert Version.parse("1.0.0+a") == Version.parse("1.0.0+b")
    assert len({Version.parse("1.0.0+a"), Version.parse("1.0.0")}) == 1


def test_compare_prerelease_release_is_highest():
    assert compare_prerelease((), ("rc",)) == 1
    assert compare_prerelease(("rc",), ()) == -1
    assert compare_prerelease((), ()) == 0


@pytest.mark.parametrize("start, part, expected", [
    ("1.2.3", "major", "2.0.0"),
    ("1.2.0-rc.1", "minor", "1.2.0"),
    ("1.2.3", "pre", "1.2.4-rc.0"),
    ("1.2.4-rc.0", "pre", "1.2.4-rc.1"),
    ("1.2.4-beta", "pre", "1.2.4-beta.0"),
])
def test_bump(start, part, expected):
    assert str(Version.parse(start).bump(part)) == expected


def test_versions_are_immutable():
    with pytest.raises(AttributeError):
        Version.parse("1.0.0").major = 2
