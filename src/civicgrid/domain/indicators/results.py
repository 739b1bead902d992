"""The figures of an evaluation: counts, ratios with their parts, and summary statistics."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Ratio:
    numerator: int
    denominator: int
    value: float | None  # None when the denominator is 0

    @classmethod
    def of(cls, numerator: int, denominator: int) -> Ratio:
        return cls(numerator, denominator, numerator / denominator if denominator else None)


@dataclass(slots=True)
class Counts:
    """The counts both implementations tally; `Indicators.from_counts` adds the ratios."""

    reported: int = 0  # 上报数
    filed: int = 0  # 立案数
    closed: int = 0  # 结案数
    closed_on_time: int = 0  # 按期结案数
    due_to_close: int = 0  # 应结案数
    handled: int = 0  # 处置数
    handled_on_time: int = 0  # 按时处置数
    due_to_handle: int = 0  # 应处置数
    reworked: int = 0  # 返工数: handled cases sent back at least once
    rework_events: int = 0  # REWORK events of those cases
    public_reports_verified: int = 0  # 监督举报核实数
    inspector_reports_filed: int = 0  # 监督员有效上报数: grid workers' reports filed
    fixed: int = 0  # of 结案数: FIXED
    closed_not_fixed: int = 0  # of 结案数: CLOSED_NOT_FIXED, never counted as fixed
    resolved_by_sensor: int = 0  # of 结案数: an alert cleared, kept apart from staff fixes
    duplicates: int = 0  # merged as duplicates
    voided: int = 0  # 作废, including public reports that failed their on-site check
    enterprise_requests: int = 0  # 企业服务 requests reported


@dataclass(frozen=True, slots=True)
class Indicators:
    """GB/T 30428.4-style evaluation figures; docs/indicators.md defines each one."""

    reported: int
    filed: int
    closed: int
    closed_on_time: int
    due_to_close: int
    handled: int
    handled_on_time: int
    due_to_handle: int
    reworked: int
    rework_events: int
    public_reports_verified: int
    inspector_reports_filed: int
    fixed: int
    closed_not_fixed: int
    resolved_by_sensor: int
    duplicates: int
    voided: int
    enterprise_requests: int
    close_rate: Ratio  # 结案率 = 结案数 / 应结案数
    on_time_close_rate: Ratio  # 按期结案率 = 按期结案数 / 应结案数
    handle_rate: Ratio  # 处置率 = 处置数 / 应处置数
    on_time_handle_rate: Ratio  # 按时处置率 = 按时处置数 / 应处置数
    rework_rate: Ratio  # 返工率 = 返工数 / 处置数
    public_report_rate: Ratio  # 监督举报率 = 监督举报核实数 / 立案数
    handling_hours_median: float | None  # of the handled cases: working hours, less holds
    handling_hours_mean: float | None
    ratings: int  # 评价数
    rating_mean: float | None
    satisfied: Ratio  # ratings of 4 or 5 / ratings

    @classmethod
    def from_counts(
        cls,
        counts: Counts,
        *,
        hours_median: float | None,
        hours_mean: float | None,
        ratings: int,
        rating_mean: float | None,
        satisfied: int,
    ) -> Indicators:
        c = counts
        return cls(
            **asdict(c),
            close_rate=Ratio.of(c.closed, c.due_to_close),
            on_time_close_rate=Ratio.of(c.closed_on_time, c.due_to_close),
            handle_rate=Ratio.of(c.handled, c.due_to_handle),
            on_time_handle_rate=Ratio.of(c.handled_on_time, c.due_to_handle),
            rework_rate=Ratio.of(c.reworked, c.handled),
            public_report_rate=Ratio.of(c.public_reports_verified, c.filed),
            handling_hours_median=hours_median,
            handling_hours_mean=hours_mean,
            ratings=ratings,
            rating_mean=rating_mean,
            satisfied=Ratio.of(satisfied, ratings),
        )
