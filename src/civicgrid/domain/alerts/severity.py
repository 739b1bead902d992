"""Warning levels 蓝/黄/橙/红 (blue, yellow, orange, red), ordered by urgency."""

from __future__ import annotations

from enum import IntEnum


class Severity(IntEnum):
    BLUE = 1
    YELLOW = 2
    ORANGE = 3
    RED = 4

    @property
    def name_zh(self) -> str:
        return _ZH[self]

    @property
    def name_en(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        for level in cls:
            if text in (level.name_en, level.name_zh, level.name_zh[0]):
                return level
        raise ValueError(f"unknown severity {text!r}; use blue, yellow, orange or red (蓝黄橙红)")


_ZH = {
    Severity.BLUE: "蓝色预警",
    Severity.YELLOW: "黄色预警",
    Severity.ORANGE: "橙色预警",
    Severity.RED: "红色预警",
}
