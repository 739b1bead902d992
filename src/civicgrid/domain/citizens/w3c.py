"""W3C date-times (the ISO 8601 subset Open311 uses); a time zone is required."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from civicgrid.domain.errors import InvalidInput

_W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")


def parse_w3c(text: str, field: str) -> datetime:
    """An aware datetime from e.g. 2010-01-01T00:00:00Z or …T08:00:00+08:00."""
    value = text.strip()
    if not _W3C.fullmatch(value):
        raise InvalidInput(
            f"{field} must be a W3C date-time with a time zone, e.g. 2010-01-01T00:00:00Z; "
            f"got {text[:40]!r}",
            field=field,
        )
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"{field}: {exc}", field=field) from exc


def format_w3c(moment: datetime) -> str:
    """UTC with a Z, to the second: 2026-12-04T01:00:00Z."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:19] + "Z"
