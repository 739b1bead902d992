"""Small typed forms: what a directive asks back and what a report template collects.

A form is a list of fields; an answer is a JSON object keyed by field. Checking an
answer names the first field at fault, so a caller gets a 4xx saying what to fix.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from civicgrid.domain.errors import InvalidInput

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 50
MAX_TEXT = 4000
MAX_PHOTOS = 20


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    CHOICE = "choice"
    PHOTO = "photo"  # one or more attachment ids, uploaded first
    YES_NO = "yes_no"
    LOCATION = "location"  # {"lon": …, "lat": …}


class Aggregate(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"


@dataclass(frozen=True, slots=True)
class FormField:
    key: str
    type: FieldType
    label_zh: str
    label_en: str = ""
    required: bool = True
    choices: tuple[str, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()  # numbers only: how levels above sum them up

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type.value,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "required": self.required,
            "choices": list(self.choices),
            "aggregates": [a.value for a in self.aggregates],
        }


Form = tuple[FormField, ...]


def parse_form(raw: list[dict[str, Any]], *, where: str = "form") -> Form:
    """Field definitions from JSON-like data; InvalidInput names the bad one."""
    if len(raw) > MAX_FIELDS:
        raise InvalidInput(f"a form has at most {MAX_FIELDS} fields", field=where)
    fields: list[FormField] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        key = str(item.get("key", ""))
        if not KEY.match(key):
            raise InvalidInput(
                f"{at}: key {key!r} must be lower-case letters, digits and _", field=at
            )
        if key in seen:
            raise InvalidInput(f"{at}: key {key!r} appears twice", field=at)
        seen.add(key)
        try:
            kind = FieldType(str(item.get("type")))
        except ValueError:
            names = ", ".join(t.value for t in FieldType)
            raise InvalidInput(
                f"{at}: type {item.get('type')!r} is not one of {names}", field=at
            ) from None
        choices = tuple(str(c) for c in item.get("choices") or ())
        if kind is FieldType.CHOICE and not choices:
            raise InvalidInput(f"{at}: a choice field needs choices", field=at)
        try:
            aggregates = tuple(Aggregate(a) for a in item.get("aggregates") or ())
        except ValueError:
            raise InvalidInput(f"{at}: aggregates are sum, mean, min or max", field=at) from None
        if aggregates and kind is not FieldType.NUMBER:
            raise InvalidInput(f"{at}: only number fields aggregate", field=at)
        label_zh = str(item.get("label_zh") or "").strip()
        if not label_zh:
            raise InvalidInput(f"{at}: label_zh is required", field=at)
        texts = [key, label_zh, str(item.get("label_en") or ""), *choices]
        if any("\x00" in text for text in texts):
            raise InvalidInput(f"{at}: text cannot contain the NUL character", field=at)
        fields.append(
            FormField(
                key=key,
                type=kind,
                label_zh=label_zh,
                label_en=str(item.get("label_en") or ""),
                required=bool(item.get("required", True)),
                choices=choices,
                aggregates=aggregates,
            )
        )
    return tuple(fields)


def check_answer(form: Form, values: dict[str, Any], *, where: str = "values") -> dict[str, Any]:
    """The answer, cleaned (numbers as float, photos as lists); raises on the first fault."""
    known = {f.key for f in form}
    if unknown := sorted(set(values) - known):
        raise InvalidInput(
            f"{where}: unknown field(s) {', '.join(unknown)}", field=f"{where}.{unknown[0]}"
        )
    clean: dict[str, Any] = {}
    for spec in form:
        at = f"{where}.{spec.key}"
        value = values.get(spec.key)
        if value is None or value == "" or value == []:
            if spec.required:
                raise InvalidInput(f"{at} is required ({spec.label_zh})", field=at)
            continue
        clean[spec.key] = _checked(spec, value, at)
    return clean


def photo_ids(form: Form, answer: dict[str, Any]) -> list[str]:
    """Every attachment id named by the photo fields of a checked answer."""
    ids: list[str] = []
    for spec in form:
        if spec.type is FieldType.PHOTO:
            ids.extend(answer.get(spec.key, []))
    return ids


def _checked(spec: FormField, value: Any, at: str) -> Any:
    kind = spec.type
    if kind is FieldType.TEXT:
        if not isinstance(value, str):
            raise InvalidInput(f"{at} must be text", field=at)
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"{at} is longer than {MAX_TEXT} characters", field=at)
        if "\x00" in value:  # no database stores it
            raise InvalidInput(f"{at} cannot contain the NUL character", field=at)
        return value
    if kind is FieldType.NUMBER:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InvalidInput(f"{at} must be a number", field=at)
        return float(value)
    if kind is FieldType.CHOICE:
        if value not in spec.choices:
            raise InvalidInput(f"{at} must be one of {', '.join(spec.choices)}", field=at)
        return value
    if kind is FieldType.YES_NO:
        if not isinstance(value, bool):
            raise InvalidInput(f"{at} must be true or false", field=at)
        return value
    if kind is FieldType.PHOTO:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise InvalidInput(f"{at} must be attachment ids (upload the photos first)", field=at)
        if len(items) > MAX_PHOTOS:
            raise InvalidInput(f"{at} takes at most {MAX_PHOTOS} photos", field=at)
        return list(dict.fromkeys(items))
    return _location(value, at)


def _location(value: Any, at: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{at} must be {{'lon': …, 'lat': …}}", field=at)
    lon, lat = _number(value.get("lon")), _number(value.get("lat"))
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(f"{at} needs lon in [-180, 180] and lat in [-90, 90]", field=at)
    return {"lon": lon, "lat": lat}


def _number(value: Any) -> float | None:
    """A JSON number, refusing booleans (which Python counts as ints)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
