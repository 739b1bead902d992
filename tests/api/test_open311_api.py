"""Open311 GeoReport v2 conformance: every endpoint and error, in JSON and XML."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from civicgrid.services.open311_submit import accept_queued
from tests.api.open311_helpers import (
    GARBAGE,
    MICRO,
    OTHER_MICRO,
    W3C,
    Open311City,
    errors_of,
    open311_city,
    xml_of,
)

BASE = "/open311/v2"
FORMATS = ["json", "xml"]


@pytest.fixture
def o311(city: Container) -> Open311City:
    return open311_city(city)


@pytest.fixture
def api(o311: Open311City) -> Iterator[TestClient]:
    with TestClient(create_app(container=o311.container)) as test_client:
        yield test_client


def _post(api: TestClient, fmt: str, body: dict[str, object]) -> dict[str, str | None]:
    response = api.post(f"{BASE}/requests.{fmt}", data=body)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    if fmt == "json":
        [item] = response.json()
        return item  # type: ignore[no-any-return]
    [request] = xml_of(response)
    return {child.tag: child.text for child in request}


# Discovery and services


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_has_every_required_field(api: TestClient, fmt: str) -> None:
    response = api.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = response.json()
        assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
        [endpoint] = body["endpoints"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2")
        assert endpoint["type"] in {"production", "test"}
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    else:
        root = xml_of(response)
        assert root.tag == "discovery"
        assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
        formats = root.findall("endpoints/endpoint/formats/format")
        assert {f.text for f in formats} == {"text/xml", "application/json"}


def test_the_service_list_is_the_category_tree_with_spec_types(
    api: TestClient, o311: Open311City
) -> None:
    services = api.get(f"{BASE}/services.json").json()
    assert len(services) == len(o311.container.rules.tree.minors())
    garbage = next(s for s in services if s["service_code"] == GARBAGE)
    assert garbage["service_name"] == "暴露垃圾"
    assert garbage["metadata"] is True
    assert garbage["type"] == "realtime"
    assert all(isinstance(s["service_code"], str) for s in services)
    english = api.get(f"{BASE}/services.json", params={"locale": "en"}).json()
    assert (
        next(s for s in english if s["service_code"] == GARBAGE)["service_name"]
        == "Exposed garbage"
    )


def test_the_service_list_in_xml_names_each_service(api: TestClient) -> None:
    root = xml_of(api.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None
    assert first.findtext("metadata") == "true"
    assert [c.tag for c in first] == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_definition_has_attributes_of_every_datatype(api: TestClient, fmt: str) -> None:
    response = api.get(f"{BASE}/services/{GARBAGE}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = response.json()
        assert body["service_code"] == GARBAGE
        attributes = body["attributes"]
        datatypes = {a["datatype"] for a in attributes}
        danger = next(a for a in attributes if a["code"] == "DANGER")
        assert danger["required"] is True
        assert danger["variable"] is True
        assert isinstance(danger["order"], int)
        assert [v["key"] for v in danger["values"]] == ["yes", "no"]
    else:
        root = xml_of(response)
        assert root.tag == "service_definition"
        datatypes = {a.findtext("datatype") for a in root.findall("attributes/attribute")}
        keys = [v.text for v in root.findall("attributes/attribute/values/value/key")]
        assert "yes" in keys
    assert datatypes == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_404(api: TestClient, fmt: str) -> None:
    [error] = errors_of(api.get(f"{BASE}/services/event:9999.{fmt}"), fmt, 404)
    assert "9999" in error["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_resource_is_404(api: TestClient, fmt: str) -> None:
    errors_of(api.get(f"{BASE}/requests/99999.{fmt}"), fmt, 404)
    errors_of(api.get(f"{BASE}/requests/not-a-number.{fmt}"), fmt, 404)
    errors_of(api.get(f"{BASE}/tokens/nothing-here.{fmt}"), fmt, 404)


def test_an_unknown_format_is_404(api: TestClient) -> None:
    errors_of(api.get(f"{BASE}/services.html"), "json", 404)


def test_a_foreign_jurisdiction_is_404_and_ours_or_none_is_served(o311: Open311City) -> None:
    o311.container.settings.open311_jurisdiction = "zhengzhou.gov.cn"
    with TestClient(create_app(container=o311.container)) as api:
        errors_of(
            api.get(f"{BASE}/services.xml", params={"jurisdiction_id": "sfgov.org"}), "xml", 404
        )
        ours = api.get(f"{BASE}/services.json", params={"jurisdiction_id": "zhengzhou.gov.cn"})
        assert ours.status_code == 200
        assert api.get(f"{BASE}/services.json").status_code == 200
        errors_of(
            api.post(f"{BASE}/requests.json", data=o311.form(jurisdiction_id="sfgov.org")),  # type: ignore[arg-type]
            "json",
            404,
        )


# POST requests


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_answers_a_string_service_request_id(
    api: TestClient, o311: Open311City, fmt: str
) -> None:
    item = _post(api, fmt, o311.form())
    assert item["service_request_id"] is not None
    assert item["service_request_id"].isdigit()
    assert "token" not in item
    assert item["service_notice"]  # what to expect: the department and its limit
    if fmt == "json":
        assert isinstance(item["service_request_id"], str)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", [None, "", "o311_wrong"])
def test_a_missing_or_bad_api_key_is_403(
    api: TestClient, o311: Open311City, fmt: str, key: str | None
) -> None:
    response = api.post(f"{BASE}/requests.{fmt}", data=o311.form(api_key=key))  # type: ignore[arg-type]
    [error] = errors_of(response, fmt, 403)
    assert error["code"] == 403
    assert "api_key" in error["description"]


def test_a_revoked_key_is_403(api: TestClient, o311: Open311City) -> None:
    from civicgrid.services.open311_keys import revoke_api_key

    revoke_api_key(o311.container.uow(), "fixmystreet", now=datetime.now(UTC))
    errors_of(api.post(f"{BASE}/requests.json", data=o311.form()), "json", 403)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("change", "mention"),
    [
        ({"service_code": None}, "service_code"),
        ({"lat": None, "long": None}, "location"),
        ({"long": None}, "long"),
        ({"lat": "north"}, "lat"),
        ({"description": "x" * 4001}, "4000"),
        ({"attribute[DANGER]": None}, "DANGER"),
        ({"attribute[DANGER]": "maybe"}, "maybe"),
        ({"attribute[NOPE]": "1"}, "NOPE"),
        ({"attribute[COUNT]": "many"}, "COUNT"),
        ({"attribute[SEEN_AT]": "2026-12-01 09:00"}, "SEEN_AT"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"lat": "10", "long": "10"}, "outside"),
        ({"address_id": "999999", "lat": None, "long": None}, "address_id"),
    ],
)
def test_bad_requests_are_400_naming_the_problem(
    api: TestClient, o311: Open311City, fmt: str, change: dict[str, object], mention: str
) -> None:
    response = api.post(f"{BASE}/requests.{fmt}", data=o311.form(**change))  # type: ignore[arg-type]
    [error] = errors_of(response, fmt, 400)
    assert mention in error["description"]


def test_an_unknown_service_code_on_post_is_404(api: TestClient, o311: Open311City) -> None:
    errors_of(
        api.post(f"{BASE}/requests.json", data=o311.form(service_code="event:9999")), "json", 404
    )  # type: ignore[arg-type]


def test_multivalue_attributes_and_personal_data_are_kept_but_never_shown(
    api: TestClient, o311: Open311City
) -> None:
    body = o311.form(
        **{"attribute[ASPECT][]": ["blocking", "recurring"]},
        email="li.lei@example.cn",
        first_name="Lei",
        last_name="Li",
        phone="13900000000",
        device_id="dev-1",
    )
    request_id = _post(api, "json", body)["service_request_id"]
    for fmt in FORMATS:
        for path in (f"requests/{request_id}.{fmt}", f"requests.{fmt}"):
            text = api.get(f"{BASE}/{path}", params={"extensions": "true"}).text
            for secret in ("li.lei@example.cn", "Lei", "13900000000", "dev-1"):
                assert secret not in text
    [item] = api.get(f"{BASE}/requests/{request_id}.json", params={"extensions": "true"}).json()
    assert {"code": "ASPECT", "value": "blocking,recurring"} in item["attributes"]
    assert item["extended_attributes"] == {"channel": "open311"}
    with o311.container.uow() as uow:
        contact = uow.cases.contact(int(request_id))  # type: ignore[arg-type]
    assert contact is not None
    assert (contact.name, contact.email) == ("Lei Li", "li.lei@example.cn")


def test_address_id_places_the_case_on_that_area(api: TestClient, o311: Open311City) -> None:
    item = _post(api, "json", o311.form(lat=None, long=None, address_id=OTHER_MICRO))
    [found] = api.get(f"{BASE}/requests/{item['service_request_id']}.json").json()
    assert found["address_id"] == OTHER_MICRO
    assert found["lat"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_address_in_words_is_queued_with_a_token_until_staff_place_it(
    api: TestClient, o311: Open311City, fmt: str
) -> None:
    item = _post(api, fmt, o311.form(lat=None, long=None, address_string="金水路 1 号门口"))
    token = item["token"]
    assert token
    assert "service_request_id" not in item
    pending = api.get(f"{BASE}/tokens/{token}.json").json()
    assert pending == [{"service_request_id": None, "token": token}]
    c = o311.container
    case_id = accept_queued(
        c.uow(), c.locators, c.rules, c.attachment_store, token, MICRO,
        now=datetime.now(UTC), snap_tolerance_m=50, max_photo_bytes=c.settings.attachment_max_bytes,
    )  # fmt: skip
    if fmt == "json":
        assert api.get(f"{BASE}/tokens/{token}.json").json() == [
            {"service_request_id": str(case_id), "token": token}
        ]
    else:
        root = xml_of(api.get(f"{BASE}/tokens/{token}.xml"))
        assert root.findtext("request/service_request_id") == str(case_id)
    [found] = api.get(f"{BASE}/requests/{case_id}.json").json()
    assert found["address"] == "金水路 1 号门口"


def test_media_is_uploaded_with_the_request_as_multipart(
    api: TestClient, o311: Open311City
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    response = api.post(
        f"{BASE}/requests.json",
        data=o311.form(),  # type: ignore[arg-type]
        files={"media": ("photo.png", png, "image/png")},
    )
    assert response.status_code == 200, response.text
    case_id = int(response.json()[0]["service_request_id"])
    with o311.container.uow() as uow:
        case = uow.cases.get(case_id)
    assert case is not None
    assert len(case.attachments) == 1


def test_media_that_is_not_an_image_is_415(api: TestClient, o311: Open311City) -> None:
    response = api.post(
        f"{BASE}/requests.xml",
        data=o311.form(),  # type: ignore[arg-type]
        files={"media": ("x.png", b"MZ" + b"\x00" * 100, "image/png")},
    )
    errors_of(response, "xml", 415)


# GET requests


def test_get_requests_has_every_field_with_spec_types(api: TestClient, o311: Open311City) -> None:
    request_id = _post(api, "json", o311.form())["service_request_id"]
    [item] = api.get(f"{BASE}/requests.json").json()
    assert list(item) == [
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url",
    ]  # fmt: skip
    assert item["service_request_id"] == request_id
    assert item["status"] == "open"
    assert isinstance(item["lat"], float)
    assert isinstance(item["long"], float)
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert re.match(W3C, item[field]), item[field]
    assert item["address"].startswith("微网格")


def test_the_xml_listing_matches_the_json_one(api: TestClient, o311: Open311City) -> None:
    _post(api, "json", o311.form())
    [as_json] = api.get(f"{BASE}/requests.json").json()
    root = xml_of(api.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    for name, value in as_json.items():
        expected = "" if value is None else str(value)
        assert (request.findtext(name) or "") == expected, name


def test_filters_by_service_code_status_and_ids(api: TestClient, o311: Open311City) -> None:
    garbage = _post(api, "json", o311.form())["service_request_id"]
    other = _post(api, "json", o311.form(service_code="event:0102"))["service_request_id"]

    def ids(**params: str) -> list[str]:
        return [
            r["service_request_id"] for r in api.get(f"{BASE}/requests.json", params=params).json()
        ]

    assert ids() == [other, garbage]  # newest first
    assert ids(service_code=GARBAGE) == [garbage]
    assert ids(service_code=f"{GARBAGE},event:0102") == [other, garbage]
    assert ids(status="closed") == []
    assert ids(status="open,closed") == [other, garbage]
    # service_request_id overrides every other filter
    assert ids(service_request_id=f"{garbage},nonsense", status="closed") == [garbage]
    assert ids(service_request_id="nonsense") == []


def test_dates_default_to_the_last_90_days_and_may_not_span_more(
    api: TestClient, o311: Open311City
) -> None:
    _post(api, "json", o311.form())
    now = datetime.now(UTC)
    old = (now - timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert api.get(f"{BASE}/requests.json", params={"end_date": old}).json() == []
    start = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    assert len(api.get(f"{BASE}/requests.json", params={"start_date": start}).json()) == 1
    for fmt in FORMATS:
        too_long = {"start_date": old, "end_date": now.strftime("%Y-%m-%dT%H:%M:%SZ")}
        [error] = errors_of(api.get(f"{BASE}/requests.{fmt}", params=too_long), fmt, 400)
        assert "90 days" in error["description"]
        [error] = errors_of(
            api.get(f"{BASE}/requests.{fmt}", params={"start_date": "2026-12-01"}), fmt, 400
        )
        assert "time zone" in error["description"]


@pytest.mark.parametrize(
    ("params", "mention"),
    [
        ({"status": "pending"}, "status"),
        ({"service_code": "event:9999"}, "service_code"),
        ({"page": "0"}, "page"),
        ({"page_size": "1001"}, "page_size"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "114,35,113,34"}, "bbox"),
        ({"updated_after": "yesterday"}, "updated_after"),
    ],
)
def test_bad_filters_are_400(api: TestClient, params: dict[str, str], mention: str) -> None:
    [error] = errors_of(api.get(f"{BASE}/requests.json", params=params), "json", 400)
    assert mention in error["description"]


def test_pages_bbox_and_update_times(api: TestClient, o311: Open311City) -> None:
    first = _post(api, "json", o311.form())["service_request_id"]
    second = _post(api, "json", o311.form(lat=None, long=None, address_id=OTHER_MICRO))[
        "service_request_id"
    ]
    third = _post(api, "json", o311.form())["service_request_id"]

    def ids(**params: str) -> list[str]:
        return [
            r["service_request_id"] for r in api.get(f"{BASE}/requests.json", params=params).json()
        ]

    assert ids(page_size="2") == [third, second]
    assert ids(page_size="2", page="2") == [first]
    box = f"{o311.lon - 0.01},{o311.lat - 0.01},{o311.lon + 0.01},{o311.lat + 0.01}"
    assert ids(bbox=box) == [third, first]
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    past = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(updated_after=future) == []
    assert ids(updated_after=past) == [third, second, first]
    assert ids(updated_before=past) == []


# Closed requests, notes and the updates extension


def _close(container: Container, case_id: int) -> None:
    """Run the case through every stage with the staff of the small city."""
    from civicgrid.domain.cases.actions import CaseAction
    from civicgrid.domain.cases.stages import Outcome
    from civicgrid.services import users
    from civicgrid.services.cases.acting import act_on_case
    from tests.integration.citizen_world import STAFF, PlainHasher

    people = {}
    for name, (role, code, department) in STAFF.items():
        now = datetime.now(UTC)
        users.add_user(container.uow(), PlainHasher(), name, "long enough password", now=now)
        users.grant_role(container.uow(), name, role, code, now=now, department=department)
        people[name] = users.authenticate_token(
            container.uow(), users.create_token(container.uow(), name, "t", now=now).token
        )
    steps = [
        ("acceptor", CaseAction.ACCEPT, {}),
        ("inspector", CaseAction.CHECK, {"passed": True}),
        ("leader", CaseAction.FILE, {}),
        ("dispatcher", CaseAction.DISPATCH, {"department": "city_management"}),
        ("handler", CaseAction.HANDLE, {"result": "已清运完毕"}),
        ("dispatcher", CaseAction.FORWARD_FEEDBACK, {}),
        ("inspector", CaseAction.VERIFY, {"passed": True}),
        (
            "leader",
            CaseAction.CLOSE,
            {"outcome": Outcome.CLOSED_NOT_FIXED, "reason": "私人场地，不属于公共区域"},
        ),
    ]
    for who, action, args in steps:
        act_on_case(
            container.uow(),
            container.rules,
            people[who],
            case_id,
            action,
            now=datetime.now(UTC),
            args=args,
        )


def test_a_closed_request_says_why_and_names_the_agency(api: TestClient, o311: Open311City) -> None:
    request_id = _post(api, "json", o311.form())["service_request_id"]
    assert request_id is not None
    _close(o311.container, int(request_id))
    [item] = api.get(f"{BASE}/requests/{request_id}.json", params={"extensions": "true"}).json()
    assert item["status"] == "closed"
    assert "私人场地" in item["status_notes"]
    assert item["agency_responsible"] == "城市管理局"
    assert item["expected_datetime"] is None
    kinds = [note["type"] for note in item["notes"]]
    assert kinds[0] == "reported"
    assert kinds[-1] == "closed"
    assert any("已清运完毕" in note["description"] for note in item["notes"])
    for staff in ("acceptor", "leader", "dispatcher", "handler", "inspector"):
        assert staff not in str(item)
    closed = [
        r["service_request_id"]
        for r in api.get(f"{BASE}/requests.json", params={"status": "closed"}).json()
    ]
    assert closed == [request_id]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_updates_go_both_ways(api: TestClient, o311: Open311City, fmt: str) -> None:
    request_id = _post(api, "json", o311.form())["service_request_id"]
    response = api.post(
        f"{BASE}/servicerequestupdates.{fmt}",
        data={
            "api_key": o311.key,
            "service_request_id": request_id,
            "description": "市民补充：还有异味",
        },
    )
    assert response.status_code == 200, response.text
    listed = api.get(f"{BASE}/servicerequestupdates.json").json()
    descriptions = [u["description"] for u in listed if u["service_request_id"] == request_id]
    assert any("还有异味" in d for d in descriptions)
    assert all(re.match(W3C, u["updated_datetime"]) for u in listed)
    assert {u["status"] for u in listed} <= {
        "OPEN",
        "IN_PROGRESS",
        "ACTION_SCHEDULED",
        "INVESTIGATING",
    }
    errors_of(
        api.post(
            f"{BASE}/servicerequestupdates.{fmt}",
            data={"service_request_id": request_id, "description": "x"},
        ),
        fmt,
        403,
    )
    errors_of(
        api.post(
            f"{BASE}/servicerequestupdates.{fmt}",
            data={"api_key": o311.key, "service_request_id": "424242", "description": "x"},
        ),
        fmt,
        404,
    )


# Fuzz: Open311 is not in the OpenAPI document (it documents itself), so it gets its own.

_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
_PATHS = st.sampled_from(
    [
        "discovery.{f}", "services.{f}", "services/{x}.{f}", "requests.{f}", "requests/{x}.{f}",
        "tokens/{x}.{f}", "servicerequestupdates.{f}",
    ]
)  # fmt: skip
_PARAMS = st.dictionaries(
    st.sampled_from(
        [
            "service_request_id", "service_code", "start_date", "end_date", "status", "page",
            "page_size", "bbox", "updated_after", "updated_before", "extensions", "locale",
            "jurisdiction_id",
        ]
    ),
    _TEXT,
)  # fmt: skip
_FORM = st.dictionaries(
    st.sampled_from(
        [
            "service_code", "lat", "long", "address_string", "address_id", "description",
            "media_url", "email", "attribute[DANGER]", "attribute[ASPECT][]", "attribute[X]",
            "service_request_id",
        ]
    ),
    _TEXT,
)  # fmt: skip


def test_no_generated_request_gets_a_server_error(api: TestClient, o311: Open311City) -> None:
    @given(
        path=_PATHS,
        fmt=st.sampled_from(["json", "xml", "html", ""]),
        piece=_TEXT.filter(lambda t: "/" not in t and "?" not in t and "#" not in t),
        params=_PARAMS,
        form=_FORM,
        keyed=st.booleans(),
    )
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def send(
        path: str, fmt: str, piece: str, params: dict[str, str], form: dict[str, str], keyed: bool
    ) -> None:
        url = f"{BASE}/" + path.format(f=fmt, x=quote(piece) or "x")
        answers = [api.get(url, params=params)]
        if path in ("requests.{f}", "servicerequestupdates.{f}"):
            body = {**form, "api_key": o311.key} if keyed else form
            answers.append(api.post(url, data=body))
        for answer in answers:
            assert answer.status_code < 500, (url, params, form, answer.text)
            if answer.status_code >= 400 and fmt in ("json", "xml"):
                errors_of(answer, fmt, answer.status_code)

    send()
