"""civicgrid cases <action>: one command per workflow action, as a named user (`--as`).

Each mirrors an endpoint of /api/v1/cases/{id}/…; the state machine decides who may.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from civicgrid.cli.context import console, container, reports_errors
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.stages import Outcome
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.cases.actors import get_user_principal

app = typer.Typer()

As = Annotated[str, typer.Option("--as", help="Act as this user (their grants decide)")]
CaseId = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The case's id")]
Note = Annotated[str, typer.Option(help="An optional note")]
Reason = Annotated[str, typer.Option(help="Why")]
OptionalReason = Annotated[str, typer.Option(help="Why (optional)")]


class Closing(StrEnum):
    """The outcomes a shift leader closes with; the others come from void, merge, sensors."""

    FIXED = Outcome.FIXED.value
    CLOSED_NOT_FIXED = Outcome.CLOSED_NOT_FIXED.value


def _act(username: str, case_id: int, action: CaseAction, **args: Any) -> None:
    with container() as c:
        principal = get_user_principal(c.uow(), username)
        case = act_on_case(c.uow(), c.rules, principal, case_id, action, now=c.clock(), args=args)
    stage = f"{case.stage.name_zh} ({case.stage.value})"
    line = f"case {case.id}: {action.value} by {username}; now at {stage}, {case.status.value}"
    console.print(line, markup=False, soft_wrap=True)


@app.command("accept")
@reports_errors
def accept(case_id: CaseId, as_: As) -> None:
    """受理: accept a report."""
    _act(as_, case_id, CaseAction.ACCEPT)


@app.command("check")
@reports_errors
def check(
    case_id: CaseId,
    as_: As,
    passed: Annotated[bool, typer.Option("--passed/--failed", help="What the site showed")],
    reason: Annotated[str, typer.Option(help="Required when failed (it voids the case)")] = "",
) -> None:
    """核实: on-site check of a public report."""
    _act(as_, case_id, CaseAction.CHECK, passed=passed, reason=reason)


@app.command("file")
@reports_errors
def file(case_id: CaseId, as_: As, note: Note = "") -> None:
    """立案: file the case."""
    _act(as_, case_id, CaseAction.FILE, note=note)


@app.command("dispatch")
@reports_errors
def dispatch(
    case_id: CaseId,
    as_: As,
    department: Annotated[str, typer.Option(help="Department code, e.g. city_management")],
    note: Note = "",
) -> None:
    """派遣: send the case to a department."""
    _act(as_, case_id, CaseAction.DISPATCH, department=department, note=note)


@app.command("handle")
@reports_errors
def handle(
    case_id: CaseId, as_: As, result: Annotated[str, typer.Option(help="What was done")]
) -> None:
    """处置: the department reports its work."""
    _act(as_, case_id, CaseAction.HANDLE, result=result)


@app.command("feedback")
@reports_errors
def feedback(case_id: CaseId, as_: As, note: Note = "") -> None:
    """反馈: forward the department's result for verification."""
    _act(as_, case_id, CaseAction.FORWARD_FEEDBACK, note=note)


@app.command("verify")
@reports_errors
def verify(
    case_id: CaseId,
    as_: As,
    passed: Annotated[bool, typer.Option("--passed/--failed", help="Failed sends it back")],
    note: Annotated[str, typer.Option(help="Required when failed")] = "",
) -> None:
    """核查: verify the work on site; a failure means rework."""
    _act(as_, case_id, CaseAction.VERIFY, passed=passed, note=note)


@app.command("close")
@reports_errors
def close(
    case_id: CaseId,
    as_: As,
    outcome: Annotated[Closing, typer.Option(case_sensitive=False)],
    reason: Annotated[str, typer.Option(help="Required unless fixed")] = "",
) -> None:
    """结案: close with an outcome."""
    _act(as_, case_id, CaseAction.CLOSE, outcome=Outcome(outcome.value), reason=reason)


@app.command("rate")
@reports_errors
def rate(
    case_id: CaseId,
    as_: As,
    score: Annotated[int, typer.Option(min=1, max=5, help="1 (worst) to 5")],
    comment: Annotated[str, typer.Option()] = "",
) -> None:
    """评价: the reporter rates the result."""
    _act(as_, case_id, CaseAction.RATE, score=score, comment=comment)


@app.command("reopen")
@reports_errors
def reopen(case_id: CaseId, as_: As, reason: Reason) -> None:
    """重办: the reporter reopens a closed case."""
    _act(as_, case_id, CaseAction.REOPEN, reason=reason)


@app.command("return")
@reports_errors
def return_(case_id: CaseId, as_: As, reason: Reason) -> None:
    """回退: send the case back to the previous stage."""
    _act(as_, case_id, CaseAction.RETURN, reason=reason)


@app.command("extension")
@reports_errors
def extension(
    case_id: CaseId,
    as_: As,
    hours: Annotated[float, typer.Option(min=0.01, max=2000, help="Working hours more")],
    reason: Reason,
) -> None:
    """延时: ask for more working time on this stage."""
    seconds = round(hours * 3600)
    _act(as_, case_id, CaseAction.REQUEST_EXTENSION, working_seconds=seconds, reason=reason)


@app.command("extension-decision")
@reports_errors
def extension_decision(
    case_id: CaseId,
    as_: As,
    approved: Annotated[bool, typer.Option("--approve/--reject")],
    reason: OptionalReason = "",
) -> None:
    """延时审批: grant or refuse the pending extension."""
    _act(as_, case_id, CaseAction.DECIDE_EXTENSION, approved=approved, reason=reason)


@app.command("hold")
@reports_errors
def hold(case_id: CaseId, as_: As, reason: Reason) -> None:
    """挂账/缓办: ask to stop the clock."""
    _act(as_, case_id, CaseAction.REQUEST_HOLD, reason=reason)


@app.command("hold-decision")
@reports_errors
def hold_decision(
    case_id: CaseId,
    as_: As,
    approved: Annotated[bool, typer.Option("--approve/--reject")],
    reason: OptionalReason = "",
) -> None:
    """挂账审批: approve (the hold starts now) or refuse the pending hold."""
    _act(as_, case_id, CaseAction.DECIDE_HOLD, approved=approved, reason=reason)


@app.command("hold-release")
@reports_errors
def hold_release(case_id: CaseId, as_: As, reason: OptionalReason = "") -> None:
    """解除挂账: end the hold; the clock runs again."""
    _act(as_, case_id, CaseAction.RELEASE_HOLD, reason=reason)


@app.command("void")
@reports_errors
def void(case_id: CaseId, as_: As, reason: Reason) -> None:
    """作废: void the case."""
    _act(as_, case_id, CaseAction.VOID, reason=reason)


@app.command("merge")
@reports_errors
def merge(
    case_id: CaseId,
    as_: As,
    into: Annotated[int, typer.Option(min=1, help="The case that carries the work on")],
    reason: OptionalReason = "",
) -> None:
    """合并: close as a duplicate of another case."""
    _act(as_, case_id, CaseAction.MERGE_INTO, other_case_id=into, reason=reason)


@app.command("note")
@reports_errors
def note(case_id: CaseId, as_: As, text: Annotated[str, typer.Option()]) -> None:
    """备注: add a note, at any stage."""
    _act(as_, case_id, CaseAction.NOTE, text=text)
