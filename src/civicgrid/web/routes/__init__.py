"""The web pages' routes, one module per page family."""
