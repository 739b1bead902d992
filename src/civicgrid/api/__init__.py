"""The HTTP API: thin handlers that parse input, call a use case and map errors."""
