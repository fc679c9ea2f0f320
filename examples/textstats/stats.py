"""Word statistics over a piece of text."""

from collections import Counter

from words import tokenize


def word_count(text):
    """How many words text holds."""
    return len(tokenize(text))


def most_common_word(text):
    """The word used most often; the earliest one on a tie."""
    return Counter(tokenize(text)).most_common(1)[0][0]


def average_word_length(text):
    """The mean length of the words of text."""
    words = tokenize(text)
    return sum(len(word) for word in words) / len(words)
