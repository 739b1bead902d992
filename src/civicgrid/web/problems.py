"""A use case's refusal as a problem a person can act on, in the page's language.

The domain names the field at fault; the pages know the words for the common cases and
fall back to the domain's own message (English) for the rare rest.
"""

from __future__ import annotations

from civicgrid.domain.attachments import MIB, AttachmentTooLarge, UnsupportedType
from civicgrid.domain.errors import DomainError, NotFound
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page


def problem_of(page: Page, error: DomainError) -> Problem:
    _ = page.gettext
    if isinstance(error, AttachmentTooLarge):
        limit = page.container.settings.attachment_max_bytes / MIB
        return Problem("photo", _("The photo is larger than %(limit)g MB.", limit=limit))
    if isinstance(error, UnsupportedType) or error.field in {"file", "photos"}:
        return Problem("photo", _("The photo must be a JPEG, PNG, WebP or HEIC image."))
    if error.field in {"lat", "lon", "area_code"}:
        return Problem(
            "lat", _("This spot lies outside the city's areas; place it inside a drawn area.")
        )
    if error.field in {"category", "code"}:
        return Problem("category", _("Choose a category from the list."))
    if isinstance(error, NotFound) and error.field == "tracking_code":
        return Problem("code", _("No report has this tracking code; check it and try again."))
    if error.field == "tracking_code":
        return Problem(
            "code", _("A tracking code has 16 letters and digits, like 7K3M-Q9XA-2BCD-EFGH.")
        )
    return Problem(
        error.field or "problems",
        _("This could not be accepted: %(reason)s", reason=error.message),
    )
