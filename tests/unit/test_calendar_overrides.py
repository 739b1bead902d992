"""A city's calendar corrections read from YAML: dates that are holidays or 调休 workdays."""

from __future__ import annotations

from datetime import date

import pytest

from civicgrid.adapters.files.calendar_overrides import read_calendar_overrides
from civicgrid.adapters.holidays import china_calendar
from civicgrid.domain.areas.problems import ImportRejected


def read(text: str) -> dict[date, bool]:
    return read_calendar_overrides(text.encode(), source_name="city.yaml")


def rejected(text: str) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        read(text)
    assert "city.yaml" in str(caught.value)
    return [str(problem) for problem in caught.value.problems]


def test_holidays_and_workdays_in_english_or_chinese() -> None:
    overrides = read(
        "2027-01-01: holiday  # 元旦\n"
        "'2027-02-07': workday\n"
        "2027-02-08: 休\n"
        "2027-02-20: 班\n"
        "2027-05-03: Holiday\n"
    )
    assert overrides == {
        date(2027, 1, 1): False,
        date(2027, 2, 7): True,
        date(2027, 2, 8): False,
        date(2027, 2, 20): True,
        date(2027, 5, 3): False,
    }


def test_an_empty_file_changes_nothing() -> None:
    assert read("# nothing announced yet\n") == {}


def test_every_bad_entry_is_named_by_its_line_and_date() -> None:
    problems = rejected(
        "2027-01-01: holiday\n"
        "2027-02-30: holiday\n"
        "2027-03-01: maybe\n"
        "2027-01-01: workday\n"
        "2027-1-4: holiday\n"
        "2027-03-02: [holiday]\n"
    )
    assert problems == [
        "line 2, field \"date\": '2027-02-30' is not an ISO date like 2027-01-01",
        "line 3, field \"2027-03-01\": 'maybe' is not holiday (休) or workday (班)",
        'line 4, field "date": 2027-01-01 is already given on line 1',
        "line 5, field \"date\": '2027-1-4' is not an ISO date like 2027-01-01",
        'line 6, field "2027-03-02": a list is not holiday (休) or workday (班)',
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- 2027-01-01\n- 2027-01-02\n", "line 1: expected one `date: holiday|workday` entry"),
        ("2027-01-01: holiday\n  bad: [\n", "line 2: not valid YAML"),
        ("2027-01-01 10:00: holiday\n", "'2027-01-01 10:00' is not an ISO date"),
    ],
)
def test_a_file_of_the_wrong_shape_is_rejected_naming_the_line(text: str, fragment: str) -> None:
    assert any(fragment in problem for problem in rejected(text))


def test_overrides_add_a_year_the_package_does_not_know_and_keep_the_ones_it_does() -> None:
    overrides = read("2027-01-01: holiday\n2027-02-07: workday\n2026-10-08: workday\n")
    calendar = china_calendar(overrides=overrides)
    assert not calendar.is_working_day(date(2027, 1, 1))  # a Friday
    assert calendar.is_working_day(date(2027, 2, 7))  # a Sunday
    assert calendar.is_working_day(date(2026, 10, 8))  # the package's 国庆 holiday, corrected
    assert not calendar.is_working_day(date(2026, 10, 7))  # the package's, kept
    assert calendar.is_working_day(date(2027, 1, 4))
