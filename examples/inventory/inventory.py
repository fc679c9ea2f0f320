"""The stock of a small shop: how many of each item, at what unit price."""


class Inventory:
    def __init__(self):
        self.items = {}  # name -> [quantity, unit_price]

    def add(self, name, quantity, unit_price):
        """Add quantity of name at unit_price; a later price replaces the earlier one."""
        raise NotImplementedError

    def remove(self, name, quantity):
        """Take quantity of name out of stock; ValueError if there is not that much in stock."""
        raise NotImplementedError

    def quantity(self, name):
        """How many of name are in stock (0 for an unknown item)."""
        raise NotImplementedError

    def total_value(self):
        """The value of everything in stock: the sum of quantity * unit_price."""
        raise NotImplementedError
