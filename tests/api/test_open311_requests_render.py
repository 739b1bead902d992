"""GET requests' fast path (rows as values, W3C text from the database, bodies written
straight from tuples) must answer byte for byte what the typed path it replaced did:
find_requests' Open311Request objects, the dict bodies below, and the generic writer."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from civicgrid.adapters.db.tables import CaseEventRow, CaseRow, CitizenReportRow
from civicgrid.api import open311_bodies as bodies
from civicgrid.api.open311_format import render, render_requests
from civicgrid.bootstrap import Container
from civicgrid.domain.citizens.catalog import Locale
from civicgrid.domain.citizens.requests_query import RequestQuery
from civicgrid.domain.citizens.timeline import OPEN311_NOTE_ACTOR
from civicgrid.domain.citizens.w3c import format_w3c
from civicgrid.services.open311_queries import (
    REQUEST_FIELDS,
    Open311Request,
    find_requests,
    list_requests,
)
from tests.api.conftest import path_of
from tests.api.open311_helpers import GARBAGE, MICRO, OTHER_MICRO


def reference_body(item: Open311Request) -> dict[str, Any]:
    """The dict body GET requests was written from before the fast path."""

    def w3c(moment: datetime | None) -> str | None:
        return None if moment is None else format_w3c(moment)

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
        "expected_datetime": w3c(item.expected_datetime),
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


def test_the_json_struct_has_the_spec_fields_in_order() -> None:
    assert tuple(bodies.RequestBody.__struct_fields__) == REQUEST_FIELDS
    extended = bodies.ExtendedRequestBody.__struct_fields__
    assert extended == REQUEST_FIELDS + bodies.EXTENSION_FIELDS


_NEXT_ID = itertools.count(1)
_START = datetime(2026, 9, 1, tzinfo=UTC)
texts = st.text(
    alphabet=st.sampled_from(list("ab 路灯,:-Z0<>&\"'\x01\x0b\t\n\r\ufffe\u00e9\U0001f6a7")),
    max_size=20,
)
moments = st.builds(
    lambda s, us: _START + timedelta(seconds=s, microseconds=us),
    st.integers(0, 80 * 86_400),
    st.sampled_from([0, 1, 499_999, 500_000, 999_999]) | st.integers(0, 999_999),
)
coordinates = (
    st.none() | st.floats(-180, 180, allow_nan=False) | st.sampled_from([0.0, 113.0, -0.5])
)
records = st.none() | st.fixed_dictionaries(
    {
        "channel": st.sampled_from(["open311", "web", "wechat"]),
        "address_string": texts,
        "media_url": st.sampled_from(["", "https://example.org/a.jpg?x=1&y=<2>"]),
        "attributes": st.dictionaries(
            st.sampled_from(["DANGER", "SIZE", "路"]),
            texts | st.lists(texts, max_size=3) | st.integers() | st.booleans(),
            max_size=3,
        ),
    }
)
cases = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["open", "on_hold", "closed", "void"]),
        "stage": st.sampled_from(["collect", "file", "dispatch", "handle", "verify_close"]),
        "ending": st.sampled_from(["closed", "voided", "merged", "none"]),
        "department": st.sampled_from([None, "", "city_management", "no_such_department"]),
        "description": texts,
        "micro": st.sampled_from([MICRO, OTHER_MICRO]),
        "lon": coordinates,
        "lat": coordinates,
        "reported": moments,
        "steps": st.lists(
            st.tuples(st.integers(0, 5 * 86_400), st.sampled_from(["noted", "dispatched"]), texts),
            max_size=3,
        ),
        "deadline": st.none() | moments,
        "record": records,
        "reason": texts,
    }
)


def _store(container: Container, drawn: list[dict[str, Any]]) -> tuple[int, ...]:
    case_rows, event_rows, record_rows = [], [], []
    for case in drawn:
        case_id = next(_NEXT_ID)
        events: list[tuple[str, datetime, dict[str, Any], str, str]] = [
            ("reported", case["reported"], {}, "hotline", "")
        ]
        at = case["reported"]
        for seconds, kind, text in case["steps"]:
            at += timedelta(seconds=seconds, microseconds=seconds % 7)
            step: dict[str, Any] = (
                {"text": text} if kind == "noted" else {"department": "city_management"}
            )
            events.append((kind, at, step, OPEN311_NOTE_ACTOR + "key", ""))
        if case["status"] in ("closed", "void") and case["ending"] != "none":
            endings: dict[str, dict[str, Any]] = {
                "closed": {"outcome": "fixed"},
                "merged": {"into": 7},
            }
            ending = endings.get(case["ending"], {})
            events.append(
                (case["ending"], at + timedelta(hours=1), ending, "leader", case["reason"])
            )
        for seq, (kind, moment, data, actor, reason) in enumerate(events, 1):
            event_rows.append(
                {
                    "case_id": case_id, "seq": seq, "type": kind, "at": moment, "actor": actor,
                    "position": "system", "from_stage": None, "to_stage": None,
                    "reason": reason, "data": data, "attachments": [], "prev_hash": "",
                    "hash": f"{case_id}-{seq}",
                }
            )  # fmt: skip
        case_rows.append(
            {
                "id": case_id, "category": GARBAGE, "source": "hotline", "urgency": "normal",
                "stage": case["stage"], "status": case["status"], "outcome": None,
                "area_code": case["micro"], "area_path": path_of(case["micro"]),
                "department": case["department"], "lon": case["lon"], "lat": case["lat"],
                "description": case["description"], "reported_at": case["reported"],
                "stage_entered_at": case["reported"], "deadline_at": case["deadline"],
                "warning_at": None, "next_check_at": None, "escalation_level": 0,
                "closed_at": None, "last_seq": len(events), "last_hash": "",
                "idempotency_key": None,
            }
        )  # fmt: skip
        if case["record"] is not None:
            record_rows.append(
                {
                    **case["record"], "case_id": case_id, "tracking_digest": f"t{case_id}",
                    "created_at": case["reported"],
                }
            )  # fmt: skip
    with container.engine.begin() as conn:
        conn.execute(insert(CaseRow), case_rows)
        conn.execute(insert(CaseEventRow), event_rows)
        if record_rows:
            conn.execute(insert(CitizenReportRow), record_rows)
    return tuple(row["id"] for row in case_rows)


@given(drawn=st.lists(cases, min_size=1, max_size=6))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_fast_path_answers_exactly_what_the_typed_path_did(
    shared_city: Container, drawn: list[dict[str, Any]]
) -> None:
    ids = _store(shared_city, drawn)
    tree = shared_city.rules.tree
    query = RequestQuery(ids=ids, page_size=len(ids))
    for locale, extensions in itertools.product(Locale, (False, True)):
        typed = find_requests(shared_city.uow(), tree, query, locale=locale, extensions=extensions)
        page = list_requests(shared_city.uow(), tree, query, locale=locale, extensions=extensions)
        for fmt in ("json", "xml"):
            expected = render(fmt, "service_requests", [reference_body(item) for item in typed])
            assert render_requests(fmt, page).body == expected.body, (fmt, locale, extensions)
