"""SQL storage for 三标: one repository assembled from a mixin per concern."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civicgrid.adapters.db.sanbiao_benchmarks import BenchmarkRows, path_range
from civicgrid.adapters.db.sanbiao_progress import ProgressRows
from civicgrid.adapters.db.tables.sanbiao import IndicatorRow, StandardRow, ValueRow
from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.sanbiao.catalogue import (
    Aggregation,
    Direction,
    IndicatorDef,
    Kind,
    Periodicity,
    Theme,
)
from civicgrid.domain.sanbiao.standards import Rule, Standard
from civicgrid.domain.sanbiao.values import ValueVersion


class SqlSanbiaoRepository(BenchmarkRows, ProgressRows):
    def __init__(self, session: Session) -> None:
        self._session = session

    # The catalogue

    def custom_indicators(self) -> list[IndicatorDef]:
        rows = self._session.execute(select(IndicatorRow).order_by(IndicatorRow.code)).scalars()
        return [
            IndicatorDef(
                r.code,
                r.name_zh,
                r.name_en,
                r.unit,
                Direction(r.direction),
                Aggregation(r.aggregation),
                Periodicity(r.periodicity),
                Kind(r.kind),
                Theme(r.theme) if r.theme else None,
                r.weight,
                r.source,
            )
            for r in rows
        ]

    def add_indicator(self, indicator: IndicatorDef) -> None:
        i = indicator
        self._session.add(
            IndicatorRow(
                code=i.code,
                name_zh=i.name_zh,
                name_en=i.name_en,
                unit=i.unit,
                direction=i.direction.value,
                aggregation=i.aggregation.value,
                weight=i.weight,
                periodicity=i.periodicity.value,
                kind=i.kind.value,
                theme=i.theme.value if i.theme else None,
                source=i.source,
            )
        )
        self._session.flush()

    # Reported values

    def value_history(self, indicator: str, area_code: str, period: str) -> list[ValueVersion]:
        rows = self._session.execute(
            select(ValueRow)
            .where(
                ValueRow.indicator == indicator,
                ValueRow.area_code == area_code,
                ValueRow.period == period,
            )
            .order_by(ValueRow.version)
        ).scalars()
        return [_value(r) for r in rows]

    def add_value(self, value: ValueVersion, area_path: AreaPath) -> None:
        v = value
        self._session.add(
            ValueRow(
                indicator=v.indicator,
                area_code=v.area_code,
                area_path=area_path,
                period=v.period,
                version=v.version,
                value=v.value,
                source=v.source,
                entered_by=v.entered_by,
                entered_at=v.entered_at,
                reason=v.reason,
            )
        )
        self._session.flush()

    def current_values(
        self, indicator: str, root: AreaPath, period: str | None = None
    ) -> list[tuple[AreaPath, ValueVersion]]:
        low, high = path_range(root)
        scope = [
            ValueRow.indicator == indicator,
            ValueRow.area_path >= low,
            ValueRow.area_path < high,
        ]
        if period is not None:
            scope.append(ValueRow.period == period)
        latest = (
            select(ValueRow.area_code, ValueRow.period, func.max(ValueRow.version).label("v"))
            .where(*scope)
            .group_by(ValueRow.area_code, ValueRow.period)
            .subquery()
        )
        rows = self._session.execute(
            select(ValueRow)
            .join(
                latest,
                (ValueRow.area_code == latest.c.area_code)
                & (ValueRow.period == latest.c.period)
                & (ValueRow.version == latest.c.v),
            )
            .where(ValueRow.indicator == indicator)
        ).scalars()
        return [(r.area_path, _value(r)) for r in rows]

    # Standards

    def save_standard(self, standard: Standard, area_path: AreaPath, at: datetime) -> int:
        s = standard
        row = self._session.execute(
            select(StandardRow).where(
                StandardRow.area_code == s.area_code,
                StandardRow.indicator == s.indicator,
                StandardRow.period == s.period,
            )
        ).scalar_one_or_none()
        if row is None:
            row = StandardRow(
                area_code=s.area_code, area_path=area_path, indicator=s.indicator, period=s.period
            )
            self._session.add(row)
        row.target, row.rule, row.derivation = s.target, s.rule.value, s.derivation
        row.parent_id, row.set_by, row.set_at = s.parent_id, s.set_by, at
        self._session.flush()
        return row.id

    def standards(
        self, root: AreaPath, indicator: str | None = None, period: str | None = None
    ) -> list[Standard]:
        low, high = path_range(root)
        query = select(StandardRow).where(
            StandardRow.area_path >= low, StandardRow.area_path < high
        )
        if indicator is not None:
            query = query.where(StandardRow.indicator == indicator)
        if period is not None:
            query = query.where(StandardRow.period == period)
        rows = self._session.execute(query.order_by(StandardRow.area_path, StandardRow.id))
        return [_standard(r) for r in rows.scalars()]

    def get_standard(self, standard_id: int) -> tuple[Standard, AreaPath] | None:
        row = self._session.get(StandardRow, standard_id)
        return None if row is None else (_standard(row), row.area_path)


def _value(r: ValueRow) -> ValueVersion:
    return ValueVersion(
        r.indicator,
        r.area_code,
        r.period,
        r.version,
        r.value,
        r.source,
        r.entered_by,
        r.entered_at,
        r.reason,
    )


def _standard(r: StandardRow) -> Standard:
    return Standard(
        r.id,
        r.area_code,
        r.indicator,
        r.period,
        r.target,
        Rule(r.rule),
        r.derivation,
        r.parent_id,
        r.set_by,
    )
