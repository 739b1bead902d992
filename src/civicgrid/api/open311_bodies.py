"""The Open311 structures of each answer, with the spec's field names and types:
ids and codes as strings, lat/long as numbers, booleans as booleans, W3C times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from civicgrid.domain.cases.categories import MinorClass
from civicgrid.domain.citizens.attributes import ServiceAttribute
from civicgrid.domain.citizens.catalog import Locale, Service
from civicgrid.domain.citizens.w3c import format_w3c
from civicgrid.services.open311_queries import Open311Request
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


def request(item: Open311Request) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service_request_id": item.service_request_id,
        "status": item.status,
        "status_notes": item.status_notes or None,
        "service_name": item.service_name,
        "service_code": item.service_code,
        "description": item.description,
        "agency_responsible": item.agency_responsible or None,
        "service_notice": item.service_notice or None,
        "requested_datetime": format_w3c(item.requested_datetime),
        "updated_datetime": format_w3c(item.updated_datetime),
        "expected_datetime": _w3c(item.expected_datetime),
        "address": item.address,
        "address_id": item.address_id or None,
        "zipcode": None,
        "lat": item.lat,
        "long": item.long,
        "media_url": item.media_url or None,
    }
    if item.notes is not None:
        body["attributes"] = [
            {"code": code, "value": ",".join(v) if isinstance(v, list) else str(v)}
            for code, v in (item.attributes or {}).items()
        ]
        body["extended_attributes"] = {"channel": item.channel}
        body["notes"] = [
            {
                "datetime": format_w3c(note.at),
                "description": note.label_en + (f": {note.text}" if note.text else ""),
                "description_zh": note.label_zh + (f"：{note.text}" if note.text else ""),
                "type": note.kind,
            }
            for note in item.notes
        ]
    return body


def update(item: RequestUpdate) -> dict[str, Any]:
    return {
        "update_id": item.update_id,
        "service_request_id": item.service_request_id,
        "status": item.status,
        "updated_datetime": format_w3c(item.updated_datetime),
        "description": item.description,
        "media_url": None,
    }


def _w3c(moment: datetime | None) -> str | None:
    return None if moment is None else format_w3c(moment)
