"""One 12345 work order, read from one row of an export through a column mapping."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from civicgrid.domain.errors import InvalidInput

Cell = str | int | float | datetime | None

MAX_ORDER_ID = 100
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


@dataclass(frozen=True, slots=True)
class HotlineMapping:
    """Which column holds what, and how the export's categories read as ours."""

    order_id: str
    description: str
    category: str | None = None
    address: str | None = None
    lat: str | None = None
    lon: str | None = None
    received_at: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    categories: Mapping[str, str] = field(default_factory=dict)
    default_category: str | None = None

    def columns(self) -> dict[str, str]:
        """Mapped field → column name, for every column the mapping names."""
        names = (
            "order_id",
            "description",
            "category",
            "address",
            "lat",
            "lon",
            "received_at",
            "contact_name",
            "contact_phone",
        )
        return {name: column for name in names if (column := getattr(self, name)) is not None}


@dataclass(frozen=True, slots=True)
class HotlineOrder:
    row: int
    order_id: str
    category: str
    description: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    received_at: datetime | None = None
    contact_name: str = ""
    contact_phone: str = ""

    @property
    def case_description(self) -> str:
        """What the case says: the caller's words, the address, the order number."""
        parts = [self.description]
        if self.address:
            parts.append(f"地址：{self.address}")
        order = f"12345工单 {self.order_id}"
        if self.received_at is not None:  # in the export's own zone, as the caller knew it
            order += f"，来电时间 {self.received_at:%Y-%m-%d %H:%M}"
        parts.append(order)
        return "\n".join(parts)


def read_order(
    row: int, cells: Mapping[str, Cell], mapping: HotlineMapping, zone: tzinfo
) -> HotlineOrder:
    """The order on `row`, or InvalidInput naming the field at fault."""

    def text(name: str) -> str:
        column = getattr(mapping, name)
        value = cells.get(column) if column else None
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # spreadsheets turn numeric ids into floats
        return " ".join(str(value).split()) if name != "description" else str(value).strip()

    order_id = text("order_id")
    if not order_id:
        raise InvalidInput("no order id", field="order_id")
    if len(order_id) > MAX_ORDER_ID:
        raise InvalidInput(f"order id longer than {MAX_ORDER_ID} characters", field="order_id")
    description = text("description")
    if not description:
        raise InvalidInput("no description (诉求内容)", field="description")
    lat, lon = _coordinate(cells, mapping.lat, "lat"), _coordinate(cells, mapping.lon, "lon")
    if (lat is None) != (lon is None):
        raise InvalidInput("give both latitude and longitude, or neither", field="lat")
    address = text("address")
    if lat is None and not address:
        raise InvalidInput("no coordinates and no address to place the order", field="address")
    return HotlineOrder(
        row=row,
        order_id=order_id,
        category=_category(text("category"), mapping),
        description=description,
        address=address,
        lat=lat,
        lon=lon,
        received_at=_time(cells.get(mapping.received_at) if mapping.received_at else None, zone),
        contact_name=text("contact_name"),
        contact_phone=text("contact_phone"),
    )


def _category(value: str, mapping: HotlineMapping) -> str:
    if value in mapping.categories:
        return mapping.categories[value]
    if mapping.default_category is not None:
        return mapping.default_category
    shown = f"category {value!r}" if value else "an empty category"
    raise InvalidInput(
        f"{shown} is not in the mapping's categories and the mapping sets no default_category",
        field="category",
    )


def _coordinate(cells: Mapping[str, Cell], column: str | None, name: str) -> float | None:
    value = cells.get(column) if column else None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        raise InvalidInput(f"{name} is a date, not a number", field=name)
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(f"{name} {value!r} is not a number", field=name) from None
    limit = 90 if name == "lat" else 180
    if not (math.isfinite(number) and -limit <= number <= limit):
        raise InvalidInput(f"{name} {value!r} is out of range", field=name)
    return number


def _time(value: Cell, zone: tzinfo) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        raw = str(value).strip()
        for pattern in TIME_FORMATS:
            try:
                parsed = datetime.strptime(raw, pattern)  # noqa: DTZ007 - zone applied below
                break
            except ValueError:
                continue
        else:
            try:
                parsed = datetime.fromisoformat(raw)
            except ValueError:
                raise InvalidInput(
                    f"received time {raw!r} is not a date and time like 2026-11-30 09:15",
                    field="received_at",
                ) from None
    # The export's local time, unless the cell says otherwise.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)
