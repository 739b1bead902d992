"""考察归来看转化: lessons, the actions they led to, and the conversion report."""

from __future__ import annotations

from dataclasses import dataclass, replace

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.sanbiao.conversion import Lesson, LessonAction, action_has_result
from civicgrid.domain.sanbiao.milestones import Status
from civicgrid.services.areas import access_area
from civicgrid.services.sanbiao.catalogue import indicator_in, load_catalogue
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.milestones import AssessedMilestone, assess_within
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader


@dataclass(frozen=True, slots=True)
class Movement:
    indicator: str
    before: float | None  # the last period that had ended when the lesson was recorded
    before_period: str | None
    latest: float | None
    latest_period: str | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.latest is None:
            return None
        return self.latest - self.before


@dataclass(frozen=True, slots=True)
class ActionResult:
    action: LessonAction
    milestones: list[AssessedMilestone]
    measurable: bool  # False: the action has no measurable result yet, and stands out


@dataclass(frozen=True, slots=True)
class LessonReport:
    lesson: Lesson
    actions: list[ActionResult]
    movements: list[Movement]

    @property
    def without_action(self) -> bool:
        return not self.actions


def record_lesson(
    uow: SanbiaoUnitOfWork, principal: Principal, lesson: Lesson, context: Context
) -> Lesson:
    if not lesson.title_zh.strip() or not lesson.title_en.strip() or not lesson.source.strip():
        raise InvalidInput(
            "a lesson needs titles in zh-CN and en, and its source", field="title_zh"
        )
    with uow:
        area = access_area(
            uow, principal, lesson.area_code, Action.MANAGE_AREAS, with_geometry=False
        )
        catalogue = load_catalogue(uow)
        for code in lesson.indicators:
            indicator_in(catalogue, code)
        if lesson.practice_id is not None and lesson.practice_id not in {
            p.id for p in uow.sanbiao.practices()
        }:
            raise NotFound(f"no practice {lesson.practice_id}", field="practice_id")
        recorded = lesson if lesson.recorded_at else replace(lesson, recorded_at=context.now)
        lesson_id = uow.sanbiao.add_lesson(recorded, area.path)
        uow.commit()
    return replace(recorded, id=lesson_id)


def link_action(uow: SanbiaoUnitOfWork, principal: Principal, action: LessonAction) -> LessonAction:
    """An action taken on a lesson (a directive, project or policy), and the milestones it
    serves, which must lie in the lesson's area."""
    if not action.title.strip():
        raise InvalidInput("an action needs a title", field="title")
    with uow:
        found = uow.sanbiao.get_lesson(action.lesson_id)
        if found is None:
            raise NotFound(f"no lesson {action.lesson_id}", field="lesson_id")
        lesson, path = found
        authorize(principal, Action.MANAGE_AREAS, path, f"lesson {lesson.id}")
        for milestone_id in action.milestone_ids:
            milestone = uow.sanbiao.get_milestone(milestone_id)
            if milestone is None or not milestone[1].startswith(path):
                raise NotFound(
                    f"no milestone {milestone_id} in area {lesson.area_code}", field="milestone_ids"
                )
        action_id = uow.sanbiao.add_action(action)
        uow.commit()
    return replace(action, id=action_id)


def report_conversion(
    uow: SanbiaoUnitOfWork, principal: Principal, area_code: str, context: Context
) -> list[LessonReport]:
    """Each lesson of the subtree: its actions, their milestones' status, and how its
    indicators moved since it was recorded."""
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        catalogue = load_catalogue(uow)
        reader = ValueReader(uow, catalogue, context)
        lessons = uow.sanbiao.lessons(area.path)
        actions = uow.sanbiao.actions([x.id for x in lessons])
        assessed = {m.milestone.id: m for m in assess_within(uow, area, context)}
        reports = []
        for lesson in lessons:
            owner = uow.areas.get(lesson.area_code, with_geometry=False)
            results = []
            for action in (a for a in actions if a.lesson_id == lesson.id):
                served = [assessed[i] for i in action.milestone_ids if i in assessed]
                statuses: list[Status] = [m.assessment.status for m in served]
                results.append(ActionResult(action, served, action_has_result(statuses)))
            movements = []
            for code in lesson.indicators:
                indicator = catalogue[code]
                series = reader.series(indicator, owner) if owner else []
                learned = lesson.recorded_at.astimezone(context.zone).date()
                # The baseline: the last period that had ended when the lesson was learned.
                before = [(p, v) for p, v in series if p.end <= learned]
                first = before[-1] if before else None
                last = series[-1] if series else None
                movements.append(
                    Movement(
                        code,
                        first[1] if first else None,
                        first[0].key if first else None,
                        last[1] if last else None,
                        last[0].key if last else None,
                    )
                )
            reports.append(LessonReport(lesson, results, movements))
    return reports
