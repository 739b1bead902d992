"""Workflow positions: who may act at which stage."""

from __future__ import annotations

from enum import StrEnum


class Position(StrEnum):
    INSPECTOR = "inspector"  # 监督员/网格员: reports and verifies
    ACCEPTOR = "acceptor"  # 受理员: accepts reports
    SHIFT_LEADER = "shift_leader"  # 值班长: files, approves, closes
    DISPATCHER = "dispatcher"  # 派遣员: dispatches to departments
    HANDLER = "handler"  # 专业部门: handles
    REPORTER = "reporter"  # the person who reported (citizen): rates, reopens
    SYSTEM = "system"  # the scheduler and sensors

    @property
    def name_zh(self) -> str:
        return _ZH[self]


_ZH = {
    Position.INSPECTOR: "监督员/网格员",
    Position.ACCEPTOR: "受理员",
    Position.SHIFT_LEADER: "值班长",
    Position.DISPATCHER: "派遣员",
    Position.HANDLER: "专业部门",
    Position.REPORTER: "报告人",
    Position.SYSTEM: "系统",
}
