def normalize(values):
    """The values divided by the largest of them, so the largest becomes 1.0."""
    top = max(values)
    return [v / top for v in values]
