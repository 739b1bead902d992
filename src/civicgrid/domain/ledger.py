"""An append-only, hash-chained log for any stream of records (a directive, a receipt,
a report's submissions).

The idea is the case log's (domain/cases/events.py): each entry carries the hash of
its stream's previous entry and a hash over its own content, so an edited or removed
entry breaks the chain. A stream per record keeps concurrent writers apart.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def content_hash(body: dict[str, Any]) -> str:
    """SHA-256 over canonical JSON: sorted keys, no spaces, UTF-8 kept as is."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    stream: str  # "directive:12", "receipt:345", "report:3:410105001001:2026-07-20"
    seq: int  # 1, 2, 3 … within the stream
    type: str
    at: datetime  # aware UTC
    actor: str  # username, or "system"
    area_path: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "seq": self.seq,
            "type": self.type,
            # In UTC: storage hands instants back in UTC whatever zone they came in.
            "at": self.at.astimezone(UTC).isoformat(),
            "actor": self.actor,
            "area_path": self.area_path,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }

    def sealed(self) -> LedgerEntry:
        return replace(self, hash=content_hash(self.body()))

    def following(self, previous: LedgerEntry | None) -> LedgerEntry:
        """This entry placed after `previous` (None: first of its stream), sealed."""
        if previous is None:
            return replace(self, seq=1, prev_hash=GENESIS_HASH).sealed()
        return replace(self, seq=previous.seq + 1, prev_hash=previous.hash).sealed()


def verify_stream(entries: list[LedgerEntry]) -> list[str]:
    """Problems in one stream's chain, in order; empty when it is intact."""
    problems: list[str] = []
    previous = GENESIS_HASH
    for expected, entry in enumerate(entries, start=1):
        where = f"{entry.stream} entry {entry.seq}"
        if entry.seq != expected:
            problems.append(f"{where}: expected sequence number {expected}")
        if entry.prev_hash != previous:
            problems.append(f"{where}: does not link to the previous entry")
        if entry.sealed().hash != entry.hash:
            problems.append(f"{where}: content does not match its hash (edited?)")
        previous = entry.hash
    return problems
