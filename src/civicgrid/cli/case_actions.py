"""civicgrid cases <action>: one command per workflow action, as a named user (`--as`).

Each mirrors an endpoint of /api/v1/cases/{id}/…; the state machine decides who may.
The commands are built from one table, `COMMANDS`: a name, the action, its help, and
its options, each of which names the use case's argument it fills.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
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


class Closing(StrEnum):
    """The outcomes a shift leader closes with; the others come from void, merge, sensors."""

    FIXED = Outcome.FIXED.value
    CLOSED_NOT_FIXED = Outcome.CLOSED_NOT_FIXED.value


def _as_is(name: str) -> Callable[[Any], tuple[str, Any]]:
    return lambda value: (name, value)


@dataclass(frozen=True, slots=True)
class Opt:
    """One option of a command: its parameter, and the use-case argument it becomes."""

    name: str
    annotation: Any
    default: Any = inspect.Parameter.empty
    to_arg: Callable[[Any], tuple[str, Any]] | None = None  # default: same name, same value

    def arg(self, value: Any) -> tuple[str, Any]:
        return (self.to_arg or _as_is(self.name))(value)

    def parameter(self) -> inspect.Parameter:
        kind = inspect.Parameter.KEYWORD_ONLY
        return inspect.Parameter(self.name, kind, annotation=self.annotation, default=self.default)


def _text(help: str) -> Any:
    return Annotated[str, typer.Option(help=help)]


def _passed(help: str) -> Opt:
    return Opt("passed", Annotated[bool, typer.Option("--passed/--failed", help=help)])


def _approved() -> Opt:
    return Opt("approved", Annotated[bool, typer.Option("--approve/--reject")])


NOTE = Opt("note", _text("An optional note"), "")
REASON = Opt("reason", _text("Why"))
OPTIONAL_REASON = Opt("reason", _text("Why (optional)"), "")
ATTACHMENTS = Opt(
    "attachment",
    Annotated[
        list[str],
        typer.Option(help="An attachment id from an upload; repeat for several"),
    ],
    [],
    lambda ids: ("attachments", tuple(ids)),
)


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    action: CaseAction
    help: str
    options: tuple[Opt, ...] = ()


COMMANDS = (
    Command("accept", CaseAction.ACCEPT, "受理: accept a report."),
    Command(
        "check",
        CaseAction.CHECK,
        "核实: on-site check of a public report.",
        (
            _passed("What the site showed"),
            Opt("reason", _text("Required when failed (it voids the case)"), ""),
            ATTACHMENTS,
        ),
    ),
    Command("file", CaseAction.FILE, "立案: file the case.", (NOTE,)),
    Command(
        "dispatch",
        CaseAction.DISPATCH,
        "派遣: send the case to a department.",
        (Opt("department", _text("Department code, e.g. city_management")), NOTE),
    ),
    Command(
        "handle",
        CaseAction.HANDLE,
        "处置: the department reports its work.",
        (Opt("result", _text("What was done")), ATTACHMENTS),
    ),
    Command(
        "feedback",
        CaseAction.FORWARD_FEEDBACK,
        "反馈: forward the department's result for verification.",
        (NOTE,),
    ),
    Command(
        "verify",
        CaseAction.VERIFY,
        "核查: verify the work on site; a failure means rework.",
        (
            _passed("Failed sends it back"),
            Opt("note", _text("Required when failed"), ""),
            ATTACHMENTS,
        ),
    ),
    Command(
        "close",
        CaseAction.CLOSE,
        "结案: close with an outcome.",
        (
            Opt(
                "outcome",
                Annotated[Closing, typer.Option(case_sensitive=False)],
                to_arg=lambda closing: ("outcome", Outcome(closing.value)),
            ),
            Opt("reason", _text("Required unless fixed"), ""),
        ),
    ),
    Command(
        "rate",
        CaseAction.RATE,
        "评价: the reporter rates the result.",
        (
            Opt("score", Annotated[int, typer.Option(min=1, max=5, help="1 (worst) to 5")]),
            Opt("comment", Annotated[str, typer.Option()], ""),
        ),
    ),
    Command("reopen", CaseAction.REOPEN, "重办: the reporter reopens a closed case.", (REASON,)),
    Command(
        "return", CaseAction.RETURN, "回退: send the case back to the previous stage.", (REASON,)
    ),
    Command(
        "extension",
        CaseAction.REQUEST_EXTENSION,
        "延时: ask for more working time on this stage.",
        (
            Opt(
                "hours",
                Annotated[float, typer.Option(min=0.01, max=2000, help="Working hours more")],
                to_arg=lambda hours: ("working_seconds", round(hours * 3600)),
            ),
            REASON,
        ),
    ),
    Command(
        "extension-decision",
        CaseAction.DECIDE_EXTENSION,
        "延时审批: grant or refuse the pending extension.",
        (_approved(), OPTIONAL_REASON),
    ),
    Command("hold", CaseAction.REQUEST_HOLD, "挂账/缓办: ask to stop the clock.", (REASON,)),
    Command(
        "hold-decision",
        CaseAction.DECIDE_HOLD,
        "挂账审批: approve (the hold starts now) or refuse the pending hold.",
        (_approved(), OPTIONAL_REASON),
    ),
    Command(
        "hold-release",
        CaseAction.RELEASE_HOLD,
        "解除挂账: end the hold; the clock runs again.",
        (OPTIONAL_REASON,),
    ),
    Command("void", CaseAction.VOID, "作废: void the case.", (REASON,)),
    Command(
        "merge",
        CaseAction.MERGE_INTO,
        "合并: close as a duplicate of another case.",
        (
            Opt(
                "into",
                Annotated[int, typer.Option(min=1, help="The case that carries the work on")],
                to_arg=lambda into: ("other_case_id", into),
            ),
            OPTIONAL_REASON,
        ),
    ),
    Command(
        "note",
        CaseAction.NOTE,
        "备注: add a note or attachments, at any stage.",
        (Opt("text", _text("The note; may be left out with an --attachment"), ""), ATTACHMENTS),
    ),
)


def _act(username: str, case_id: int, action: CaseAction, **args: Any) -> None:
    with container() as c:
        principal = get_user_principal(c.uow(), username)
        case = act_on_case(c.uow(), c.rules, principal, case_id, action, now=c.clock(), args=args)
    stage = f"{case.stage.name_zh} ({case.stage.value})"
    line = f"case {case.id}: {action.value} by {username}; now at {stage}, {case.status.value}"
    console.print(line, markup=False, soft_wrap=True)


def _register(command: Command) -> None:
    def run(case_id: int, as_: str, **values: Any) -> None:
        args = dict(option.arg(values[option.name]) for option in command.options)
        _act(as_, case_id, command.action, **args)

    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("case_id", positional, annotation=CaseId),
            inspect.Parameter("as_", positional, annotation=As),
            *(option.parameter() for option in command.options),
        ]
    )
    run.__name__ = command.name.replace("-", "_")
    run.__doc__ = command.help
    app.command(command.name)(reports_errors(run))


for _command in COMMANDS:
    _register(_command)
