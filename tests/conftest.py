"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, per test.

With CI=true a missing PostgreSQL fails the run; elsewhere its tests are skipped
with the reason shown. The PostgreSQL set-up itself is `tests/fixtures.py`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from civicgrid.adapters.db import migrate
from civicgrid.adapters.db.base import Base
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.config import Settings
from tests.fixtures import IN_CI as IN_CI
from tests.fixtures import PG_ADMIN_URL as PG_ADMIN_URL
from tests.fixtures import TEST_SECRET, throwaway_pg_database
from tests.fixtures import service_missing as service_missing


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, migrated once."""
    with throwaway_pg_database() as url:
        yield url


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated, empty database on each engine."""
    if request.param == "sqlite":
        sqlite_url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
        migrate.upgrade(sqlite_url)
        return sqlite_url
    pg_url: str = request.getfixturevalue("pg_database")
    _truncate_postgres(pg_url)
    return pg_url


@pytest.fixture
def container(database_url: str, tmp_path: Path) -> Iterator[Container]:
    settings = Settings(
        env="test", secret_key=TEST_SECRET, database_url=database_url, data_dir=tmp_path / "var"
    )
    built = bootstrap(settings)
    yield built
    built.dispose()
