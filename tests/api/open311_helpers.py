"""Shared by the Open311 tests: a city with an API key, and reading answers in both formats."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from civicgrid.bootstrap import Container
from civicgrid.services.open311_keys import add_api_key
from tests.factories import centre_of, small_city

MICRO = "41010200100100101"
OTHER_MICRO = "41010300100100101"
GARBAGE = "event:0101"
W3C = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"


@dataclass
class Open311City:
    container: Container
    key: str
    lat: float
    lon: float

    def form(self, **extra: object) -> dict[str, object]:
        """A valid POST body at the centre of MICRO; `extra` adds or overrides fields."""
        body: dict[str, object] = {
            "api_key": self.key,
            "service_code": GARBAGE,
            "lat": str(self.lat),
            "long": str(self.lon),
            "description": "路边垃圾没人清运",
            "attribute[DANGER]": "no",
        }
        body.update(extra)
        return {k: v for k, v in body.items() if v is not None}


def open311_city(container: Container) -> Open311City:
    key = add_api_key(container.uow(), "fixmystreet", now=datetime.now(UTC)).key
    lat, lon = centre_of(next(a for a in small_city() if a.code == MICRO))
    return Open311City(container, key, lat, lon)


def xml_of(response: httpx.Response) -> ET.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own server's answer


def errors_of(response: httpx.Response, fmt: str, status: int) -> list[dict[str, Any]]:
    """The spec's error list, checked for shape; [{code, description}]."""
    assert response.status_code == status, response.text
    if fmt == "json":
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        body = response.json()
        assert isinstance(body, list)
        assert body
        for item in body:
            assert set(item) == {"code", "description"}
            assert isinstance(item["code"], int)
            assert isinstance(item["description"], str)
        return body
    root = xml_of(response)
    assert root.tag == "errors"
    found = []
    for error in root:
        assert error.tag == "error"
        assert [child.tag for child in error] == ["code", "description"]
        found.append(
            {"code": int(error.findtext("code") or 0), "description": error.findtext("description")}
        )
    assert found
    return found
