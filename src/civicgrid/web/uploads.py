"""A form's photo field as the use cases take it: bytes read up to one past the limit."""

from __future__ import annotations

from fastapi import UploadFile

from civicgrid.services.citizens import Photo
from civicgrid.web.page import Page


def photos_of(page: Page, upload: UploadFile | None) -> tuple[Photo, ...]:
    """None or one photo; one byte past the limit is enough for the use case to refuse it."""
    if upload is None or not upload.filename:
        return ()
    limit = page.container.settings.attachment_max_bytes
    data = upload.file.read(limit + 1)
    if not data:
        return ()
    return (Photo(upload.filename, upload.content_type or "", data),)
