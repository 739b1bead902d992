"""Open311 bodies in both formats from one structure (the spec's "Spark convention").

JSON is the structure itself; XML names each list's items after the list (services →
service, service_requests → request …), writes booleans as true/false, absent values
as empty elements, and starts with the UTF-8 declaration the spec requires.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

import msgspec
from fastapi import Response

from civicgrid.api import open311_bodies as bodies
from civicgrid.services.open311_queries import REQUEST_FIELDS, RequestPage

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
    "notes": "note",
    "service_request_updates": "request_update",
}

_JSON = msgspec.json.Encoder()
_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
_REQUEST_TAGS = [(f"<{name}>", f"</{name}>", f"<{name}/>") for name in REQUEST_FIELDS]
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    """`body` as JSON, or as XML under `root` (a list's items named by ITEM_TAGS)."""
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n']
        _xml(parts, root, body)
        content = "".join(parts).encode()
    else:
        content = _JSON.encode(body)
    return Response(content, status_code=status, media_type=FORMATS.get(fmt, FORMATS["json"]))


def render_requests(fmt: str, page: RequestPage) -> Response:
    """GET requests' answer, written straight from the page's field tuples."""
    content = _requests_xml(page) if fmt == "xml" else _JSON.encode(bodies.requests(page))
    return Response(content, media_type=FORMATS.get(fmt, FORMATS["json"]))


def _requests_xml(page: RequestPage) -> bytes:
    """What _xml writes for the same bodies as dicts: 1,000 requests without them."""
    parts = [_DECLARATION, "<service_requests>"]
    append = parts.append
    for n, fields in enumerate(page.fields):
        append("<request>")
        # One scan of the request's texts; numbers never need escaping, and format()
        # writes a float as str() does.
        plain = _SPECIAL.search("".join([v for v in fields if type(v) is str])) is None
        append(
            "".join(
                [
                    empty
                    if value is None
                    else f"{opening}{value if plain else _text(str(value))}{closing}"
                    for (opening, closing, empty), value in zip(_REQUEST_TAGS, fields, strict=True)
                ]
            )
        )
        if page.extras is not None:
            extensions = bodies.extensions(page.extras[n])
            for name, value in zip(bodies.EXTENSION_FIELDS, extensions, strict=True):
                _xml(parts, name, value)
        append("</request>")
    append("</service_requests>")
    return "".join(parts).encode()


def error_body(fmt: str, status: int, errors: Sequence[tuple[int, str]]) -> bytes:
    items = [{"code": code, "description": text} for code, text in errors]
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n']
        _xml(parts, "errors", items)
        return "".join(parts).encode()
    return _JSON.encode(items)


def render_errors(fmt: str, status: int, errors: Sequence[tuple[int, str]]) -> Response:
    fmt = fmt if fmt in FORMATS else "json"
    return Response(error_body(fmt, status, errors), status_code=status, media_type=FORMATS[fmt])


def _xml(parts: list[str], tag: str, value: Any) -> None:
    if value is None:
        parts.append(f"<{tag}/>")
    elif isinstance(value, Mapping):
        parts.append(f"<{tag}>")
        for name, item in value.items():
            kind = type(item)
            if kind is str:  # the common case, written here rather than one call deeper
                parts.append(f"<{name}>{_text(item)}</{name}>")
            else:
                _xml(parts, name, item)
        parts.append(f"</{tag}>")
    elif isinstance(value, list | tuple):
        item_tag = ITEM_TAGS.get(tag, "item")
        parts.append(f"<{tag}>")
        for item in value:
            _xml(parts, item_tag, item)
        parts.append(f"</{tag}>")
    elif isinstance(value, bool):
        parts.append(f"<{tag}>{'true' if value else 'false'}</{tag}>")
    else:
        parts.append(f"<{tag}>{_text(str(value))}</{tag}>")


def _text(value: str) -> str:
    """Escaped for XML; most values (codes, times, numbers) need nothing, found in one scan."""
    if _SPECIAL.search(value) is None:
        return value
    return escape(_NOT_XML.sub("", value))
