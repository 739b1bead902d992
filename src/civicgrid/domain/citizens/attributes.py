"""Open311 service attributes, generated from a category, and the checks on answers.

Every service asks the same questions, worded for its kind (部件 objects are damaged,
missing or occupied; 事件 events block the way, smell or recur), so a client sees every
datatype the specification defines. The answers are stored with the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from civicgrid.domain.cases.categories import CategoryKind, MinorClass
from civicgrid.domain.citizens.w3c import parse_w3c
from civicgrid.domain.errors import InvalidInput

MAX_ANSWER = 500


class Datatype(StrEnum):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"


@dataclass(frozen=True, slots=True)
class Choice:
    key: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class ServiceAttribute:
    code: str
    datatype: Datatype
    required: bool
    order: int
    description_zh: str
    description_en: str
    variable: bool = True  # False: only information shown to the user
    datatype_description: str = ""
    values: tuple[Choice, ...] = ()


_YES_NO = (Choice("yes", "是", "yes"), Choice("no", "否", "no"))
_ASPECTS = {
    CategoryKind.COMPONENT: (
        Choice("damaged", "损坏", "damaged"),
        Choice("missing", "丢失", "missing"),
        Choice("occupied", "被占用", "occupied or misused"),
    ),
    CategoryKind.EVENT: (
        Choice("blocking", "妨碍通行", "blocks the way"),
        Choice("nuisance", "异味或噪声", "smell or noise"),
        Choice("recurring", "反复出现", "keeps coming back"),
    ),
}


def attributes_for(minor: MinorClass) -> tuple[ServiceAttribute, ...]:
    """The questions a report of `minor` asks, in the order they are shown."""
    dt = Datatype
    return (
        ServiceAttribute(
            "FILING",
            dt.STRING,
            False,
            1,
            f"立案条件：{minor.filing_condition.zh}",
            f"Filed when: {minor.filing_condition.en or minor.filing_condition.zh}",
            variable=False,
        ),
        ServiceAttribute(
            "DANGER",
            dt.SINGLEVALUELIST,
            True,
            2,
            "现在是否有人身安全危险？",
            "Is anyone in danger right now?",
            values=_YES_NO,
        ),
        ServiceAttribute(
            "ASPECT",
            dt.MULTIVALUELIST,
            False,
            3,
            "问题表现（可多选）",
            "What is wrong (choose any)",
            values=_ASPECTS[minor.kind],
        ),
        ServiceAttribute(
            "LANDMARK",
            dt.STRING,
            False,
            4,
            "附近标志物或门牌号",
            "Nearby landmark or house number",
            datatype_description="one line",
        ),
        ServiceAttribute(
            "COUNT",
            dt.NUMBER,
            False,
            5,
            "涉及数量",
            "How many are affected",
            datatype_description="a number, e.g. 3",
        ),
        ServiceAttribute(
            "SEEN_AT",
            dt.DATETIME,
            False,
            6,
            "发现时间",
            "When you saw it",
            datatype_description="W3C date and time with zone, e.g. 2026-12-04T09:30:00+08:00",
        ),
        ServiceAttribute("DETAILS", dt.TEXT, False, 7, "补充说明", "Anything else"),
    )


Answer = str | list[str]


def check_answers(
    attributes: Sequence[ServiceAttribute], given: Mapping[str, Sequence[str]]
) -> dict[str, Answer]:
    """The answers in `given` (code → values as sent), checked against `attributes`."""
    by_code = {a.code: a for a in attributes if a.variable}
    unknown = sorted(set(given) - set(by_code))
    if unknown:
        known = ", ".join(by_code)
        raise InvalidInput(
            f"attribute {unknown[0]} is not asked by this service; it asks {known}",
            field=f"attribute[{unknown[0]}]",
        )
    answers: dict[str, Answer] = {}
    for code, attribute in by_code.items():
        values = [v.strip() for v in given.get(code, ()) if v.strip()]
        if not values:
            if attribute.required:
                raise InvalidInput(
                    f"attribute {code} is required: {attribute.description_en}",
                    field=f"attribute[{code}]",
                )
            continue
        answers[code] = _check(attribute, values)
    return answers


def _check(attribute: ServiceAttribute, values: list[str]) -> Answer:
    field = f"attribute[{attribute.code}]"
    if any(len(v) > MAX_ANSWER for v in values):
        raise InvalidInput(f"{field} is longer than {MAX_ANSWER} characters", field=field)
    keys = [choice.key for choice in attribute.values]
    if attribute.datatype is Datatype.MULTIVALUELIST:
        if bad := [v for v in values if v not in keys]:
            raise InvalidInput(f"{field}: {bad[0]!r} is not one of {', '.join(keys)}", field=field)
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise InvalidInput(f"{field} takes one value, got {len(values)}", field=field)
    value = values[0]
    if attribute.datatype is Datatype.SINGLEVALUELIST and value not in keys:
        raise InvalidInput(f"{field}: {value!r} is not one of {', '.join(keys)}", field=field)
    if attribute.datatype is Datatype.STRING and ("\n" in value or "\r" in value):
        raise InvalidInput(f"{field} is one line; use a text attribute for more", field=field)
    if attribute.datatype is Datatype.NUMBER:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise InvalidInput(f"{field} must be a number, not {value!r}", field=field)
    if attribute.datatype is Datatype.DATETIME:
        parse_w3c(value, field)
    return value
