"""The indicators civicgrid ships: computed ones from its logs, and the reported ones
the source document names. Custom indicators are added to the catalogue at run time."""

from __future__ import annotations

from civicgrid.domain.sanbiao.catalogue import (
    Aggregation,
    Direction,
    IndicatorDef,
    Kind,
    Periodicity,
    Theme,
)

A, D, P = Aggregation, Direction, Periodicity  # short names keep the table below readable

CASES, PROJECTS, DIRECTIVES, ALERTS = "cases", "projects", "directives", "alerts"


def _computed(
    code: str,
    zh: str,
    en: str,
    unit: str,
    d: Direction,
    a: Aggregation,
    source: str,
    weight: str | None = None,
    theme: Theme = Theme.GOVERNANCE,
    periodicity: Periodicity = P.MONTH,
) -> IndicatorDef:
    return IndicatorDef(code, zh, en, unit, d, a, periodicity, Kind.COMPUTED, theme, weight, source)


def _case_rate(code: str, zh: str, en: str, d: Direction, weight: str) -> IndicatorDef:
    """A monthly share of cases, averaged up the tree by its count `weight`."""
    return _computed(code, zh, en, "%", d, A.WEIGHTED_MEAN, CASES, weight=weight)


def _project_count(code: str, zh: str, en: str, unit: str) -> IndicatorDef:
    """A yearly sum over the investment projects (双招双引)."""
    return _computed(
        code, zh, en, unit, D.HIGHER, A.SUM, PROJECTS, theme=Theme.ECONOMY, periodicity=P.YEAR
    )


def _reported(code: str, zh: str, en: str, unit: str, theme: Theme = Theme.ECONOMY) -> IndicatorDef:
    return IndicatorDef(code, zh, en, unit, D.HIGHER, A.SUM, P.YEAR, Kind.REPORTED, theme)


BUILTIN: tuple[IndicatorDef, ...] = (
    # Cases: recomputed from the case event log for any past period.
    _computed("cases.filed", "立案数", "Cases filed", "件", D.HIGHER, A.SUM, CASES),
    _computed("cases.due_to_close", "应结案数", "Cases due to close", "件", D.HIGHER, A.SUM, CASES),
    _case_rate(
        "cases.on_time_close_rate",
        "按期结案率",
        "On-time close rate",
        D.HIGHER,
        weight="cases.due_to_close",
    ),
    _computed("cases.handled", "处置数", "Cases handled", "件", D.HIGHER, A.SUM, CASES),
    _computed(
        "cases.handling_hours_median",
        "处置用时中位数",
        "Median handling time",
        "工作小时",
        D.LOWER,
        A.NONE,
        CASES,
    ),
    _case_rate("cases.rework_rate", "返工率", "Rework rate", D.LOWER, weight="cases.handled"),
    _computed("cases.ratings", "评价数", "Ratings", "件", D.HIGHER, A.SUM, CASES),
    _case_rate("cases.satisfaction", "满意率", "Satisfaction", D.HIGHER, weight="cases.ratings"),
    # Directives and alerts: computed from receipts and alerts by the calculators in
    # services/sanbiao/computed_directives.py and computed_alerts.py (COMPUTERS).
    _computed(
        "directives.on_time_signoff_rate",
        "按时签收率",
        "On-time sign-off rate",
        "%",
        D.HIGHER,
        A.MEAN,
        DIRECTIVES,
    ),
    _computed(
        "directives.feedback_rate", "反馈率", "Feedback rate", "%", D.HIGHER, A.MEAN, DIRECTIVES
    ),
    _computed(
        "alerts.response_minutes_median",
        "预警响应时长中位数",
        "Median alert response",
        "分钟",
        D.LOWER,
        A.NONE,
        ALERTS,
        theme=Theme.SAFETY,
    ),
    _computed(
        "alerts.false_share",
        "误报占比",
        "False-alert share",
        "%",
        D.LOWER,
        A.MEAN,
        ALERTS,
        theme=Theme.SAFETY,
    ),
    # 双招双引: counted from the investment projects' stage dates.
    _project_count("investment.signed_count", "新签约项目数", "Projects signed", "个"),
    _project_count("investment.signed_amount", "新签约金额", "Amount signed", "亿元"),
    _project_count("investment.started_count", "新开工项目数", "Projects started", "个"),
    _project_count("investment.producing_count", "新投产项目数", "Projects in production", "个"),
    # Reported: entered or imported with provenance.
    _reported(
        "economy.retail_sales", "社会消费品零售总额", "Retail sales of consumer goods", "亿元"
    ),
    _reported(
        "economy.industrial_added_value",
        "规模以上工业增加值",
        "Industrial added value (large firms)",
        "亿元",
    ),
    _reported("economy.new_market_entities", "新增市场主体", "New market entities", "户"),
    _reported("economy.fixed_asset_investment", "固定资产投资", "Fixed-asset investment", "亿元"),
)

BUILTIN_BY_CODE = {indicator.code: indicator for indicator in BUILTIN}
