"""Levels of the hierarchy: 市 → 区 → 街道 → 社区 → 网格 → 微网格."""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    CITY = 1
    DISTRICT = 2
    STREET = 3
    COMMUNITY = 4
    GRID = 5
    MICRO_GRID = 6

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> Level:
        for level in cls:
            if level.slug == slug or level.name_zh == slug or str(level.value) == slug:
                return level
        names = ", ".join(level.slug for level in cls)
        raise ValueError(f"unknown level {slug!r}; expected one of {names}")

    def child(self) -> Level | None:
        return None if self is Level.MICRO_GRID else Level(self + 1)


_ZH = {
    Level.CITY: "市",
    Level.DISTRICT: "区",
    Level.STREET: "街道",
    Level.COMMUNITY: "社区",
    Level.GRID: "网格",
    Level.MICRO_GRID: "微网格",
}
