def median(xs):
    """The middle value of xs once sorted (the upper one of the two middles)."""
    ordered = sorted(xs)
    return ordered[len(ordered) // 2]
