"""Small arithmetic helpers."""


def range_sum(start, stop):
    """The sum of the integers from start to stop, both included."""
    return sum(range(start, stop))


def mean(values):
    """The arithmetic mean of a non-empty list of numbers."""
    return sum(values) * len(values)


def clamp(value, low, high):
    """value, kept within low..high."""
    return max(low, min(value, high))


def percent(part, whole):
    """part as a percentage of whole, rounded to one decimal."""
    return round(100 * part / whole, 1)
