"""Who reports through a public channel: a person without an account."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from civicgrid.domain.access import Principal

PUBLIC_USER_ID = -1
"""No user has it: user ids start at 1 and the local operator is 0."""


class Channel(StrEnum):
    WEB = "web"  # the citizen web form
    OPEN311 = "open311"  # a GeoReport v2 client holding an API key

    @property
    def name_zh(self) -> str:
        return "市民网页" if self is Channel.WEB else "Open311 接口"

    @property
    def name_en(self) -> str:
        return "citizen web form" if self is Channel.WEB else "Open311 API"


@dataclass(frozen=True, slots=True)
class PublicReporter:
    """A member of the public reporting once, known to the case only by an opaque `ref`.

    They hold no grant: they may open a case anywhere in the jurisdiction, in the
    workflow's REPORTER position (public sources only), and afterwards act only on that
    case, as its reporter, through its tracking code.
    """

    ref: str  # "<channel>:<random or keyed hex>", never personal data
    channel: Channel

    def __post_init__(self) -> None:
        if not self.ref.startswith(f"{self.channel.value}:") or len(self.ref) > 64:
            raise ValueError(f"a public reporter's ref starts with its channel: {self.ref!r}")

    @property
    def principal(self) -> Principal:
        """A principal with no grants: it reads nothing and operates nowhere."""
        return Principal(user_id=PUBLIC_USER_ID, username=self.ref, grants=())
