import pytest

from registry import SlugRegistry


def test_collisions_get_numeric_suffixes():
    reg = SlugRegistry()
    assert [reg.claim("My Post") for _ in range(3)] == ["my-post", "my-post-2", "my-post-3"]


def test_reserved_words_are_skipped():
    reg = SlugRegistry(reserved={"admin", "login"})
    assert reg.claim("Admin") == "admin-2"
    assert reg.claim("Log in") == "log-in"


def test_empty_title_uses_fallback():
    reg = SlugRegistry()
    assert reg.claim("!!!") == "untitled"
    assert reg.claim("東京") == "untitled-2"


def test_suffix_respects_max_length():
    reg = SlugRegistry(max_length=12)
    assert reg.claim("Quarterly report") == "quarterly"
    assert reg.claim("Quarterly report") == "quarterly-2"


def test_suffix_shortens_base_at_word_boundary():
    reg = SlugRegistry(max_length=10)
    assert reg.claim("big red dog house") == "big-red"
    assert reg.claim("big red dog house") == "big-red-2"


def test_suffix_shortening_keeps_whole_last_word():
    reg = SlugRegistry(max_length=14)
    assert reg.claim("Release plan B") == "release-plan-b"
    assert reg.claim("Release plan B") == "release-plan-2"


def test_release_and_reclaim():
    reg = SlugRegistry()
    slug = reg.claim("Notes")
    reg.release(slug)
    assert "notes" not in reg
    assert reg.claim("Notes") == "notes"
    with pytest.raises(KeyError):
        reg.release("never-claimed")


def test_rename_keeps_slug_for_same_base():
    reg = SlugRegistry.from_existing(["release-notes", "release-notes-2"])
    assert reg.rename("release-notes-2", "Release notes!") == "release-notes-2"
    assert reg.rename("release-notes-2", "Changelog") == "changelog"
    assert len(reg) == 2


def test_from_existing_rejects_duplicates():
    with pytest.raises(ValueError):
        SlugRegistry.from_existing(["a", "a"])


def test_tiny_max_length():
    reg = SlugRegistry(max_length=2)
    assert reg.claim("xyz") == "xy"
    with pytest.raises(ValueError):
        reg.claim("xyz")
