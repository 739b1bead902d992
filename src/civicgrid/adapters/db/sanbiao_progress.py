"""SQL storage for milestones, lessons and their actions, industry chains and projects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicgrid.adapters.db.sanbiao_benchmarks import path_range
from civicgrid.adapters.db.tables.sanbiao import (
    ChainRow,
    LessonActionRow,
    LessonRow,
    MilestoneRow,
    ProjectRow,
)
from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.sanbiao.chains import Chain, Project, Stage
from civicgrid.domain.sanbiao.conversion import ActionKind, Lesson, LessonAction
from civicgrid.domain.sanbiao.milestones import Comparison, Condition, Milestone

_Row = TypeVar("_Row", MilestoneRow, LessonRow, LessonActionRow, ChainRow, ProjectRow)
_Placed = TypeVar("_Placed", MilestoneRow, LessonRow, ChainRow, ProjectRow)
_T = TypeVar("_T")


class ProgressRows:
    _session: Session

    def _insert(self, row: _Row) -> int:
        self._session.add(row)
        self._session.flush()
        return row.id

    def _in_subtree(self, kind: type[_Placed], root: AreaPath) -> list[_Placed]:
        """The rows placed in `root`'s subtree, by area and then in the order entered."""
        low, high = path_range(root)
        query = select(kind).where(kind.area_path >= low, kind.area_path < high)
        return list(self._session.execute(query.order_by(kind.area_path, kind.id)).scalars())

    def add_milestone(self, milestone: Milestone, area_path: AreaPath, by: str) -> int:
        m, c = milestone, milestone.condition
        row = MilestoneRow(
            area_code=m.area_code,
            area_path=area_path,
            title_zh=m.title_zh,
            title_en=m.title_en,
            group_name=m.group,
            deadline=m.deadline,
            indicator=c.indicator if c else None,
            comparison=c.comparison.value if c else None,
            threshold=c.threshold if c else None,
            provenance=m.provenance,
            evidence=list(m.evidence),
            approved_by=m.approved_by,
            achieved_on=m.achieved_on,
            created_by=by,
            created_at=m.created_at,
        )
        return self._insert(row)

    def milestones(self, root: AreaPath, indicator: str | None = None) -> list[Milestone]:
        low, high = path_range(root)
        query = select(MilestoneRow).where(
            MilestoneRow.area_path >= low, MilestoneRow.area_path < high
        )
        if indicator is not None:
            query = query.where(MilestoneRow.indicator == indicator)
        rows = self._session.execute(query.order_by(MilestoneRow.deadline, MilestoneRow.id))
        return [_milestone(r) for r in rows.scalars()]

    def get_milestone(self, milestone_id: int) -> tuple[Milestone, AreaPath] | None:
        return _placed(self._session.get(MilestoneRow, milestone_id), _milestone)

    def update_milestone(
        self,
        milestone_id: int,
        *,
        evidence: Sequence[str],
        approved_by: str | None,
        achieved_on: date | None,
    ) -> None:
        row = self._session.get_one(MilestoneRow, milestone_id)
        row.evidence, row.approved_by, row.achieved_on = list(evidence), approved_by, achieved_on
        self._session.flush()

    def add_lesson(self, lesson: Lesson, area_path: AreaPath) -> int:
        x = lesson
        row = LessonRow(
            area_code=x.area_code,
            area_path=area_path,
            title_zh=x.title_zh,
            title_en=x.title_en,
            text=x.text,
            source=x.source,
            recorded_at=x.recorded_at,
            indicators=list(x.indicators),
            practice_id=x.practice_id,
        )
        return self._insert(row)

    def lessons(self, root: AreaPath) -> list[Lesson]:
        return [_lesson(r) for r in self._in_subtree(LessonRow, root)]

    def get_lesson(self, lesson_id: int) -> tuple[Lesson, AreaPath] | None:
        return _placed(self._session.get(LessonRow, lesson_id), _lesson)

    def add_action(self, action: LessonAction) -> int:
        a = action
        row = LessonActionRow(
            lesson_id=a.lesson_id,
            kind=a.kind.value,
            title=a.title,
            reference=a.reference,
            milestone_ids=list(a.milestone_ids),
        )
        return self._insert(row)

    def actions(self, lesson_ids: Sequence[int]) -> list[LessonAction]:
        if not lesson_ids:
            return []
        rows = self._session.execute(
            select(LessonActionRow)
            .where(LessonActionRow.lesson_id.in_(list(lesson_ids)))
            .order_by(LessonActionRow.id)
        ).scalars()
        return [
            LessonAction(
                r.id, r.lesson_id, ActionKind(r.kind), r.title, r.reference, tuple(r.milestone_ids)
            )
            for r in rows
        ]

    def add_chain(self, chain: Chain, area_path: AreaPath) -> int:
        c = chain
        row = ChainRow(
            area_code=c.area_code,
            area_path=area_path,
            name_zh=c.name_zh,
            name_en=c.name_en,
            leader=c.leader,
            enterprises=list(c.enterprises),
            provenance=c.provenance,
        )
        return self._insert(row)

    def chains(self, root: AreaPath) -> list[Chain]:
        return [_chain(r) for r in self._in_subtree(ChainRow, root)]

    def get_chain(self, chain_id: int) -> tuple[Chain, AreaPath] | None:
        return _placed(self._session.get(ChainRow, chain_id), _chain)

    def add_project(self, project: Project, area_path: AreaPath) -> int:
        p = project
        row = ProjectRow(
            area_code=p.area_code,
            area_path=area_path,
            chain_id=p.chain_id,
            name=p.name,
            amount=p.amount,
            stage=p.stage.value,
            stage_dates=_dates_out(p.stage_dates),
            provenance=p.provenance,
        )
        return self._insert(row)

    def projects(self, root: AreaPath) -> list[Project]:
        return [_project(r) for r in self._in_subtree(ProjectRow, root)]

    def get_project(self, project_id: int) -> tuple[Project, AreaPath] | None:
        return _placed(self._session.get(ProjectRow, project_id), _project)

    def update_project(self, project: Project) -> None:
        row = self._session.get_one(ProjectRow, project.id)
        row.stage, row.amount = project.stage.value, project.amount
        row.stage_dates = _dates_out(project.stage_dates)
        self._session.flush()


def _placed(row: _Placed | None, convert: Callable[[_Placed], _T]) -> tuple[_T, AreaPath] | None:
    return None if row is None else (convert(row), row.area_path)


def _milestone(r: MilestoneRow) -> Milestone:
    condition = None
    if r.indicator is not None and r.comparison is not None and r.threshold is not None:
        condition = Condition(r.indicator, Comparison(r.comparison), r.threshold)
    return Milestone(
        r.id,
        r.area_code,
        r.title_zh,
        r.title_en,
        r.deadline,
        condition,
        r.group_name,
        r.provenance,
        tuple(r.evidence),
        r.approved_by,
        r.achieved_on,
        r.created_at,
    )


def _lesson(r: LessonRow) -> Lesson:
    return Lesson(
        r.id,
        r.area_code,
        r.title_zh,
        r.title_en,
        r.text,
        r.source,
        r.recorded_at,
        tuple(r.indicators),
        r.practice_id,
    )


def _chain(r: ChainRow) -> Chain:
    return Chain(
        r.id, r.area_code, r.name_zh, r.name_en, r.leader, tuple(r.enterprises), r.provenance
    )


def _project(r: ProjectRow) -> Project:
    dates = {Stage(k): date.fromisoformat(v) for k, v in r.stage_dates.items()}
    return Project(
        r.id, r.area_code, r.chain_id, r.name, r.amount, Stage(r.stage), dates, r.provenance
    )


def _dates_out(dates: dict[Stage, date]) -> dict[str, str]:
    return {stage.value: on.isoformat() for stage, on in dates.items()}
