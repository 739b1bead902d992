"""The indicators API on both engines: cases driven over HTTP on an injected clock, then counted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Role
from civicgrid.domain.cases import workflow
from civicgrid.domain.cases.roles import Position
from civicgrid.services.cases.ticking import schedule_for
from tests.fixtures import CASE_WORKERS, CityClient, city_client

CASES = "/api/v1/cases"
INDICATORS = "/api/v1/indicators/cases"
NOVEMBER = {"from": "2026-11-01T00:00:00+08:00", "to": "2026-12-01T00:00:00+08:00"}
PEOPLE = CASE_WORKERS | {"other_district": (Role.SHIFT_LEADER, "410103", "")}
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


class Api(CityClient):
    def act(self, case_id: int, steps: Steps) -> None:
        for who, action, body in steps:
            self.clock.now += timedelta(minutes=5)
            response = self.client.post(
                f"{CASES}/{case_id}/{action}", json=body, headers=self.as_(who)
            )
            assert response.status_code == 200, (action, response.text)

    def report(self, who: str = "inspector", **extra: str) -> int:
        self.clock.now += timedelta(minutes=5)
        body = {
            "category": "event:0101",
            "description": "路边暴露垃圾",
            "lat": self.lat,
            "lon": self.lon,
        }
        response = self.client.post(CASES, json=body | extra, headers=self.as_(who))
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
    with city_client(container, PEOPLE, Api) as api:
        yield api


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


def test_the_position_a_case_was_reported_from_narrows_the_figures(api: Api, story: Story) -> None:
    api.report("acceptor", source="hotline")
    assert api.figures()["reported"] == 4
    assert api.figures(position="inspector")["reported"] == 3
    assert api.figures(position="acceptor")["reported"] == 1
    assert api.figures(position="handler")["reported"] == 0
    response = api.indicators(area="410102", **NOVEMBER, position="inspector", format="xlsx")
    asked = dict(load_workbook(io.BytesIO(response.content))["query"].iter_rows(values_only=True))
    assert asked["position"] == "inspector"
    bad = api.indicators(area="410102", **NOVEMBER, position="mayor")
    assert bad.status_code == 422, bad.text
    assert bad.json()["error"]["field"] == "position"


def test_repeated_requests_replay_only_the_cases_with_new_events(api: Api, story: Story) -> None:
    facts = api.container.indicator_facts
    first = api.figures()
    assert facts.replayed == 3
    assert api.figures() == first
    assert api.figures(area="410102001")["reported"] == 3  # a street: the same cached facts
    assert facts.replayed == 3  # nothing new in the log: nothing replayed

    api.act(api.report(), TO_HANDLE)
    assert (api.figures()["reported"], api.figures()["filed"]) == (4, 4)
    assert facts.replayed == 4  # only the new case

    # A moment before the log's latest event is replayed up to then, not cached.
    assert api.figures(as_of=story.before_late_close)["closed"] == 1
    assert facts.replayed == 4


def test_an_event_whose_id_commits_late_is_still_counted(api: Api, database_url: str) -> None:
    """PostgreSQL hands out ids at insert: a lower id can commit after a higher one."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: its ids commit in order")
    late_case, other = api.report(), api.report()
    api.act(late_case, TO_HANDLE[:1])
    api.act(other, TO_HANDLE[:1])
    assert api.figures()["filed"] == 0
    container = api.container
    with container.uow() as late:  # 立案 of `late_case`, inserted but not yet committed
        case = late.cases.get(late_case)
        assert case is not None
        event = workflow.file(case, "leader", Position.SHIFT_LEADER, api.clock.now)
        updated = case.apply(event)
        late.cases.append(updated, event, schedule_for(container.rules, updated))
        api.act(other, TO_HANDLE[1:2])  # a higher id, committed first
        assert api.figures()["filed"] == 1
        late.commit()
    assert api.figures()["filed"] == 2
