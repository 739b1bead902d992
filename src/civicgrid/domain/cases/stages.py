"""The seven stages of the digital city-management workflow (GB/T 30428), and outcomes."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    COLLECT = "collect"  # 信息收集: a problem is reported
    FILE = "file"  # 案卷建立: 受理 accept, on-site check of public reports, 立案 file
    DISPATCH = "dispatch"  # 任务派遣: sent to the responsible department
    HANDLE = "handle"  # 任务处理: the department works on it
    FEEDBACK = "feedback"  # 处理反馈: the department's result comes back to the centre
    VERIFY_CLOSE = "verify_close"  # 核查结案: verified on site, then closed
    EVALUATE = "evaluate"  # 综合评价: closed; rated and counted

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def order(self) -> int:
        return _ORDER.index(self)

    def previous(self) -> Stage | None:
        index = _ORDER.index(self)
        return _ORDER[index - 1] if index > 0 else None


_ORDER = list(Stage)

_ZH = {
    Stage.COLLECT: "信息收集",
    Stage.FILE: "案卷建立",
    Stage.DISPATCH: "任务派遣",
    Stage.HANDLE: "任务处理",
    Stage.FEEDBACK: "处理反馈",
    Stage.VERIFY_CLOSE: "核查结案",
    Stage.EVALUATE: "综合评价",
}


class Outcome(StrEnum):
    """How a case ended. Only FIXED counts as fixed in any indicator."""

    FIXED = "fixed"
    CLOSED_NOT_FIXED = "closed_not_fixed"  # e.g. not our responsibility
    DUPLICATE = "duplicate"
    VOID = "void"
    RESOLVED_BY_SENSOR = "resolved_by_sensor"  # an alert cleared; kept apart from staff fixes


class Source(StrEnum):
    GRID_WORKER = "grid_worker"
    CITIZEN = "citizen"
    HOTLINE = "hotline"
    SENSOR = "sensor"
    VIDEO = "video"
    ENTERPRISE = "enterprise"
    STAFF = "staff"

    @property
    def is_public(self) -> bool:
        """Public reports need an on-site check before they are filed."""
        return self in {Source.CITIZEN, Source.HOTLINE, Source.ENTERPRISE}


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"  # 直报: every ancestor level is told at the same moment
