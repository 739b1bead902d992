"""Derivation rules, cascades, roll-ups, ranks, periods and milestone status."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.sanbiao.aggregate import roll_up
from civicgrid.domain.sanbiao.cascade import Part, check_cascade, split_target
from civicgrid.domain.sanbiao.catalogue import Aggregation, Direction
from civicgrid.domain.sanbiao.forecast import Point
from civicgrid.domain.sanbiao.gaps import Rank, gap_to, ranks
from civicgrid.domain.sanbiao.milestones import Comparison, Condition, Milestone, Status, assess
from civicgrid.domain.sanbiao.peers import PeerValue, latest_values
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.domain.sanbiao.standards import (
    improve_yearly,
    reach_best_peer,
    reach_peer_median,
    scale_peer,
    top_of_siblings,
)

NAMES = {1: "苏州工业园区", 2: "宁波鄞州区", 3: "成都高新区"}
VALUES = [
    PeerValue(1, "x", 2022, 3500, "synthetic"),
    PeerValue(2, "x", 2022, 1400, "synthetic"),
    PeerValue(3, "x", 2022, 2000, "synthetic"),
    PeerValue(3, "x", 2021, 1800, "synthetic"),
]


def test_peer_rules_say_which_peer_and_year_they_used() -> None:
    latest = list(latest_values(VALUES).values())
    best = reach_best_peer(latest, NAMES, Direction.HIGHER)
    assert (best.target, best.derivation) == (3500, "= 苏州工业园区 2022 value (best of 3)")
    lowest = reach_best_peer(latest, NAMES, Direction.LOWER)
    assert lowest.target == 1400
    median = reach_peer_median(latest, NAMES)
    assert median.target == 2000
    assert median.derivation.startswith("= median of 3 peers (")
    scaled = scale_peer(VALUES[2], NAMES[3], 1.05)
    assert scaled.target == pytest.approx(2100)
    assert scaled.derivation == "= 成都高新区 2022 value × 1.05"
    assert latest_values(VALUES, 2021)[3].value == 1800
    with pytest.raises(InvalidInput, match="no peer"):
        reach_peer_median([], NAMES)


def test_top_of_siblings_takes_the_value_at_the_cut() -> None:
    values = {"a": 10.0, "b": 40.0, "c": 30.0, "d": 20.0, "e": 50.0}
    top = top_of_siblings(values, {"b": "二七区"}, 0.4, Direction.HIGHER, "2023")
    assert top.target == 40.0  # the second best of five
    assert "二七区's value, rank 2" in top.derivation
    assert top_of_siblings(values, {}, 0.2, Direction.LOWER, "2023").target == 10.0
    with pytest.raises(InvalidInput):
        top_of_siblings(values, {}, 0, Direction.HIGHER, "2023")


def test_improvement_compounds_yearly_in_the_better_direction() -> None:
    up = improve_yearly(1000, "2021", 0.1, 2, Direction.HIGHER)
    assert up.target == pytest.approx(1210)
    assert up.derivation == "= 2021 value 1000 × 1.1^2"
    down = improve_yearly(40, "2021", 0.25, 1, Direction.LOWER)
    assert down.target == pytest.approx(30)


@given(
    total=st.floats(0, 1e9),
    weights=st.dictionaries(
        st.text("0123456789", min_size=3, max_size=3),
        st.floats(0.001, 1e6),
        min_size=1,
        max_size=12,
    ),
)
def test_a_cascade_of_a_sum_adds_back_up_to_the_whole(
    total: float, weights: dict[str, float]
) -> None:
    parts = split_target(total, Aggregation.SUM, weights, {}, "区", "weights")
    check_cascade(total, Aggregation.SUM, parts)
    assert {p.area_code for p in parts} == set(weights)


def test_a_mean_cascades_its_level_and_a_bad_split_is_refused() -> None:
    parts = split_target(95.0, Aggregation.WEIGHTED_MEAN, {"a": 1, "b": 3}, {}, "区", "weights")
    assert [p.target for p in parts] == [95.0, 95.0]
    check_cascade(95.0, Aggregation.WEIGHTED_MEAN, parts)
    with pytest.raises(InvalidInput, match="not the whole"):
        check_cascade(100.0, Aggregation.SUM, [Part("a", 60, 0.5, ""), Part("b", 30, 0.5, "")])
    with pytest.raises(InvalidInput, match="does not aggregate"):
        split_target(1.0, Aggregation.NONE, {"a": 1}, {}, "区", "weights")
    with pytest.raises(InvalidInput, match="zero"):
        split_target(1.0, Aggregation.SUM, {"a": 0}, {}, "区", "weights")


def test_roll_up_fills_a_level_from_the_one_below() -> None:
    values = {"/1/2/3/": 10.0, "/1/2/4/": 30.0, "/1/5/": 7.0, "/1/5/6/": 1000.0}
    assert roll_up("/1/", values, Aggregation.SUM) == 47.0  # /1/5/ stands as reported
    assert roll_up("/1/2/", values, Aggregation.MEAN) == 20.0
    weights = {"/1/2/3/": 3.0, "/1/2/4/": 1.0}
    assert roll_up("/1/2/", values, Aggregation.WEIGHTED_MEAN, weights) == 15.0
    assert roll_up("/1/2/", values, Aggregation.NONE) is None


def test_gaps_and_ranks_follow_the_direction() -> None:
    assert gap_to(900, 1000, Direction.HIGHER).absolute == 100
    assert gap_to(900, 1000, Direction.HIGHER).relative == pytest.approx(0.1)
    assert gap_to(30, 24, Direction.LOWER).absolute == 6
    assert gap_to(1, 0, Direction.HIGHER).relative is None
    got = ranks({"a": 5, "b": 9, "c": 9, "d": 1}, Direction.HIGHER)
    assert got == {"b": Rank(1, 4), "c": Rank(1, 4), "a": Rank(3, 4), "d": Rank(4, 4)}


def test_period_keys_parse_order_and_step_back() -> None:
    assert PeriodKey.parse("2023-Q1").previous().key == "2022-Q4"
    assert PeriodKey.parse("2023-01").previous().key == "2022-12"
    assert PeriodKey.parse("2023").end == date(2024, 1, 1)
    assert PeriodKey.parse("2023-03") < PeriodKey.parse("2023-04")
    for bad in ("2023-13", "2023-Q5", "23", "2023-1"):
        with pytest.raises(InvalidInput):
            PeriodKey.parse(bad)


RETAIL = Condition("economy.retail_sales", Comparison.AT_LEAST, 1100)


def milestone(deadline: date, condition: Condition | None = RETAIL, **kw: object) -> Milestone:
    return Milestone(
        1,
        "410105",
        "社会消费品零售总额突破1100亿元",
        "Retail sales above 1,100",
        deadline,
        condition,
        **kw,
    )  # type: ignore[arg-type]


def yearly(*values: float) -> list[Point]:
    return [Point(date(2018 + i, 12, 31), v) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("points", "today", "status"),
    [
        ([], date(2023, 6, 1), Status.NOT_STARTED),
        (yearly(900, 1000, 1120), date(2023, 6, 1), Status.ACHIEVED),
        (yearly(700, 800, 900, 1000), date(2023, 6, 1), Status.ON_TRACK),  # +100/yr: 1,100 in 2022
        (yearly(900, 905, 910, 915), date(2023, 6, 1), Status.AT_RISK),
        (yearly(900, 950), date(2023, 6, 1), Status.AT_RISK),  # too few to forecast
        (yearly(900, 905, 910, 915), date(2024, 1, 2), Status.MISSED),
    ],
)
def test_status_follows_from_the_values_and_the_forecast(
    points: list[Point], today: date, status: Status
) -> None:
    assert assess(milestone(date(2023, 12, 31)), points, today).status is status


def test_a_value_after_the_deadline_does_not_achieve_it() -> None:
    late = [Point(date(2024, 3, 31), 1200.0)]
    assert assess(milestone(date(2023, 12, 31)), late, date(2024, 4, 1)).status is Status.MISSED


def test_a_milestone_checked_by_hand_needs_approved_evidence() -> None:
    deadline = date(2023, 12, 31)
    assert assess(milestone(deadline, None), [], date(2023, 6, 1)).status is Status.NOT_STARTED
    shown = milestone(deadline, None, evidence=("photo.jpg",))
    assert assess(shown, [], date(2023, 6, 1)).status is Status.ON_TRACK
    approved = milestone(
        deadline, None, evidence=("photo.jpg",), approved_by="leader", achieved_on=date(2023, 9, 1)
    )
    assert assess(approved, [], date(2024, 6, 1)).status is Status.ACHIEVED
    assert assess(shown, [], date(2024, 1, 1)).status is Status.MISSED
