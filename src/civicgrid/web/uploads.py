"""A form's photo field: as the use cases take it (bytes read up to one past the limit),
and as the page shows its limit."""

from __future__ import annotations

from typing import Any

from fastapi import UploadFile

from civicgrid.domain.attachments import MIB
from civicgrid.services.citizens import Photo
from civicgrid.web.categories import category_groups
from civicgrid.web.forms import MAX_DESCRIPTION, ReportForm
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


def photo_limits(page: Page) -> dict[str, float]:
    """A photo field's limit as its page shows it: bytes for the script that checks the
    chosen file before sending, MB for the hint people read."""
    limit = page.container.settings.attachment_max_bytes
    return {"max_photo_bytes": limit, "max_photo_mb": limit / MIB}


def report_form_context(page: Page, form: ReportForm) -> dict[str, Any]:
    """What the report form (`_report_fields.html`) needs, the citizen's and staff's alike."""
    return {
        "form": form,
        "problems": form.problems,
        "categories": category_groups(page.container.rules.tree, page.name),
        "max_description": MAX_DESCRIPTION,
        **photo_limits(page),
    }
