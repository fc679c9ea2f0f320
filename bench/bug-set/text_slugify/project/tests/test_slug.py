import pytest

from slug import is_slug, slug_parts, slugify, title_from_slug, truncate


@pytest.mark.parametrize("text, expected", [
    ("Hello, World!", "hello-world"),
    ("  Crème brûlée: a recipe  ", "creme-brulee-a-recipe"),
    ("C++ & Rust", "c-plus-plus-and-rust"),
    ("Ünïcödé 東京 2024", "unicode-2024"),
    ("", ""),
])
def test_slugify(text, expected):
    assert slugify(text) == expected


def test_separator_and_case():
    assert slugify("Hello World", sep="_", lowercase=False) == "Hello_World"


def test_stopwords_unless_nothing_left():
    assert slugify("The Lord of the Rings", stopwords=("the", "of")) == "lord-rings"
    assert slugify("The Of", stopwords=("the", "of")) == "the-of"


def test_camel_case_option():
    assert slugify("parseHTTPResponse", camel=True) == "parse-http-response"


def test_truncate_inside_a_word_backs_off():
    assert truncate("deploying-kubernetes-clusters", 14) == "deploying"


def test_truncate_at_a_word_end_keeps_the_word():
    assert truncate("deploying-kubernetes-clusters", 20) == "deploying-kubernetes"


def test_truncate_long_first_word_is_cut_hard():
    assert truncate("supercalifragilistic-words", 5) == "super"


def test_slugify_max_length():
    assert slugify("How to train your dragon", max_length=12) == "how-to-train"


@pytest.mark.parametrize("text, expected", [
    ("hello-world", True), ("Hello-world", False), ("hello--world", False), ("", False),
])
def test_is_slug(text, expected):
    assert is_slug(text) is expected


def test_slug_parts_and_titles():
    assert slug_parts("post-12") == ("post", 12)
    assert slug_parts("2024") == ("2024", None)
    assert slug_parts("post-007") == ("post-007", None)
    assert title_from_slug("hello-world-3") == "Hello World"
