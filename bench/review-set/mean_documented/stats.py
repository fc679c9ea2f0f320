def mean(xs):
    """The arithmetic mean of a non-empty list of numbers."""
    return sum(xs) / len(xs)
