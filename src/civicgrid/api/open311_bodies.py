"""The Open311 structures of each answer, with the spec's field names and types:
ids and codes as strings, lat/long as numbers, booleans as booleans, W3C times."""

from __future__ import annotations

from typing import Any

import msgspec

from civicgrid.domain.cases.categories import MinorClass
from civicgrid.domain.citizens.attributes import ServiceAttribute
from civicgrid.domain.citizens.catalog import Locale, Service
from civicgrid.domain.citizens.w3c import format_w3c
from civicgrid.services.open311_queries import RequestExtras, RequestPage
from civicgrid.services.open311_updates import RequestUpdate

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-04 00:00"  # when this API's services or fields last changed


def discovery(url: str, *, production: bool, contact: str, key_service: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production" if production else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service(item: Service) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.description,
        "metadata": item.metadata,
        "type": item.type,
        "keywords": item.keywords,
        "group": item.group,
    }


def definition(
    minor: MinorClass, attributes: tuple[ServiceAttribute, ...], locale: Locale
) -> dict[str, Any]:
    en = locale is Locale.EN
    return {
        "service_code": minor.key,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype.value,
                "required": a.required,
                "datatype_description": a.datatype_description or None,
                "order": a.order,
                "description": a.description_en if en else a.description_zh,
                "values": [
                    {"key": c.key, "name": c.name_en if en else c.name_zh} for c in a.values
                ],
            }
            for a in attributes
        ],
    }


class RequestBody(msgspec.Struct):
    """A request as JSON, its fields in REQUEST_FIELDS' order (made from those tuples)."""

    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None
    address: str
    address_id: str | None
    zipcode: None
    lat: float | None
    long: float | None
    media_url: str | None


class ExtendedRequestBody(RequestBody):
    """With extensions=true."""

    attributes: list[dict[str, str]]
    extended_attributes: dict[str, str]
    notes: list[dict[str, str]]


EXTENSION_FIELDS = ("attributes", "extended_attributes", "notes")


def requests(page: RequestPage) -> list[RequestBody]:
    if page.extras is None:
        return [RequestBody(*fields) for fields in page.fields]
    return [
        ExtendedRequestBody(*fields, *extensions(extras))
        for fields, extras in zip(page.fields, page.extras, strict=True)
    ]


def extensions(
    item: RequestExtras,
) -> tuple[list[dict[str, str]], dict[str, str], list[dict[str, str]]]:
    """attributes, extended_attributes and notes."""
    attributes = [
        {"code": code, "value": ",".join(v) if isinstance(v, list) else str(v)}
        for code, v in item.attributes.items()
    ]
    notes = [
        {
            "datetime": format_w3c(note.at),
            "description": note.label_en + (f": {note.text}" if note.text else ""),
            "description_zh": note.label_zh + (f"：{note.text}" if note.text else ""),
            "type": note.kind,
        }
        for note in item.notes
    ]
    return attributes, {"channel": item.channel}, notes


def update(item: RequestUpdate) -> dict[str, Any]:
    return {
        "update_id": item.update_id,
        "service_request_id": item.service_request_id,
        "status": item.status,
        "updated_datetime": format_w3c(item.updated_datetime),
        "description": item.description,
        "media_url": None,
    }
