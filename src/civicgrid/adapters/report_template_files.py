"""Report templates as data files (YAML or JSON); the packaged ones by name."""

from __future__ import annotations

from datetime import time
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from civicgrid.domain.areas import Level
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.forms import parse_form
from civicgrid.domain.reports import Schedule, TemplateDraft

BUILTIN = {"flood-daily": "flood_daily.yaml"}


def builtin_template(name: str) -> TemplateDraft:
    if name not in BUILTIN:
        raise InvalidInput(f"no packaged template {name!r}; known: {', '.join(BUILTIN)}")
    resource = files("civicgrid") / "data" / "reports" / BUILTIN[name]
    text = resource.read_text(encoding="utf-8")
    return template_from_data(yaml.safe_load(text), where=name)


def load_template_file(path: Path) -> TemplateDraft:
    return template_from_data(yaml.safe_load(path.read_text(encoding="utf-8")), where=str(path))


def template_from_data(data: Any, *, where: str) -> TemplateDraft:
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: a template is a mapping with code, fields, …")
    try:
        return TemplateDraft(
            code=str(data["code"]),
            name_zh=str(data["name_zh"]),
            name_en=str(data.get("name_en", "")),
            submitter_level=Level.from_slug(str(data["submitter_level"])),
            schedule=Schedule(data.get("schedule", "daily")),
            due_time=time.fromisoformat(str(data.get("due_time", "18:00"))),
            fields=parse_form(list(data["fields"]), where=f"{where}: fields"),
        )
    except KeyError as exc:
        raise InvalidInput(f"{where}: {exc.args[0]} is missing") from exc
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc}") from exc
