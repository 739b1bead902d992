"""A stored file as an HTTP answer, for the API and the staff pages alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import quote

from starlette.responses import StreamingResponse

from civicgrid.services.attachments import Download

CHUNK = 64 * 1024


def download_response(download: Download) -> StreamingResponse:
    """The file's bytes with their content type; a PDF is saved rather than rendered in
    our origin, and nothing in it may run (sandbox)."""
    attachment = download.attachment
    disposition = "attachment" if attachment.content_type == "application/pdf" else "inline"
    return StreamingResponse(
        _chunks(download.content),
        media_type=attachment.content_type,
        headers={
            "Content-Length": str(attachment.size),
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(attachment.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private",
        },
    )


def _chunks(content: BinaryIO) -> Iterator[bytes]:
    with content:
        while chunk := content.read(CHUNK):
            yield chunk
