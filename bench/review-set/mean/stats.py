def mean(xs):
    """The arithmetic mean of the numbers in xs."""
    return sum(xs) / len(xs)
