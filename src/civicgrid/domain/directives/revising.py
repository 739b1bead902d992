"""Revisions: what changed between two versions, and whether units must sign again."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from civicgrid.domain.directives.model import Content

# A change here alters what units must do, so they sign again; a later deadline, a
# priority or an English text changes nothing they agreed to.
_MATERIAL = frozenset({"title_zh", "body_zh", "form", "attachments"})


def _show(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_show(v) for v in value]
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def changes(old: Content, new: Content) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field that differs, JSON-ready."""
    found: dict[str, list[Any]] = {}
    for spec in fields(Content):
        before, after = getattr(old, spec.name), getattr(new, spec.name)
        if before != after:
            found[spec.name] = [_show(before), _show(after)]
    return found


def is_material(old: Content, new: Content) -> bool:
    changed = set(changes(old, new))
    if changed & _MATERIAL:
        return True
    for deadline in ("sign_deadline_at", "complete_deadline_at"):
        before, after = getattr(old, deadline), getattr(new, deadline)
        if deadline in changed and (after is None or before is None or after < before):
            return True  # less time than agreed
    return False
