"""Attached files as a page lists them: a thumbnail for a picture the browser can draw,
else a download link with the file's kind, name and size."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from babel.numbers import format_decimal

from civicgrid.domain.attachments import MIB, Attachment
from civicgrid.domain.directives import Directive
from civicgrid.services.attachments import describe_attachments
from civicgrid.web.i18n import babel_locale
from civicgrid.web.page import Page

THUMBNAIL_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
"""HEIC is accepted but no common browser draws it: it is listed as a file."""

KINDS = {
    "application/pdf": "PDF",
    "image/heic": "HEIC",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
}


@dataclass(frozen=True, slots=True)
class FileLink:
    id: str
    url: str
    name: str
    size: str  # "1.2 MB"; empty when the record is missing
    kind: str  # "PDF", shown in the file icon
    thumbnail: bool


def file_links(page: Page, ids: Iterable[str], url_of: Callable[[str], str]) -> dict[str, FileLink]:
    """Each attachment id (in order) with its link; `url_of` gives an id's download URL."""
    wanted = list(dict.fromkeys(ids))
    found = describe_attachments(page.container.uow(), wanted)
    return {i: _link(page, i, url_of(i), found.get(i)) for i in wanted}


def directive_files(page: Page, directive: Directive) -> list[FileLink]:
    """The files issued with a directive, downloaded through the directive's own route."""
    base = f"/staff/directives/{directive.id}/files/"
    return list(file_links(page, directive.content.attachments, lambda a: base + a).values())


def _link(page: Page, attachment_id: str, url: str, attachment: Attachment | None) -> FileLink:
    if attachment is None:  # a record lost from storage: still a link, which answers 404
        return FileLink(attachment_id, url, attachment_id[:8], "", "", thumbnail=False)
    return FileLink(
        id=attachment_id,
        url=url,
        name=attachment.filename,
        size=file_size(page, attachment.size),
        kind=KINDS.get(attachment.content_type, "FILE"),
        thumbnail=attachment.content_type in THUMBNAIL_TYPES,
    )


def file_size(page: Page, size: int) -> str:
    """Bytes as people read them, in the page's number format."""
    locale = babel_locale(page.language)
    if size < 1024:
        return f"{size} B"
    if size < MIB:
        return f"{format_decimal(size / 1024, format='#,##0', locale=locale)} KB"
    return f"{format_decimal(size / MIB, format='#,##0.#', locale=locale)} MB"
