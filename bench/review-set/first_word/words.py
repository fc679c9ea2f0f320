def first_word(text):
    """The first whitespace-separated word of text."""
    return text.split()[0]
