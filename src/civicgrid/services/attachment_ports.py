"""What the attachment use cases need: a record store in the unit of work, a byte store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO, Protocol

from civicgrid.domain.areas import AreaPath
from civicgrid.domain.attachments import Attachment


class AttachmentRepository(Protocol):
    def add(self, attachment: Attachment) -> None: ...

    def get_many(self, attachment_ids: Sequence[str]) -> dict[str, Attachment]:
        """The existing ones among `attachment_ids`, keyed by id."""

    def case_paths(self, attachment_ids: Sequence[str]) -> dict[str, list[AreaPath]]:
        """For each id, the area paths of the cases that reference it (absent: none)."""

    def link(self, case_id: int, attachment_ids: Sequence[str]) -> None:
        """Record that the case references each attachment; links that exist are kept."""


class AttachmentStore(Protocol):
    """Bytes by their SHA-256; storing the same content twice keeps one copy."""

    def put(self, sha256: str, data: bytes) -> bool:
        """Store durably and atomically; False when the content was there already."""

    def open(self, sha256: str) -> BinaryIO:
        """Raises FileNotFoundError when the content is not stored."""
