"""Argument types and parsing helpers shared by `civicgrid directives` and `civicgrid reports`."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
import yaml

from civicgrid.domain.errors import InvalidInput

DirectiveId = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The directive's id")]
UnitCode = Annotated[str, typer.Argument(help="The unit's area code")]
FromArea = Annotated[str | None, typer.Option("--from", help="Issuing area (default: yours)")]
Within = Annotated[str | None, typer.Option(help="Select inside this area (default: issuer's)")]
AtLevel = Annotated[str | None, typer.Option("--level", help="Every unit at this level")]
Tags = Annotated[list[str] | None, typer.Option("--tag", help="Units carrying this tag")]
Codes = Annotated[list[str] | None, typer.Option("--code", help="This unit (repeatable)")]


def moment(text: str, zone: str, now: datetime) -> datetime:
    """An ISO 8601 instant, or "HH:MM" today in `zone` (what officers write: "by 18:00")."""
    tz = ZoneInfo(zone)
    try:
        if len(text) == 5 and text[2] == ":":
            clock = time.fromisoformat(text)
            local = datetime.combine(now.astimezone(tz).date(), clock, tzinfo=tz)
            return local.astimezone(now.tzinfo)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is neither HH:MM nor an ISO 8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def read_fields(path: Path | None, specs: list[str]) -> list[dict[str, Any]]:
    """Form fields from a JSON/YAML file and/or `key:type:label[:optional]` options."""
    fields: list[dict[str, Any]] = []
    if path is not None:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = loaded.get("fields", loaded) if isinstance(loaded, dict) else loaded
        if not isinstance(items, list):
            raise InvalidInput(f"{path}: expected a list of fields", field="form")
        fields.extend(items)
    for spec in specs:
        parts = spec.split(":")
        if len(parts) < 3:
            raise InvalidInput(f"--field {spec!r}: write key:type:label[:optional]", field="form")
        key, kind, label = parts[:3]
        choices = parts[3].split("|") if kind == "choice" and len(parts) > 3 else []
        fields.append(
            {
                "key": key,
                "type": kind,
                "label_zh": label,
                "required": "optional" not in parts[3:],
                "choices": choices,
            }
        )
    return fields


def read_values(pairs: list[str]) -> dict[str, Any]:
    """`key=value` options; a value that reads as JSON (3, true, {...}) is taken as such."""
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep:
            raise InvalidInput(f"--value {pair!r}: write key=value", field="values")
        try:
            values[key] = json.loads(raw)
        except json.JSONDecodeError:
            values[key] = raw
    return values
