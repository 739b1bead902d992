"""The gap analysis, ranking and conversion report as rows for a CSV or XLSX file."""

from __future__ import annotations

from collections.abc import Sequence

from civicgrid.adapters.files.sanbiao_tables import Cell
from civicgrid.services.sanbiao.conversion import LessonReport
from civicgrid.services.sanbiao.gaps import GapRow, RankRow

Table = tuple[list[str], list[list[Cell]]]

GAP_HEADER = [
    "code",
    "指标",
    "indicator",
    "unit",
    "period",
    "value",
    "standard",
    "derivation",
    "gap_to_standard",
    "gap_to_standard_relative",
    "benchmark",
    "benchmark_year",
    "benchmark_value",
    "gap_to_benchmark",
    "trend",
    "slope_per_year",
    "rank",
    "of",
]


def gap_table(rows: Sequence[GapRow]) -> Table:
    out: list[list[Cell]] = []
    for r in rows:
        s, b = r.standard, r.benchmark
        out.append(
            [
                r.indicator.code,
                r.indicator.name_zh,
                r.indicator.name_en,
                r.indicator.unit,
                r.period,
                r.value,
                s.target if s else None,
                s.derivation if s else None,
                r.to_standard.absolute if r.to_standard else None,
                r.to_standard.relative if r.to_standard else None,
                r.benchmark_name,
                b.year if b else None,
                b.value if b else None,
                r.to_benchmark.absolute if r.to_benchmark else None,
                r.trend,
                r.slope_per_year,
                r.rank.rank if r.rank else None,
                r.rank.of if r.rank else None,
            ]
        )
    return GAP_HEADER, out


def ranking_table(rows: Sequence[RankRow]) -> Table:
    header = ["rank", "area", "名称", "name", "value", "previous_rank", "previous_value", "change"]
    return header, [
        [
            r.rank.rank if r.rank else None,
            r.area.code,
            r.area.name_zh,
            r.area.name_en,
            r.value,
            r.previous_rank.rank if r.previous_rank else None,
            r.previous_value,
            r.change,
        ]
        for r in rows
    ]


def conversion_table(reports: Sequence[LessonReport]) -> Table:
    """One row per lesson and action (a lesson without action gets one row, flagged)."""
    header = [
        "lesson_id",
        "area",
        "学习成果",
        "lesson",
        "source",
        "action_kind",
        "action",
        "milestones",
        "statuses",
        "measurable",
        "flag",
        "indicator_changes",
    ]
    out: list[list[Cell]] = []
    for r in reports:
        x = r.lesson
        moves = "; ".join(
            f"{m.indicator} {m.before_period}→{m.latest_period}: {m.change:+g}"
            for m in r.movements
            if m.change is not None
        )
        base: list[Cell] = [x.id, x.area_code, x.title_zh, x.title_en, x.source]
        if not r.actions:
            out.append([*base, None, None, None, None, None, "lesson without action", moves])
        for a in r.actions:
            titles = "; ".join(m.milestone.title_zh for m in a.milestones)
            statuses = "; ".join(m.assessment.status.value for m in a.milestones)
            flag = None if a.measurable else "action without measurable result"
            out.append(
                [
                    *base,
                    a.action.kind.value,
                    a.action.title,
                    titles,
                    statuses,
                    "yes" if a.measurable else "no",
                    flag,
                    moves,
                ]
            )
    return header, out
