from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from civicgrid.adapters.db import migrate
from civicgrid.adapters.db.base import Base


def test_migrations_go_down_to_nothing_and_back_up(database_url: str) -> None:
    migrate.downgrade(database_url, "base")
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(database_url, "head")
    assert {"areas", "users", "role_grants", "api_tokens"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_migrated_schema_matches_the_table_mappings(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == []


def test_alembic_reports_a_single_head(database_url: str) -> None:
    config = migrate.alembic_config(database_url)
    command.check(config)
