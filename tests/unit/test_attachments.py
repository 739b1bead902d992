"""Attachment rules without I/O: sniffing, limits, file names, who may read."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pytest

from civicgrid.domain.access import Grant, Principal, Role
from civicgrid.domain.attachments import (
    ALLOWED_TYPES,
    Attachment,
    AttachmentTooLarge,
    UnsupportedType,
    check_upload,
    clean_filename,
    may_read,
    sniff,
)
from civicgrid.domain.errors import InvalidInput


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", len(body) + 4) + body + b"\x00\x00\x00\x08mdat"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
        (ftyp(b"mif1", b"mif1", b"heix"), "image/heic"),
        (ftyp(b"avif", b"mif1", b"avif"), "image/avif"),
        (ftyp(b"isom", b"isom", b"mp41"), "video/mp4"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        (b"GIF87a", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "application/octet-stream"),
        (b"\xef\xbb\xbf<?xml version='1.0'?><note/>", "application/xml"),
        (b"  <svg></svg>", "image/svg+xml"),
        ("纯文本".encode() * 400, "text/plain"),
        (b"\x00\x01\x02", "application/octet-stream"),
    ],
)
def test_a_file_is_what_its_first_bytes_say(data: bytes, expected: str) -> None:
    assert sniff(data) == expected


def test_a_pdf_named_like_a_photo_is_still_a_pdf() -> None:
    assert check_upload(b"%PDF-1.4\n", 1024, declared="image/jpeg") == "application/pdf"


def test_the_limit_is_inclusive_and_named_when_passed() -> None:
    assert check_upload(b"\xff\xd8\xff" + bytes(1021), 1024) == "image/jpeg"
    with pytest.raises(AttachmentTooLarge, match=r"1024 bytes \(0.0009765\d* MiB\)"):
        check_upload(b"\xff\xd8\xff" + bytes(1022), 1024)


def test_an_empty_file_is_invalid_but_not_a_type_or_size_problem() -> None:
    with pytest.raises(InvalidInput, match="empty") as raised:
        check_upload(b"", 1024)
    assert type(raised.value) is InvalidInput


def test_a_refused_type_names_what_it_is_what_was_claimed_and_what_is_allowed() -> None:
    with pytest.raises(UnsupportedType) as raised:
        check_upload(b"GIF89a....", 1024, declared="image/png")
    message = raised.value.message
    assert "image/gif (sent as image/png)" in message
    assert all(allowed in message for allowed in ALLOWED_TYPES)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("photo.jpg", "photo.jpg"),
        ("C:\\Users\\张三\\现场照片.jpg", "现场照片.jpg"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\r\nc.png", "abc.png"),
        (".hidden", "hidden"),
        ("", "attachment"),
        ("/", "attachment"),
        ("x" * 300 + ".png", "x" * 255),
    ],
)
def test_a_file_name_keeps_only_its_last_printable_part(given: str, kept: str) -> None:
    assert clean_filename(given) == kept


def _person(name: str, *grants: tuple[Role, str]) -> Principal:
    return Principal(
        1, name, tuple(Grant(role, path.strip("/").split("/")[-1], path) for role, path in grants)
    )


ATTACHMENT = Attachment(
    "a" * 32, "0" * 64, "image/png", 10, "p.png", "uploader", datetime(2026, 1, 1, tzinfo=UTC)
)
CASE = "/410100/410102/410102001/"


def test_before_a_case_uses_it_only_the_uploader_reads_it() -> None:
    admin = _person("admin", (Role.CITY_ADMIN, "/410100/"))
    assert may_read(_person("uploader"), ATTACHMENT, [])
    assert not may_read(admin, ATTACHMENT, [])


def test_once_cases_use_it_their_readers_do_and_nobody_else() -> None:
    street = _person("street", (Role.STREET_OFFICER, CASE))
    other = _person("other", (Role.STREET_OFFICER, "/410100/410103/410103001/"))
    assert may_read(street, ATTACHMENT, [CASE + "410102001001/"])
    assert may_read(other, ATTACHMENT, [CASE, "/410100/410103/410103001/410103001001/"])
    assert not may_read(other, ATTACHMENT, [CASE])
    assert not may_read(_person("uploader"), ATTACHMENT, [CASE])
