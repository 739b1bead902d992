"""The indicators API on both engines: cases driven over HTTP on an injected clock, then counted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Role
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from tests.factories import centre_of, small_city

MICRO = "41010200100100101"
CASES = "/api/v1/cases"
INDICATORS = "/api/v1/indicators/cases"
NOVEMBER = {"from": "2026-11-01T00:00:00+08:00", "to": "2026-12-01T00:00:00+08:00"}
PEOPLE = {
    "inspector": (Role.GRID_WORKER, MICRO, ""),
    "acceptor": (Role.CASE_ACCEPTOR, "410102", ""),
    "leader": (Role.SHIFT_LEADER, "410102", ""),
    "dispatcher": (Role.DISPATCHER, "410102", ""),
    "handler": (Role.DEPARTMENT_HANDLER, "410102", "city_management"),
    "other_district": (Role.SHIFT_LEADER, "410103", ""),
}
Steps = list[tuple[str, str, dict[str, object]]]
TO_HANDLE: Steps = [
    ("acceptor", "accept", {}),
    ("leader", "file", {}),
    ("dispatcher", "dispatch", {"department": "city_management"}),
]
TO_CLOSE: Steps = [
    ("handler", "handle", {"result": "已清运"}),
    ("dispatcher", "feedback", {}),
    ("inspector", "verify", {"passed": True}),
    ("leader", "close", {"outcome": "fixed"}),
]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai

    def __call__(self) -> datetime:
        return self.now


class PlainHasher:
    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    clock: Clock
    lat: float
    lon: float

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def act(self, case_id: int, steps: Steps) -> None:
        for who, action, body in steps:
            self.clock.now += timedelta(minutes=5)
            response = self.client.post(
                f"{CASES}/{case_id}/{action}", json=body, headers=self.as_(who)
            )
            assert response.status_code == 200, (action, response.text)

    def report(self) -> int:
        self.clock.now += timedelta(minutes=5)
        body = {
            "category": "event:0101",
            "description": "路边暴露垃圾",
            "lat": self.lat,
            "lon": self.lon,
        }
        response = self.client.post(CASES, json=body, headers=self.as_("inspector"))
        assert response.status_code == 201, response.text
        case_id: int = response.json()["id"]
        return case_id

    def indicators(self, who: str = "leader", **params: str) -> Any:
        return self.client.get(INDICATORS, params=params, headers=self.as_(who))

    def figures(self, **params: str) -> dict[str, Any]:
        response = self.indicators(**({"area": "410102"} | NOVEMBER | params))
        assert response.status_code == 200, response.text
        figures: dict[str, Any] = response.json()["indicators"]
        return figures


@pytest.fixture
def api(container: Container) -> Iterator[Api]:
    clock = Clock()
    container.clock = clock
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    tokens = {}
    for name, (role, code, department) in PEOPLE.items():
        users.add_user(container.uow(), PlainHasher(), name, "long enough password", now=clock.now)
        users.grant_role(container.uow(), name, role, code, now=clock.now, department=department)
        tokens[name] = users.create_token(container.uow(), name, "t", now=clock.now).token
    lat, lon = centre_of(next(a for a in areas if a.code == MICRO))
    with TestClient(create_app(container=container)) as client:
        yield Api(client, tokens, clock, lat, lon)


@dataclass
class Story:
    before_late_close: str  # as_of: B still open, past its deadlines


@pytest.fixture
def story(api: Api) -> Story:
    """A closed within minutes; B and C dispatched; two days later B is closed, C still open.

    event:0101 allows 2 working hours to handle and 7 from filing to close (dispatch 1,
    handle 2, feedback 2, verification 2), so by Wednesday B and C are both overdue.
    """
    on_time = api.report()
    api.act(on_time, TO_HANDLE + TO_CLOSE)
    late, still_open = api.report(), api.report()
    api.act(late, TO_HANDLE)
    api.act(still_open, TO_HANDLE)
    api.clock.now += timedelta(days=2)
    before = api.clock.now.isoformat()
    api.act(late, TO_CLOSE)
    return Story(before)


def test_counts_and_on_time_rates_come_from_the_log(api: Api, story: Story) -> None:
    figures = api.figures()
    assert (figures["reported"], figures["filed"], figures["closed"]) == (3, 3, 2)
    assert (figures["closed_on_time"], figures["due_to_close"]) == (1, 3)
    assert figures["close_rate"] == {
        "numerator": 2,
        "denominator": 3,
        "value": pytest.approx(2 / 3),
    }
    assert figures["on_time_close_rate"]["value"] == pytest.approx(1 / 3)
    assert (figures["handled"], figures["handled_on_time"], figures["due_to_handle"]) == (2, 1, 3)
    assert figures["on_time_handle_rate"]["value"] == pytest.approx(1 / 3)


def test_as_of_before_the_late_close_gives_the_figures_of_that_moment(
    api: Api, story: Story
) -> None:
    figures = api.figures(as_of=story.before_late_close)
    assert (figures["closed"], figures["closed_on_time"], figures["due_to_close"]) == (1, 1, 3)
    assert figures["close_rate"]["value"] == pytest.approx(1 / 3)
    assert api.figures()["close_rate"]["value"] == pytest.approx(2 / 3)


def test_the_cohort_basis_and_the_department_narrow_the_same_log(api: Api, story: Story) -> None:
    cohort = api.figures(basis="reported")
    assert (cohort["reported"], cohort["closed"], cohort["due_to_close"]) == (3, 2, 3)
    assert api.figures(department="city_management")["closed"] == 2
    assert api.figures(department="water_supply")["closed"] == 0
    assert (
        api.figures(**{"from": "2026-12-01T00:00:00+08:00", "to": "2027-01-01T00:00:00+08:00"})[
            "reported"
        ]
        == 0
    )


def test_csv_and_xlsx_downloads_parse_back_to_the_same_numbers(api: Api, story: Story) -> None:
    params = {"area": "410102"} | NOVEMBER
    figures = api.figures()
    csv_response = api.indicators(**params, format="csv")
    assert csv_response.status_code == 200, csv_response.text
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert [row["key"] for row in rows] == list(figures)
    by_key = {row["key"]: row for row in rows}
    assert by_key["close_rate"]["指标"] == "结案率"
    assert by_key["close_rate"]["indicator"] == "Close rate"
    assert _from_text(by_key["closed"]) == (None, None, 2)
    assert _from_text(by_key["close_rate"]) == (2, 3, figures["close_rate"]["value"])

    xlsx_response = api.indicators(**params, format="xlsx")
    assert xlsx_response.status_code == 200, xlsx_response.text
    book = load_workbook(io.BytesIO(xlsx_response.content))
    header, *cells = book["indicators"].iter_rows(values_only=True)
    assert header == ("key", "指标", "indicator", "numerator", "denominator", "value")
    for key, _zh, _en, numerator, denominator, value in cells:
        expected = figures[str(key)]
        if isinstance(expected, dict):
            assert (numerator, denominator, value) == tuple(expected.values())
        else:
            assert (numerator, denominator, value) == (None, None, expected)
    asked = {str(name): value for name, value in book["query"].iter_rows(values_only=True)}
    assert (asked["area"], asked["basis"]) == ("410102", "event")


def test_an_area_outside_the_callers_jurisdiction_is_403(api: Api, story: Story) -> None:
    response = api.indicators("other_district", area="410102", **NOVEMBER)
    assert response.status_code == 403, response.text
    own = api.indicators("other_district", area="410103", **NOVEMBER)
    assert own.json()["indicators"]["reported"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-13-01T00:00:00+08:00"}, "to"),
        ({"from": "2026-11-01T00:00:00"}, "from"),
        ({"as_of": "2026-11-20T00:00:00"}, "as_of"),
        ({"from": "2026-12-01T00:00:00+08:00"}, "to"),
        ({"basis": "monthly"}, "basis"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_dates_and_choices_are_422_naming_the_field(
    api: Api, params: dict[str, str], field: str
) -> None:
    response = api.indicators(**({"area": "410102"} | NOVEMBER | params))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_an_unknown_area_is_404(api: Api) -> None:
    assert api.indicators(area="999999", **NOVEMBER).status_code == 404


def _from_text(row: dict[str, str]) -> tuple[int | None, int | None, float | None]:
    def number(text: str) -> float | None:
        return float(text) if text else None

    numerator, denominator = number(row["numerator"]), number(row["denominator"])
    return (
        None if numerator is None else int(numerator),
        None if denominator is None else int(denominator),
        number(row["value"]),
    )


def test_a_department_that_looks_like_a_formula_stays_text_in_the_xlsx(api: Api) -> None:
    response = api.indicators(area="410102", **NOVEMBER, department="=1+2", format="xlsx")
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["query"]
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "department")
    assert (cell.value, cell.data_type) == ("=1+2", "s")
