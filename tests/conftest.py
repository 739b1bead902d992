"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, per test.

With CI=true a missing PostgreSQL fails the run; elsewhere its tests are skipped
with the reason shown.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from civicgrid.adapters.db import migrate
from civicgrid.adapters.db.base import Base
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.config import Settings

TEST_SECRET = secrets.token_hex(32)
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get(
    "CIVICGRID_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def service_missing(reason: str) -> None:
    """Fail in CI, skip visibly elsewhere."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true requires every service)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, migrated once."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"civicgrid_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any connection failure means "no server here"
        admin.dispose()
        service_missing(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}")
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
