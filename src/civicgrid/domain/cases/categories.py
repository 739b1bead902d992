"""The case category tree: 部件 components and 事件 events, in major and minor classes.

Codes follow the layout of CJ/T 214 / GB/T 30428.2: two digits name a major class (大类)
and a minor class (小类) adds two more, so "0101" lies under "01". The two kinds are
numbered independently: "0101" is both a component and an event, and a minor class's
`key` ("component:0101") is what is unique across the tree.

Each minor class carries the rules a case of its kind runs by: when to file it, how long
handling may take, when to close it, which department handles it and who acts first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.cases.stages import Stage, Urgency
from civicgrid.domain.errors import InvalidInput, NotFound

MAX_LIMIT_VALUE = 99_999  # 99,999 minutes is about ten weeks; more is a typo
MAX_DUPLICATE_RADIUS_M = 10_000
MAX_DUPLICATE_WINDOW_H = 24 * 366
_MAJOR_CODE = re.compile(r"[0-9]{2}")
_MINOR_CODE = re.compile(r"[0-9]{4}")
_DEPARTMENT_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")
_MONTH_DAY = re.compile(r"([0-9]{2})-([0-9]{2})")
_SUGGESTIONS = 5


class Responsibility(StrEnum):
    AREA = "area"  # 属地: the street or community where it happens acts first
    OWNER = "owner"  # 权属: the owning unit or the competent department acts first


class CategoryKind(StrEnum):
    COMPONENT = "component"  # 部件: a public object that is damaged, missing or misused
    EVENT = "event"  # 事件: something people do or something that happens

    @property
    def name_zh(self) -> str:
        return "部件" if self is CategoryKind.COMPONENT else "事件"

    @property
    def plural(self) -> str:
        """The tree's field and the data file's key for this kind's major classes."""
        return f"{self.value}s"

    @property
    def default_responsibility(self) -> Responsibility:
        # An object has an owner (权属单位) who answers for it; an event is first the
        # business of the place where it happens (属地管理).
        return Responsibility.OWNER if self is CategoryKind.COMPONENT else Responsibility.AREA


class LimitUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"  # 小时: calendar hours, nights and holidays included
    DAYS = "days"  # 天
    WORKING_HOURS = "working_hours"  # 工作时: counted on the working calendar only
    WORKING_DAYS = "working_days"  # 工作日

    @property
    def name_zh(self) -> str:
        return _UNIT_ZH[self]

    @property
    def is_working_time(self) -> bool:
        return self in (LimitUnit.WORKING_HOURS, LimitUnit.WORKING_DAYS)


_UNIT_ZH = {
    LimitUnit.MINUTES: "分钟",
    LimitUnit.HOURS: "小时",
    LimitUnit.DAYS: "天",
    LimitUnit.WORKING_HOURS: "工作时",
    LimitUnit.WORKING_DAYS: "工作日",
}


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A duration in one unit; the working calendar turns it into a deadline."""

    value: int
    unit: LimitUnit

    def __post_init__(self) -> None:
        value: object = self.value
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput(f"must be a whole number, got {value!r}", field="value")
        if not 0 < value <= MAX_LIMIT_VALUE:
            raise InvalidInput(f"must be 1 to {MAX_LIMIT_VALUE}, got {value}", field="value")

    def __str__(self) -> str:
        return f"{self.value} {self.unit.value}"

    @property
    def label_zh(self) -> str:
        return f"{self.value}{self.unit.name_zh}"


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


@dataclass(frozen=True, slots=True)
class Season:
    """The same stretch of days every year, "MM-DD" to "MM-DD"; it may span new year."""

    start: str
    end: str

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            _month_day(getattr(self, name), name)

    def contains(self, day: date) -> bool:
        """Whether a local calendar day falls in the season (both ends included)."""
        today = (day.month, day.day)
        first, last = _month_day(self.start, "start"), _month_day(self.end, "end")
        if first <= last:
            return first <= today <= last
        return today >= first or today <= last


def _month_day(text: object, name: str) -> tuple[int, int]:
    match = _MONTH_DAY.fullmatch(text) if isinstance(text, str) else None
    if match is not None:
        month, day = int(match[1]), int(match[2])
        try:
            date(2000, month, day)  # a leap year, so 02-29 is a valid season edge
        except ValueError:
            pass
        else:
            return month, day
    raise InvalidInput(f'must be a day of the year as "MM-DD", got {text!r}', field=name)


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str = ""


@dataclass(frozen=True, slots=True)
class Department:
    code: str  # stable: cases and statistics refer to it
    name_zh: str
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class MinorClass:
    kind: CategoryKind
    code: str
    name_zh: str
    name_en: str
    filing_condition: Text  # 立案条件
    closing_condition: Text  # 结案条件
    limit: TimeLimit  # 处置时限
    department: str  # a Department code
    responsible_first: Responsibility
    duplicate_radius_m: int  # 0 with the window: no duplicate suggestions
    duplicate_window_h: int
    urgency: Urgency = Urgency.NORMAL
    urgent_season: Season | None = None  # e.g. 汛期: urgent on those days whatever `urgency`
    stage_limits: StageOverrides = field(default_factory=StageOverrides)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.code}"

    @property
    def major_code(self) -> str:
        return self.code[:2]

    def urgency_on(self, day: date) -> Urgency:
        """The urgency of a case reported on this local calendar day."""
        if self.urgent_season is not None and self.urgent_season.contains(day):
            return Urgency.URGENT
        return self.urgency


@dataclass(frozen=True, slots=True)
class MajorClass:
    kind: CategoryKind
    code: str
    name_zh: str
    name_en: str
    minors: tuple[MinorClass, ...]


class UnknownCategory(NotFound):
    def __init__(self, code: str, suggestions: Sequence[str]) -> None:
        self.unknown_code = code
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if suggestions else ""
        super().__init__(f"no case category has code {code!r}{hint}", field="code")


@dataclass(frozen=True, slots=True)
class CategoryTree:
    """Departments and both kinds' classes; construction rejects an inconsistent tree."""

    departments: tuple[Department, ...]
    components: tuple[MajorClass, ...]
    events: tuple[MajorClass, ...]
    stage_limits: StageDefaults = DEFAULT_STAGE_LIMITS
    _by_key: dict[str, MinorClass] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = tree_problems(self)
        if problems:
            raise ImportRejected(problems, source_name="the category tree")
        object.__setattr__(self, "_by_key", {minor.key: minor for minor in self.minors()})

    def majors(self, kind: CategoryKind | None = None) -> tuple[MajorClass, ...]:
        if kind is None:
            return self.components + self.events
        return self.components if kind is CategoryKind.COMPONENT else self.events

    def minors(self, kind: CategoryKind | None = None) -> tuple[MinorClass, ...]:
        return tuple(minor for major in self.majors(kind) for minor in major.minors)

    def minor(self, code: str, kind: CategoryKind | None = None) -> MinorClass:
        """A minor class by "0101" (with `kind` when both kinds have it) or by key."""
        wanted = code.strip()
        prefix, colon, rest = wanted.partition(":")
        if colon and prefix in {k.value for k in CategoryKind}:
            if kind is not None and kind.value != prefix:
                raise UnknownCategory(code, [])
            kind, wanted = CategoryKind(prefix), rest.strip()
        kinds = list(CategoryKind) if kind is None else [kind]
        found = [
            self._by_key[k] for k in (f"{k.value}:{wanted}" for k in kinds) if k in self._by_key
        ]
        if len(found) == 1:
            return found[0]
        if found:
            both = " and ".join(f"{m.key} {m.name_zh}" for m in found)
            raise InvalidInput(f"code {wanted} names {both}; give the kind too", field="code")
        raise UnknownCategory(code, self._near(wanted, kinds))

    def major_of(self, minor: MinorClass) -> MajorClass:
        return next(m for m in self.majors(minor.kind) if m.code == minor.major_code)

    def department(self, code: str) -> Department:
        for department in self.departments:
            if department.code == code:
                return department
        raise NotFound(f"no department has code {code!r}", field="department")

    def limit(self, minor: MinorClass, step: Step) -> TimeLimit:
        """The limit a case of this class runs against at a step, overrides first."""
        # HANDLE has no tree-wide or override value, so it falls through to the class's own.
        return minor.stage_limits.get(step) or self.stage_limits.get(step) or minor.limit

    def _near(self, wanted: str, kinds: list[CategoryKind]) -> list[str]:
        minors = [m for m in self.minors() if m.kind in kinds]
        by_name = [m for m in minors if wanted and (wanted in m.name_zh or m.name_zh in wanted)]
        codes = difflib.get_close_matches(wanted, [m.code for m in minors], _SUGGESTIONS, 0.5)
        by_code = [m for code in codes for m in minors if m.code == code]
        chosen = list(dict.fromkeys(by_name + by_code))[:_SUGGESTIONS]
        return [f"{m.key} {m.name_zh}" for m in chosen]


def tree_problems(tree: CategoryTree) -> list[Problem]:
    """Every inconsistency in a tree, located by its path (`events[2].minors[0]`)."""
    problems: list[Problem] = []
    departments = _department_problems(tree.departments, problems)
    for kind in CategoryKind:
        _kind_problems(kind, tree.majors(kind), departments, problems)
    if not tree.components and not tree.events:
        problems.append(Problem("file", None, "the tree has no classes"))
    return problems


def _department_problems(departments: Sequence[Department], problems: list[Problem]) -> set[str]:
    seen: dict[str, str] = {}
    for index, department in enumerate(departments):
        where = f"departments[{index}]"
        if not _DEPARTMENT_CODE.fullmatch(department.code):
            message = "must be 2-40 lowercase letters, digits or _, starting with a letter"
            problems.append(Problem(where, "code", f"{message}, got {department.code!r}"))
        elif (first := seen.setdefault(department.code, where)) != where:
            problems.append(Problem(where, "code", f"{department.code} is also at {first}"))
        if not department.name_zh.strip():
            problems.append(Problem(where, "name_zh", "is required"))
    return set(seen)


def _kind_problems(
    kind: CategoryKind,
    majors: Sequence[MajorClass],
    departments: set[str],
    problems: list[Problem],
) -> None:
    seen: dict[str, str] = {}

    def note(where: str, field: str | None, message: str) -> None:
        problems.append(Problem(where, field, message))

    def check_code(where: str, code: str, pattern: re.Pattern[str], size: str) -> None:
        if not pattern.fullmatch(code):
            note(where, "code", f"must be {size} digits, got {code!r}")
        elif (first := seen.setdefault(code, where)) != where:
            note(where, "code", f"{kind.value} code {code} is also used at {first}")

    for i, major in enumerate(majors):
        where = f"{kind.plural}[{i}]"
        check_code(where, major.code, _MAJOR_CODE, "two")
        if major.kind is not kind:
            note(where, "kind", f"a {major.kind.value} class is listed among the {kind.plural}")
        if not major.name_zh.strip():
            note(where, "name_zh", "is required")
        if not major.minors:
            note(where, "minors", "a major class needs at least one minor class")
        for j, minor in enumerate(major.minors):
            at = f"{where}.minors[{j}]"
            check_code(at, minor.code, _MINOR_CODE, "four")
            # A malformed major code was reported already; its minors are not measured by it.
            prefix_ok = _MAJOR_CODE.fullmatch(major.code) is None or minor.major_code == major.code
            if _MINOR_CODE.fullmatch(minor.code) and not prefix_ok:
                note(at, "code", f"{minor.code} does not start with its major code {major.code}")
            for message in _minor_problems(minor, kind, departments):
                note(at, *message)


def _minor_problems(
    minor: MinorClass, kind: CategoryKind, departments: set[str]
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if minor.kind is not kind:
        problems.append(("kind", f"a {minor.kind.value} class is listed among the {kind.plural}"))
    for name, text in (
        ("name_zh", minor.name_zh),
        ("filing_condition.zh", minor.filing_condition.zh),
        ("closing_condition.zh", minor.closing_condition.zh),
    ):
        if not text.strip():
            problems.append((name, "is required"))
    if minor.department not in departments:
        near = difflib.get_close_matches(minor.department, sorted(departments), 1, 0.6)
        hint = f"; did you mean {near[0]}?" if near else ""
        message = f"{minor.department!r} is not one of the tree's departments{hint}"
        problems.append(("department", message))
    for name, value, top in (
        ("duplicate_radius_m", minor.duplicate_radius_m, MAX_DUPLICATE_RADIUS_M),
        ("duplicate_window_h", minor.duplicate_window_h, MAX_DUPLICATE_WINDOW_H),
    ):
        if not 0 <= value <= top:
            problems.append((name, f"must be 0 to {top}, got {value}"))
    return problems
