"""LSP features, one per module; each has a `register(server)` that adds its handlers."""
