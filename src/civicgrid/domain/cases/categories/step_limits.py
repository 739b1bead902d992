"""The workflow steps that run against a time limit, and the limits a tree sets for them.

A limit is the working calendar's `TimeLimit`, so it goes to `deadline()` as it is. A
category tree narrows what the calendar accepts: its values are whole numbers from 1 to
MAX_LIMIT_VALUE, a rule the tree's checks and the file readers apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from civicgrid.domain.calendar import LimitUnit, TimeLimit
from civicgrid.domain.cases.stages import Stage

MAX_LIMIT_VALUE = 99_999  # 99,999 minutes is about ten weeks; more is a typo


class Step(StrEnum):
    """The workflow steps that run against a time limit."""

    ACCEPT = "accept"  # 受理
    FILE = "file"  # 立案
    DISPATCH = "dispatch"  # 派遣
    HANDLE = "handle"  # 处置: the minor class's own limit
    VERIFY = "verify"  # 核查

    @property
    def stage(self) -> Stage:
        """The workflow stage this step's clock runs in."""
        return _STEP_STAGE[self]


_STEP_STAGE = {
    Step.ACCEPT: Stage.FILE,
    Step.FILE: Stage.FILE,
    Step.DISPATCH: Stage.DISPATCH,
    Step.HANDLE: Stage.HANDLE,
    Step.VERIFY: Stage.VERIFY_CLOSE,
}

# The steps a tree-wide default (and a class's override) covers; HANDLE is each class's own.
STEPS_WITH_DEFAULTS = (Step.ACCEPT, Step.FILE, Step.DISPATCH, Step.VERIFY)


@dataclass(frozen=True, slots=True)
class StageDefaults:
    """The tree-wide limits of the steps around handling."""

    accept: TimeLimit
    file: TimeLimit
    dispatch: TimeLimit
    verify: TimeLimit

    def get(self, step: Step) -> TimeLimit | None:
        """None for HANDLE, whose limit each minor class sets."""
        return _limit_of(self, step)


@dataclass(frozen=True, slots=True)
class StageOverrides:
    """A minor class's own limits for some of those steps; None keeps the tree's."""

    accept: TimeLimit | None = None
    file: TimeLimit | None = None
    dispatch: TimeLimit | None = None
    verify: TimeLimit | None = None

    def get(self, step: Step) -> TimeLimit | None:
        return _limit_of(self, step)


def _limit_of(limits: StageDefaults | StageOverrides, step: Step) -> TimeLimit | None:
    found: TimeLimit | None = None if step is Step.HANDLE else getattr(limits, step.value)
    return found


DEFAULT_STAGE_LIMITS = StageDefaults(
    accept=TimeLimit(30, LimitUnit.MINUTES),
    file=TimeLimit(1, LimitUnit.WORKING_HOURS),
    dispatch=TimeLimit(1, LimitUnit.WORKING_HOURS),
    verify=TimeLimit(2, LimitUnit.WORKING_HOURS),
)


def limit_value_problem(value: object) -> str | None:
    """What is wrong with a tree's limit value, or None for a whole number 1 to 99,999."""
    if not isinstance(value, int) or isinstance(value, bool):
        return f"must be a whole number, got {value!r}"
    if not 0 < value <= MAX_LIMIT_VALUE:
        return f"must be 1 to {MAX_LIMIT_VALUE}, got {value}"
    return None
