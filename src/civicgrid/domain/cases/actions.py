"""What can be done to a case, and which position may do it at which stage.

`ALLOWED_ACTIONS` is the one table behind both the workflow's checks and the docs
(`markdown_table`). A pair missing from it means nobody may take that action at that
stage; state rules (closed, on hold, already rated …) are applied on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Source, Stage


class CaseAction(StrEnum):
    REPORT = "report"
    ACCEPT = "accept"
    CHECK = "check"
    FILE = "file"
    DISPATCH = "dispatch"
    HANDLE = "handle"
    FORWARD_FEEDBACK = "forward_feedback"
    VERIFY = "verify"
    CLOSE = "close"
    RATE = "rate"
    REOPEN = "reopen"
    RETURN = "return_to_previous"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    REQUEST_HOLD = "request_hold"
    DECIDE_HOLD = "decide_hold"
    RELEASE_HOLD = "release_hold"
    VOID = "void"
    MERGE_INTO = "merge_into"
    ESCALATE = "escalate"
    NOTE = "note"

    @property
    def verb(self) -> str:
        """Reads after "cannot": "cannot file a case"."""
        return _LABELS[self][0]

    @property
    def noun(self) -> str:
        """Reads before "is for": "filing (立案) is for the shift leader"."""
        return _LABELS[self][1]


_LABELS = {
    CaseAction.REPORT: ("report", "reporting (上报)"),
    CaseAction.ACCEPT: ("accept", "accepting (受理)"),
    CaseAction.CHECK: ("check", "the on-site check (核实)"),
    CaseAction.FILE: ("file", "filing (立案)"),
    CaseAction.DISPATCH: ("dispatch", "dispatching (派遣)"),
    CaseAction.HANDLE: ("handle", "handling (处置)"),
    CaseAction.FORWARD_FEEDBACK: ("forward the feedback on", "forwarding feedback (反馈)"),
    CaseAction.VERIFY: ("verify", "verification (核查)"),
    CaseAction.CLOSE: ("close", "closing (结案)"),
    CaseAction.RATE: ("rate", "rating (评价)"),
    CaseAction.REOPEN: ("reopen", "reopening (重办)"),
    CaseAction.RETURN: ("return", "returning (回退)"),
    CaseAction.REQUEST_EXTENSION: ("request an extension for", "requesting extensions (延时)"),
    CaseAction.DECIDE_EXTENSION: ("decide an extension for", "deciding extensions (延时审批)"),
    CaseAction.REQUEST_HOLD: ("request a hold for", "requesting holds (挂账)"),
    CaseAction.DECIDE_HOLD: ("decide a hold for", "deciding holds (挂账审批)"),
    CaseAction.RELEASE_HOLD: ("release the hold on", "releasing holds (解除挂账)"),
    CaseAction.VOID: ("void", "voiding (作废)"),
    CaseAction.MERGE_INTO: ("merge", "merging duplicates (合并)"),
    CaseAction.ESCALATE: ("escalate", "escalation (升级)"),
    CaseAction.NOTE: ("add a note to", "notes (备注)"),
}

OPEN_STAGES = (
    Stage.COLLECT,
    Stage.FILE,
    Stage.DISPATCH,
    Stage.HANDLE,
    Stage.FEEDBACK,
    Stage.VERIFY_CLOSE,
)

_I, _A, _L = Position.INSPECTOR, Position.ACCEPTOR, Position.SHIFT_LEADER
_D, _H, _R, _S = Position.DISPATCHER, Position.HANDLER, Position.REPORTER, Position.SYSTEM


def _each(
    stages: Iterable[Stage], action: CaseAction, *positions: Position
) -> dict[tuple[Stage, CaseAction], frozenset[Position]]:
    return {(stage, action): frozenset(positions) for stage in stages}


ALLOWED_ACTIONS: dict[tuple[Stage, CaseAction], frozenset[Position]] = {
    # The main path, one stage after another.
    (Stage.COLLECT, CaseAction.REPORT): frozenset(Position),  # creates the case
    (Stage.COLLECT, CaseAction.ACCEPT): frozenset({_A}),
    (Stage.FILE, CaseAction.CHECK): frozenset({_I}),
    (Stage.FILE, CaseAction.FILE): frozenset({_L}),
    (Stage.DISPATCH, CaseAction.DISPATCH): frozenset({_D}),
    (Stage.HANDLE, CaseAction.HANDLE): frozenset({_H}),
    (Stage.FEEDBACK, CaseAction.FORWARD_FEEDBACK): frozenset({_D}),
    (Stage.VERIFY_CLOSE, CaseAction.VERIFY): frozenset({_I}),
    # The system closes with RESOLVED_BY_SENSOR at any open stage; staff only after 核查.
    **_each(OPEN_STAGES, CaseAction.CLOSE, _S),
    (Stage.VERIFY_CLOSE, CaseAction.CLOSE): frozenset({_L, _S}),
    (Stage.EVALUATE, CaseAction.RATE): frozenset({_R}),
    (Stage.EVALUATE, CaseAction.REOPEN): frozenset({_R}),
    # 回退: by whoever acts at the stage; nothing comes before 信息收集.
    (Stage.FILE, CaseAction.RETURN): frozenset({_L}),
    (Stage.DISPATCH, CaseAction.RETURN): frozenset({_D}),
    (Stage.HANDLE, CaseAction.RETURN): frozenset({_H}),
    (Stage.FEEDBACK, CaseAction.RETURN): frozenset({_D}),
    (Stage.VERIFY_CLOSE, CaseAction.RETURN): frozenset({_I, _L}),
    # Extensions and holds concern the department's work.
    (Stage.HANDLE, CaseAction.REQUEST_EXTENSION): frozenset({_H}),
    (Stage.HANDLE, CaseAction.DECIDE_EXTENSION): frozenset({_L}),
    (Stage.HANDLE, CaseAction.REQUEST_HOLD): frozenset({_H}),
    (Stage.HANDLE, CaseAction.DECIDE_HOLD): frozenset({_L}),
    (Stage.HANDLE, CaseAction.RELEASE_HOLD): frozenset({_L, _H}),
    **_each(OPEN_STAGES, CaseAction.VOID, _L),
    # Duplicates are spotted at intake; once a case is filed only the shift leader merges.
    **_each(OPEN_STAGES[:2], CaseAction.MERGE_INTO, _L, _A),
    **_each(OPEN_STAGES[2:], CaseAction.MERGE_INTO, _L),
    **_each(OPEN_STAGES, CaseAction.ESCALATE, _S),
    **_each(Stage, CaseAction.NOTE, *Position),
}

FINISHED_ACTIONS = frozenset({CaseAction.RATE, CaseAction.REOPEN, CaseAction.NOTE})
"""All that a closed or voided case still accepts."""

ON_HOLD_ACTIONS = frozenset(
    {CaseAction.RELEASE_HOLD, CaseAction.NOTE, CaseAction.VOID, CaseAction.MERGE_INTO}
)
"""All that a case on hold accepts: its clock is stopped, so its work is too."""

REPORT_SOURCES: dict[Position, frozenset[Source]] = {
    _I: frozenset({Source.GRID_WORKER}),
    _A: frozenset({Source.HOTLINE, Source.CITIZEN, Source.ENTERPRISE, Source.STAFF}),
    _R: frozenset({Source.CITIZEN, Source.ENTERPRISE}),
    _S: frozenset({Source.SENSOR, Source.VIDEO}),
    _L: frozenset({Source.STAFF}),
    _D: frozenset({Source.STAFF}),
    _H: frozenset({Source.STAFF}),
}
"""The sources each position may report under. Public sources need an on-site check
before filing, so nobody may pass a public report off as a grid worker's."""

SENSOR_SOURCES = frozenset({Source.SENSOR, Source.VIDEO})
"""Cases the system may close as RESOLVED_BY_SENSOR when their alert clears."""


def positions_for(stage: Stage, action: CaseAction) -> frozenset[Position]:
    return ALLOWED_ACTIONS.get((stage, action), frozenset())


def stages_for(action: CaseAction) -> list[Stage]:
    """The stages at which anybody may take `action`, in workflow order."""
    return [stage for stage in Stage if (stage, action) in ALLOWED_ACTIONS]


def markdown_table() -> str:
    """ALLOWED_ACTIONS as a Markdown table, one row per action, one column per stage."""
    head = "| action | " + " | ".join(f"{s.name_zh} {s.value}" for s in Stage) + " |"
    rows = [head, "|---" * (len(Stage) + 1) + "|"]
    for action in CaseAction:
        cells = [_cell(positions_for(stage, action)) for stage in Stage]
        rows.append(f"| {action.value} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def _cell(positions: frozenset[Position]) -> str:
    if positions == frozenset(Position):
        return "anyone"
    return ", ".join(p.value for p in Position if p in positions) or "–"
