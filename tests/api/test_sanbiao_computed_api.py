"""Computed 三标 indicators come from the case log: the same figures as
/api/v1/indicators/cases for the same cases, recomputed for any past month."""

from __future__ import annotations

import pytest

from tests.api.test_indicators_api import Api, Story, api, story

__all__ = ["api", "story"]  # fixtures, shared with the cases indicators tests


def series(api: Api, indicator: str, period: str | None = None) -> list[dict[str, object]]:
    params = {"indicator": indicator, "area": "410102"} | ({"period": period} if period else {})
    response = api.client.get("/api/v1/indicators/series", params=params, headers=api.as_("leader"))
    assert response.status_code == 200, response.text
    data: list[dict[str, object]] = response.json()["data"]
    return data


def test_case_indicators_match_the_evaluation_of_the_same_log(api: Api, story: Story) -> None:
    figures = api.figures()
    on_time = series(api, "cases.on_time_close_rate", "2026-11")
    assert on_time == [
        {"period": "2026-11", "value": pytest.approx(100 * figures["on_time_close_rate"]["value"])}
    ]
    assert series(api, "cases.filed", "2026-11")[0]["value"] == figures["filed"]
    assert series(api, "cases.due_to_close", "2026-11")[0]["value"] == figures["due_to_close"]
    median = series(api, "cases.handling_hours_median", "2026-11")[0]["value"]
    assert median == pytest.approx(figures["handling_hours_median"])
    assert series(api, "cases.filed", "2026-10") == [{"period": "2026-10", "value": 0.0}]
    assert series(api, "directives.feedback_rate", "2026-11") == []  # no directives: absent
