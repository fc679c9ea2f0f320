import pytest

from stats import average_word_length, most_common_word, word_count


def test_word_count_of_a_plain_sentence():
    assert word_count("the cat sat") == 3


def test_word_count_ignores_extra_spaces():
    assert word_count("the  cat   sat") == 3


def test_word_count_across_lines():
    assert word_count("the cat\nsat on\nthe mat") == 6


def test_most_common_word_ignores_case_and_punctuation():
    assert most_common_word("The cat saw the dog. The end!") == "the"


def test_average_word_length_with_a_double_space():
    assert average_word_length("ab  abcd") == pytest.approx(3.0)
