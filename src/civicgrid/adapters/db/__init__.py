"""Relational storage on SQLite (embedded default) or PostgreSQL (deployments)."""
