def parse_port(address):
    """The port of a 'host:port' address, as an int."""
    return int(address.split(":")[1])
