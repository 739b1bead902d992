"""考察归来看转化: lessons from a study tour, the actions they led to, and the results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from civicgrid.domain.sanbiao.milestones import Status


class ActionKind(StrEnum):
    DIRECTIVE = "directive"
    PROJECT = "project"
    POLICY = "policy"


@dataclass(frozen=True, slots=True)
class Lesson:
    id: int
    area_code: str
    title_zh: str
    title_en: str
    text: str
    source: str
    recorded_at: datetime
    indicators: tuple[str, ...] = ()
    practice_id: int | None = None


@dataclass(frozen=True, slots=True)
class LessonAction:
    id: int
    lesson_id: int
    kind: ActionKind
    title: str
    reference: str  # e.g. a directive number or project id; free text for a policy
    milestone_ids: tuple[int, ...] = ()


MEASURABLE = frozenset({Status.ON_TRACK, Status.ACHIEVED, Status.AT_RISK, Status.MISSED})


def action_has_result(milestone_statuses: list[Status]) -> bool:
    """An action shows a measurable result when a milestone it serves is being measured:
    one with values behind its status, or approved evidence."""
    return any(status in MEASURABLE for status in milestone_statuses)
