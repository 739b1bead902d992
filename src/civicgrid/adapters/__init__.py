"""Adapters: storage, spatial index, files. They implement the use cases' ports."""
