"""The XML writer's fast path for text must write exactly what the plain recursive
writer it replaced wrote: the reference below is that writer, kept as the oracle."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.api.open311_format import ITEM_TAGS, render

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def reference_xml(root: str, body: Any) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n']

    def write(tag: str, value: Any) -> None:
        if value is None:
            parts.append(f"<{tag}/>")
        elif isinstance(value, Mapping):
            parts.append(f"<{tag}>")
            for name, item in value.items():
                write(name, item)
            parts.append(f"</{tag}>")
        elif isinstance(value, list | tuple):
            parts.append(f"<{tag}>")
            for item in value:
                write(ITEM_TAGS.get(tag, "item"), item)
            parts.append(f"</{tag}>")
        elif isinstance(value, bool):
            parts.append(f"<{tag}>{'true' if value else 'false'}</{tag}>")
        else:
            parts.append(f"<{tag}>{escape(_NOT_XML.sub('', str(value)))}</{tag}>")

    write(root, body)
    return "".join(parts).encode()


# Text that needs nothing, needs escaping, or carries characters XML cannot hold.
texts = st.text(
    alphabet=st.sampled_from(list("ab 路灯,:-Z0<>&\"'\x00\x01\x0b\x1f\t\n\r\ufffe\uffff\u00e9")),
    max_size=30,
)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts
names = st.sampled_from(
    ["service_request_id", "status", "description", "lat", "address", "media_url"]
)
request_bodies = st.lists(
    st.dictionaries(
        names,
        scalars
        | st.lists(st.dictionaries(st.sampled_from(["code", "value"]), scalars), max_size=3)
        | st.dictionaries(st.just("channel"), scalars),
        max_size=6,
    ),
    max_size=5,
)


@settings(max_examples=300)
@given(request_bodies)
def test_the_xml_writer_writes_what_the_plain_writer_wrote(body: list[dict[str, Any]]) -> None:
    written = render("xml", "service_requests", body).body
    assert written == reference_xml("service_requests", body)
    ElementTree.fromstring(written)  # noqa: S314 - our own writer: well-formed XML


def test_text_with_markup_and_control_characters_is_escaped_and_cleaned() -> None:
    body = [{"description": "a<b & c>\x00d", "status": "open", "lat": 34.5, "x": True}]
    written = render("xml", "service_requests", body).body.decode()
    assert "<description>a&lt;b &amp; c&gt;d</description>" in written
    assert "<status>open</status><lat>34.5</lat><x>true</x>" in written
