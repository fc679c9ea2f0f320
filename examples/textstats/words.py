"""Splitting text into words."""


def tokenize(text):
    """The words of text, lowercased, without surrounding punctuation."""
    return [word.strip(".,;:!?\"'()").lower() for word in text.split(" ")]
