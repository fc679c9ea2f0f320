def average_age(people):
    """The mean of the 'age' field of a list of person dicts."""
    return sum(p["age"] for p in people) / len(people)
