"""Case events: the append-only log is the truth; a case's state is derived from it.

Each event carries the hash of the case's previous event (a chain per case, so
concurrent cases never wait on one another) and its own hash over its content.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from civicgrid.domain.cases.roles import Position
from civicgrid.domain.cases.stages import Stage

GENESIS_HASH = "0" * 64


class EventType(StrEnum):
    REPORTED = "reported"  # 信息收集 → case exists in COLLECT
    ACCEPTED = "accepted"  # 受理: COLLECT → FILE
    CHECKED = "checked"  # on-site check of a public report, inside FILE
    FILED = "filed"  # 立案: FILE → DISPATCH
    DISPATCHED = "dispatched"  # DISPATCH → HANDLE
    HANDLED = "handled"  # the department reports its result: HANDLE → FEEDBACK
    FEEDBACK_FORWARDED = "feedback_forwarded"  # the centre sends it for verification
    VERIFIED = "verified"  # 核查 passed, inside VERIFY_CLOSE
    REWORK = "rework"  # 返工: verification failed, VERIFY_CLOSE → HANDLE
    CLOSED = "closed"  # 结案: VERIFY_CLOSE → EVALUATE, with an outcome
    RATED = "rated"  # reporter satisfaction 1-5, in EVALUATE
    REOPENED = "reopened"  # by the reporter within the allowed days: EVALUATE → HANDLE
    RETURNED = "returned"  # 回退 to the previous stage
    EXTENSION_REQUESTED = "extension_requested"  # 延时
    EXTENSION_DECIDED = "extension_decided"
    HOLD_REQUESTED = "hold_requested"  # 挂账/缓办
    HOLD_DECIDED = "hold_decided"
    HOLD_RELEASED = "hold_released"
    VOIDED = "voided"  # 作废
    MERGED = "merged"  # closed as a duplicate of another case
    ESCALATED = "escalated"  # a stage ran past its limit; one level up is told
    NOTED = "noted"  # a note or an attachment, no change of stage


@dataclass(frozen=True, slots=True)
class CaseEvent:
    case_id: int
    seq: int  # 1, 2, 3 … within the case
    type: EventType
    at: datetime  # aware UTC
    actor: str  # username, or "system"
    position: Position
    from_stage: Stage | None
    to_stage: Stage | None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    attachments: tuple[str, ...] = ()  # attachment ids
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def canonical(self) -> bytes:
        """The bytes the hash covers: everything but the hash itself."""
        body = {
            "case_id": self.case_id,
            "seq": self.seq,
            "type": self.type.value,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "position": self.position.value,
            "from_stage": self.from_stage.value if self.from_stage else None,
            "to_stage": self.to_stage.value if self.to_stage else None,
            "reason": self.reason,
            "data": self.data,
            "attachments": list(self.attachments),
            "prev_hash": self.prev_hash,
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def sealed(self) -> CaseEvent:
        """This event with its hash filled in."""
        return replace(self, hash=hashlib.sha256(self.canonical()).hexdigest())


def verify_chain(events: list[CaseEvent]) -> list[str]:
    """Problems in one case's chain, in order; empty when the history is intact."""
    problems: list[str] = []
    previous = GENESIS_HASH
    for expected_seq, event in enumerate(events, start=1):
        where = f"case {event.case_id} event {event.seq}"
        if event.seq != expected_seq:
            problems.append(f"{where}: expected sequence number {expected_seq}")
        if event.prev_hash != previous:
            problems.append(f"{where}: does not link to the previous event")
        if event.sealed().hash != event.hash:
            problems.append(f"{where}: content does not match its hash (edited?)")
        previous = event.hash
    return problems
