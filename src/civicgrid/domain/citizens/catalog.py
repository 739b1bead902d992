"""Open311 services: the minor classes of the category tree, in the client's language."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from civicgrid.domain.cases.categories import CategoryTree, MinorClass
from civicgrid.domain.citizens.attributes import ServiceAttribute, attributes_for


class Locale(StrEnum):
    ZH = "zh-CN"
    EN = "en"

    @classmethod
    def parse(cls, text: str | None) -> Locale:
        """ "en", "en-US", "en_GB" → EN; anything else (or nothing) → ZH, the city's own."""
        return cls.EN if (text or "").lower().replace("_", "-").split("-")[0] == "en" else cls.ZH


@dataclass(frozen=True, slots=True)
class Service:
    code: str  # the minor class key, e.g. "event:0101"
    name: str
    description: str
    keywords: str
    group: str
    notice: str  # what to expect: the handling limit and the department
    metadata: bool = True  # every service asks attributes_for()
    type: str = "realtime"  # a point or an area code gets an id at once


def services_of(tree: CategoryTree, locale: Locale) -> list[Service]:
    return [service_of(tree, minor, locale) for minor in tree.minors()]


def service_of(tree: CategoryTree, minor: MinorClass, locale: Locale) -> Service:
    major = tree.major_of(minor)
    department = tree.department(minor.department)
    limit = f"{minor.limit.value:g} {minor.limit.unit.value.replace('_', ' ')}"
    if locale is Locale.EN:
        return Service(
            code=minor.key,
            name=minor.name_en or minor.name_zh,
            description=minor.filing_condition.en or minor.filing_condition.zh,
            keywords=", ".join([minor.name_zh, major.name_en or major.name_zh, minor.kind.value]),
            group=major.name_en or major.name_zh,
            notice=f"Handled by {department.name_en or department.name_zh} within {limit}.",
        )
    return Service(
        code=minor.key,
        name=minor.name_zh,
        description=minor.filing_condition.zh,
        keywords=", ".join([minor.name_en, major.name_zh, minor.kind.name_zh]),
        group=major.name_zh,
        notice=f"由{department.name_zh}在{minor.limit.value:g}{minor.limit.unit.name_zh}内处置。",
    )


def definition_of(tree: CategoryTree, code: str) -> tuple[MinorClass, tuple[ServiceAttribute, ...]]:
    """Raises NotFound (UnknownCategory) for a code that names no minor class."""
    minor = tree.minor(code)
    return minor, attributes_for(minor)
