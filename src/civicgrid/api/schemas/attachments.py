"""Attachment schemas: what an upload answers."""

from __future__ import annotations

from pydantic import BaseModel, Field

from civicgrid.domain.attachments import Attachment


class AttachmentPublic(BaseModel):
    id: str = Field(description="Name it in a report's or an action's `attachments`")
    content_type: str = Field(description="As told by the file's bytes, not as sent")
    size: int
    sha256: str

    @classmethod
    def of(cls, attachment: Attachment) -> AttachmentPublic:
        return cls(
            id=attachment.id,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
        )
