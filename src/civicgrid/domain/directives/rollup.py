"""Roll-up: how far the units below an area have got with a directive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.directives.model import Directive


@dataclass(frozen=True, slots=True)
class Counts:
    targeted: int = 0
    signed: int = 0  # signed the current material version
    in_progress: int = 0
    done: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.targeted + other.targeted,
            self.signed + other.signed,
            self.in_progress + other.in_progress,
            self.done + other.done,
        )

    def overdue(self, directive: Directive, now: datetime) -> int:
        """Units past the completion deadline without completing, or past the signing
        deadline without signing."""
        if not directive.active:
            return 0
        content = directive.content
        if content.complete_deadline_at is not None and now > content.complete_deadline_at:
            return self.targeted - self.done
        if content.sign_deadline_at is not None and now > content.sign_deadline_at:
            return self.targeted - self.signed
        return 0


@dataclass(frozen=True, slots=True)
class RollupRow:
    code: str
    name_zh: str
    name_en: str
    level_slug: str
    counts: Counts
    overdue: int
