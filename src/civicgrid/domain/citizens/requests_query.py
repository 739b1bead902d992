"""GET requests: the filters a client may send, their defaults and their limits."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from civicgrid.domain.citizens.w3c import parse_w3c
from civicgrid.domain.errors import InvalidInput

MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 1000


@dataclass(frozen=True, slots=True)
class RequestQuery:
    """What a GET requests call asks for, after defaults. Empty tuples mean "any"."""

    ids: tuple[int, ...] | None = None  # when given, every other filter is ignored
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None  # requested_datetime ≥ start
    end: datetime | None = None  # requested_datetime ≤ end
    statuses: tuple[str, ...] = ()  # "open", "closed"
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    page: int = 1
    page_size: int = MAX_RESULTS

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def requested_window(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The requested_datetime range: at most 90 days, the latest 90 days by default."""
    if start is not None and end is not None:
        if start > end:
            raise InvalidInput("start_date is after end_date", field="start_date")
        if end - start > MAX_SPAN:
            raise InvalidInput("start_date and end_date may span at most 90 days", field="end_date")
        return start, end
    if start is not None:
        return start, start + MAX_SPAN
    if end is not None:
        return end - MAX_SPAN, end
    return now - MAX_SPAN, now


def check_bbox(values: list[float]) -> tuple[float, float, float, float]:
    if len(values) != 4:
        raise InvalidInput("bbox is min_lon,min_lat,max_lon,max_lat (four numbers)", field="bbox")
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InvalidInput(
            "bbox corners must be longitudes and latitudes with min ≤ max", field="bbox"
        )
    return min_lon, min_lat, max_lon, max_lat


def parse_request_query(params: Mapping[str, str], now: datetime) -> RequestQuery:
    """A RequestQuery from GET requests parameters; empty values count as absent."""
    given = {name: value.strip() for name, value in params.items() if value.strip()}
    page = _whole(given.get("page", "1"), "page", 1, 1_000_000)
    page_size = _whole(given.get("page_size", str(MAX_RESULTS)), "page_size", 1, MAX_RESULTS)
    if "service_request_id" in given:
        ids = _ids(given["service_request_id"])
        return RequestQuery(ids=ids, page=1, page_size=max(len(ids), 1))
    start = parse_w3c(given["start_date"], "start_date") if "start_date" in given else None
    end = parse_w3c(given["end_date"], "end_date") if "end_date" in given else None
    after = _moment(given, "updated_after")
    before = _moment(given, "updated_before")
    if start is not None or end is not None or (after is None and before is None):
        # The spec's default window; a sync by update time alone needs none.
        start, end = requested_window(start, end, now)
    statuses = _list(given.get("status", ""))
    if bad := [s for s in statuses if s not in ("open", "closed")]:
        raise InvalidInput(f"status is open or closed, not {bad[0]!r}", field="status")
    bbox = None
    if "bbox" in given:
        bbox = check_bbox([_float(part, "bbox") for part in given["bbox"].split(",")])
    return RequestQuery(
        service_codes=tuple(_list(given.get("service_code", ""))),
        start=start,
        end=end,
        statuses=tuple(statuses),
        updated_after=after,
        updated_before=before,
        bbox=bbox,
        page=page,
        page_size=page_size,
    )


def _moment(given: Mapping[str, str], name: str) -> datetime | None:
    return parse_w3c(given[name], name) if name in given else None


def _list(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _ids(text: str) -> tuple[int, ...]:
    parts = _list(text)
    if len(parts) > MAX_IDS:
        raise InvalidInput(
            f"at most {MAX_IDS} service_request_id values", field="service_request_id"
        )
    # Ids are strings to clients; ours are numbers, so anything else simply matches nothing.
    return tuple(int(p) for p in parts if p.isdigit() and len(p) <= 10 and 0 < int(p) < 2**31)


def _whole(text: str, field: str, low: int, high: int) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{field} must be a whole number from {low} to {high}", field=field)
    return int(text)


def _float(text: str, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidInput(f"{field} holds {text.strip()[:20]!r}, not a number", field=field)
    return value
