"""Attachments: which files are accepted, told by their first bytes, and who may read one.

The client's declared content type is never trusted: a file is what its magic bytes
say it is. The bytes themselves live in storage under their SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Principal, readable_scopes
from civicgrid.domain.areas.area import AreaPath, is_within
from civicgrid.domain.errors import InvalidInput

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MIB
MAX_FILENAME = 255
ALLOWED_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf")
UNKNOWN_TYPE = "application/octet-stream"
ID_PATTERN = "^[0-9a-f]{32}$"  # uuid4 hex


class AttachmentTooLarge(InvalidInput):
    code = "too_large"


class UnsupportedType(InvalidInput):
    code = "unsupported_media_type"


@dataclass(frozen=True, slots=True)
class Attachment:
    id: str  # uuid4 hex, one per upload; identical bytes share one stored file
    sha256: str
    content_type: str  # as sniffed, never as declared
    size: int
    filename: str
    uploaded_by: str  # username
    created_at: datetime


_PREFIXES = (  # (magic bytes at offset 0, media type); the allowed ones first
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"\x7fELF", "application/x-executable"),
    (b"MZ", "application/x-msdownload"),
    (b"BM", "image/bmp"),
)
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
_MARKUP = (("<svg", "image/svg+xml"), ("<!doctype html", "text/html"), ("<html", "text/html"))


def sniff(data: bytes) -> str:
    """The media type `data` starts like; UNKNOWN_TYPE when nothing matches."""
    for magic, media_type in _PREFIXES:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return _iso_media_type(data)
    return _text_type(data[:1024])


def _iso_media_type(data: bytes) -> str:
    """An ISO base media file (HEIF, AVIF, MP4) by the brands of its `ftyp` box."""
    box_end = min(int.from_bytes(data[:4], "big"), len(data), 4096)
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, box_end - 3, 4)}
    if brands & _HEIC_BRANDS:
        return "image/heic"
    if brands & {b"avif", b"avis"}:
        return "image/avif"
    return "video/quicktime" if data[8:12] == b"qt  " else "video/mp4"


def _text_type(head: bytes) -> str:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A character cut at the window's edge still makes text; a bad byte before it not.
        if exc.start < len(head) - 3:
            return UNKNOWN_TYPE
        text = head[: exc.start].decode("utf-8")
    if "\x00" in text:
        return UNKNOWN_TYPE
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    for marker, media_type in _MARKUP:
        if marker in lowered[:512]:
            return media_type
    return "application/xml" if lowered.startswith("<?xml") else "text/plain"


def check_upload(data: bytes, max_bytes: int, declared: str = "") -> str:
    """The sniffed media type of an acceptable upload; raises naming the problem."""
    if not data:
        raise InvalidInput("the file is empty", field="file")
    if len(data) > max_bytes:
        raise AttachmentTooLarge(
            f"the file is larger than the limit of {max_bytes} bytes ({max_bytes / MIB:g} MiB)",
            field="file",
        )
    detected = sniff(data)
    if detected not in ALLOWED_TYPES:
        sent = f" (sent as {declared})" if declared and declared != detected else ""
        raise UnsupportedType(
            f"the file is {detected}{sent}; allowed: {', '.join(ALLOWED_TYPES)}", field="file"
        )
    return detected


def is_attachment_id(value: str) -> bool:
    return re.fullmatch(ID_PATTERN, value) is not None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean_filename(name: str) -> str:
    """The last path component, without control characters, at most MAX_FILENAME long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C")).strip()
    return kept.lstrip(".")[:MAX_FILENAME] or "attachment"


def may_read(principal: Principal, attachment: Attachment, case_paths: Sequence[AreaPath]) -> bool:
    """Readers of any case that references it; before any does, only the uploader."""
    if not case_paths:
        return attachment.uploaded_by == principal.username
    scopes = readable_scopes(principal)
    return any(is_within(path, scope) for path in case_paths for scope in scopes)
