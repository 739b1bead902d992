"""Typed settings, read from CIVICGRID_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"  # noqa: S105 - the known placeholder the app refuses in production

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CIVICGRID_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means SQLite at <data_dir>/civicgrid.sqlite3",
    )
    secret_key: str = PLACEHOLDER_SECRET
    snap_tolerance_m: float = Field(default=50.0, ge=0, le=5000)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    attachment_max_bytes: int = Field(default=10 * 1_048_576, ge=1024, le=1024 * 1_048_576)
    zone: str = Field(default="Asia/Shanghai", description="Where working time is counted")
    categories_file: Path | None = Field(
        default=None, description="A category tree (YAML or CSV); default: the packaged one"
    )
    calendar_file: Path | None = Field(
        default=None,
        description="Extra holidays and 调休 workdays (YAML), over the packaged China calendar",
    )
    alert_rules_file: Path | None = Field(
        default=None, description="Alert rules (YAML); default: the packaged ones"
    )
    readings_retention_days: int = Field(
        default=90, ge=1, le=3650, description="Raw sensor readings are pruned after this"
    )
    feed_url: str = Field(
        default="memory",
        pattern=r"^(memory|(nats|tls)://[^\s,]+(,(nats|tls)://[^\s,]+)*)$",
        description="The live feed: 'memory' (one process) or NATS URLs, comma-separated",
    )
    feed_subject: str = Field(
        default="civicgrid.feed",
        pattern=r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$",
        description="NATS subject prefix; instances sharing a broker need their own",
    )
    tick_seconds: float = Field(
        default=30.0, ge=0, le=3600, description="Escalation tick period; 0: no scheduler here"
    )
    warm_start: bool | None = Field(
        default=None,
        description="Build the locator, the areas' chains and the rules as the server starts, "
        "then keep them out of the garbage collector's full passes (each would otherwise "
        "walk them: ~0.1 s, felt as a stall by every request waiting). Default: on, "
        "except in env=test, where many short-lived applications start.",
    )
    citizen_reopen_days: int = Field(
        default=7, ge=0, le=365, description="Days after closing a reporter may reopen a case"
    )
    citizen_max_reopens: int = Field(default=1, ge=0, le=10)
    public_rate_per_minute: float = Field(
        default=120.0,
        ge=0,
        description="Requests a minute per client on public endpoints; 0: off. Off by "
        "default in env=test (tests share one client address); set it to test limiting.",
    )
    public_rate_burst: int = Field(default=30, ge=1, le=100_000)
    open311_jurisdiction: str = Field(
        default="", max_length=200, description="Open311 jurisdiction_id; empty: any or none"
    )
    open311_contact: str = Field(default="Contact the city's grid management centre.")
    open311_key_service: str = Field(
        default="Ask the grid management centre for an API key (civicgrid open311 keys add)."
    )

    @property
    def warm_start_on(self) -> bool:
        return self.warm_start if self.warm_start is not None else self.env != "test"

    @model_validator(mode="after")
    def _no_rate_limit_in_tests_unless_asked(self) -> Settings:
        if self.env == "test" and "public_rate_per_minute" not in self.model_fields_set:
            self.public_rate_per_minute = 0.0
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.env != "development" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError(
                f"CIVICGRID_SECRET_KEY is the placeholder; set a real secret for env {self.env}"
            )
        if self.env != "development" and len(self.secret_key) < 32:
            raise ValueError(f"CIVICGRID_SECRET_KEY must be at least 32 characters ({self.env})")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'civicgrid.sqlite3').as_posix()}"
