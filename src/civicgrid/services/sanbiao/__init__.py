"""三标 use cases: one module per concept, each a few verb-named functions."""
