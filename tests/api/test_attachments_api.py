"""Attachments over HTTP, on both engines: upload, download, limits, and who may read one."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Role
from tests.api.conftest import assert_error
from tests.fixtures import CASE_WORKERS, MICRO, CityClient, city_client

ATTACHMENTS = "/api/v1/attachments"
CASES = "/api/v1/cases"
TEN_MIB = 10 * 1024 * 1024


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG: signature, IHDR, one zlib-compressed IDAT of red pixels, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_header() -> bytes:
    """The start of a JFIF file: SOI, an APP0 segment, EOI."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


PEOPLE = CASE_WORKERS | {
    "officer": (Role.COMMUNITY_OFFICER, "410102001001", ""),  # MICRO's community
    "neighbour": (Role.GRID_WORKER, "41010200100100102", ""),  # the next micro-grid
    "other_district": (Role.SHIFT_LEADER, "410103", ""),
    "nobody": (None, "", ""),
}


class Api(CityClient):
    def upload(
        self, who: str, data: bytes, content_type: str = "image/png", name: str = "photo.png"
    ) -> httpx.Response:
        self.clock.now += timedelta(minutes=1)
        files = {"file": (name, data, content_type)}
        return self.client.post(ATTACHMENTS, files=files, headers=self.as_(who))

    def download(self, who: str, attachment_id: str) -> httpx.Response:
        return self.client.get(f"{ATTACHMENTS}/{attachment_id}", headers=self.as_(who))

    def act(self, who: str, case_id: int, path: str, body: object) -> httpx.Response:
        self.clock.now += timedelta(minutes=1)
        url = f"{CASES}/{case_id}/{path}"
        return self.client.post(url, json=body, headers=self.as_(who))

    def report(self, who: str, attachments: list[str]) -> httpx.Response:
        self.clock.now += timedelta(minutes=1)
        body = {"category": "event:0101", "description": "路边暴露垃圾", "lat": self.lat}
        body |= {"lon": self.lon, "attachments": attachments}
        return self.client.post(CASES, json=body, headers=self.as_(who))

    @property
    def stored_files(self) -> list[Path]:
        root = self.container.settings.data_dir / "attachments"
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    @property
    def stored_rows(self) -> int:
        with self.container.engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM attachments")).scalar_one())


@pytest.fixture
def api(container: Container) -> Iterator[Api]:
    with city_client(container, PEOPLE, Api) as api:
        yield api


def test_an_uploaded_png_downloads_byte_identical_with_its_type(api: Api) -> None:
    photo = png()
    uploaded = api.upload("inspector", photo, content_type="application/octet-stream")
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    sha256 = hashlib.sha256(photo).hexdigest()
    assert body == {"id": body["id"], "content_type": "image/png", "size": len(photo)} | {
        "sha256": sha256
    }
    assert api.stored_files == [
        api.container.settings.data_dir / "attachments" / sha256[:2] / sha256
    ]
    downloaded = api.download("inspector", body["id"])
    assert downloaded.status_code == 200
    assert downloaded.content == photo
    assert downloaded.headers["content-type"] == "image/png"
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    assert downloaded.headers["content-disposition"] == "inline; filename*=UTF-8''photo.png"


def test_the_type_comes_from_the_bytes_not_from_the_client(api: Api) -> None:
    uploaded = api.upload("inspector", jpeg_header(), content_type="image/png", name="a.png")
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["content_type"] == "image/jpeg"
    assert api.download("inspector", uploaded.json()["id"]).headers["content-type"] == "image/jpeg"


def test_identical_content_is_stored_once_under_two_uploads(api: Api) -> None:
    photo = png(3, 1)
    first = api.upload("inspector", photo).json()
    second = api.upload("acceptor", photo, name="again.png").json()
    assert first["id"] != second["id"]
    assert first["sha256"] == second["sha256"]
    assert len(api.stored_files) == 1
    assert api.stored_rows == 2
    assert api.download("acceptor", second["id"]).content == photo


def test_a_file_at_the_limit_passes_the_body_limit_meant_for_json(api: Api) -> None:
    exactly = b"\x89PNG\r\n\x1a\n" + bytes(TEN_MIB - 8)
    uploaded = api.upload("inspector", exactly)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["size"] == TEN_MIB
    elsewhere = api.client.post(
        CASES, content=b"{" + b" " * 2_000_000 + b"}", headers=api.as_("inspector")
    )
    assert_error(elsewhere, 413, "body_too_large", "1048576")


@pytest.mark.parametrize(
    ("size", "code", "mentions", "field"),
    [
        # The file, checked by the use case: a body this size passes the upload allowance.
        (TEN_MIB + 1, "too_large", ("10485760 bytes", "10 MiB"), "file"),
        # The body, refused by the middleware before the use case sees it.
        (TEN_MIB + 200_000, "body_too_large", ("10551296 bytes",), None),
    ],
    ids=["file", "body"],
)
def test_an_oversized_upload_is_413_naming_the_limit_and_stores_nothing(
    api: Api, size: int, code: str, mentions: tuple[str, ...], field: str | None
) -> None:
    response = api.upload("inspector", b"\x89PNG\r\n\x1a\n" + bytes(size - 8))
    assert_error(response, 413, code, *mentions, field=field)
    assert (api.stored_files, api.stored_rows) == ([], 0)


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        pytest.param(data, detected, id=detected)
        for data, detected in [
            (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
            (b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>", "image/svg+xml"),
            (b"<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
            (b"PK\x03\x04" + bytes(26), "application/zip"),
            (b"just some words", "text/plain"),
            (bytes(range(256)), "application/octet-stream"),
        ]
    ],
)
def test_a_file_of_another_type_is_415_naming_it_and_the_allowed_ones(
    api: Api, data: bytes, detected: str
) -> None:
    response = api.upload("inspector", data, content_type="image/png")
    assert_error(
        response,
        415,
        "unsupported_media_type",
        detected,
        "image/jpeg",
        "application/pdf",
        field="file",
    )
    assert (api.stored_files, api.stored_rows) == ([], 0)


def test_an_empty_file_is_422_and_stores_nothing(api: Api) -> None:
    assert_error(api.upload("inspector", b""), 422, "invalid_input", "empty", field="file")
    missing = api.client.post(ATTACHMENTS, data={"x": "1"}, headers=api.as_("inspector"))
    assert_error(missing, 422, "invalid_input", field="file")
    assert (api.stored_files, api.stored_rows) == ([], 0)


def test_someone_working_nowhere_cannot_upload(api: Api) -> None:
    assert_error(api.upload("nobody", png()), 403, "forbidden", "nobody")
    assert (api.stored_files, api.stored_rows) == ([], 0)


def test_before_a_case_uses_it_only_the_uploader_may_read_an_attachment(api: Api) -> None:
    attachment_id = api.upload("inspector", png()).json()["id"]
    assert api.download("inspector", attachment_id).status_code == 200
    for other in ("officer", "acceptor", "neighbour"):
        assert_error(api.download(other, attachment_id), 403, "forbidden", field="attachment_id")


def test_a_reported_case_shows_its_attachment_and_opens_it_to_the_cases_readers(
    api: Api,
) -> None:
    photo = png()
    attachment_id = api.upload("inspector", photo).json()["id"]
    reported = api.report("inspector", [attachment_id])
    assert reported.status_code == 201, reported.text
    timeline = reported.json()["timeline"]
    assert [(e["type"], e["attachments"]) for e in timeline] == [("reported", [attachment_id])]
    for reader in ("inspector", "officer", "acceptor"):
        assert api.download(reader, attachment_id).content == photo, reader
    for outsider in ("neighbour", "other_district"):
        response = api.download(outsider, attachment_id)
        assert_error(response, 403, "forbidden", attachment_id, field="attachment_id")


def test_a_report_naming_an_unknown_attachment_is_422_naming_it(api: Api) -> None:
    unknown = "0" * 32
    response = api.report("inspector", [unknown])
    assert_error(response, 422, "invalid_input", unknown, field="attachments")
    assert api.client.get(CASES, headers=api.as_("acceptor")).json()["count"] == 0


def test_a_report_may_not_use_someone_elses_unattached_upload(api: Api) -> None:
    theirs = api.upload("acceptor", png()).json()["id"]
    response = api.report("inspector", [theirs])
    assert_error(response, 403, "forbidden", theirs, field="attachments")
    assert api.client.get(CASES, headers=api.as_("acceptor")).json()["count"] == 0


def test_unknown_and_malformed_attachment_ids(api: Api) -> None:
    assert_error(
        api.download("inspector", "f" * 32), 404, "not_found", "f" * 32, field="attachment_id"
    )
    malformed = api.download("inspector", "../../etc/passwd")
    assert malformed.status_code in (404, 422)
    assert_error(api.download("inspector", "X" * 32), 422, "invalid_input", field="attachment_id")


def _hotline_case_at_handling(api: Api) -> tuple[int, str]:
    """A hotline report checked on site with a photo, filed and dispatched; the photo's id."""
    body = {"category": "event:0101", "description": "路边暴露垃圾", "area_code": MICRO}
    body |= {"source": "hotline"}
    case_id = api.client.post(CASES, json=body, headers=api.as_("acceptor")).json()["id"]
    site_photo = api.upload("inspector", png(3, 3)).json()["id"]
    steps: list[tuple[str, str, dict[str, object]]] = [
        ("acceptor", "accept", {}),
        ("inspector", "check", {"passed": True, "attachments": [site_photo]}),
        ("leader", "file", {}),
        ("dispatcher", "dispatch", {"department": "city_management"}),
    ]
    for who, path, step in steps:
        response = api.act(who, case_id, path, step)
        assert response.status_code == 200, (path, response.text)
    return case_id, site_photo


def test_check_handle_verify_and_notes_carry_attachments_onto_the_timeline(api: Api) -> None:
    case_id, site_photo = _hotline_case_at_handling(api)
    after_work = api.upload("handler", png(4, 4)).json()["id"]
    on_site = api.upload("inspector", png(5, 5)).json()["id"]
    receipt = api.upload("handler", png(6, 6)).json()["id"]
    steps: list[tuple[str, str, dict[str, object]]] = [
        ("handler", "handle", {"result": "已清运", "attachments": [after_work]}),
        ("dispatcher", "feedback", {}),
        ("inspector", "verify", {"passed": True, "attachments": [on_site]}),
        ("handler", "notes", {"attachments": [receipt]}),  # a note may be only a file
    ]
    for who, path, step in steps:
        response = api.act(who, case_id, path, step)
        assert response.status_code == 200, (path, response.text)
    timeline = response.json()["timeline"]
    carried = [(e["type"], e["attachments"]) for e in timeline if e["attachments"]]
    assert carried == [
        ("checked", [site_photo]),
        ("handled", [after_work]),
        ("verified", [on_site]),
        ("noted", [receipt]),
    ]
    # Linked to the case, each opens to the case's readers, not only to its uploader.
    for attachment_id in (site_photo, after_work, on_site, receipt):
        assert api.download("officer", attachment_id).status_code == 200
        response = api.download("neighbour", attachment_id)
        assert_error(response, 403, "forbidden", attachment_id, field="attachment_id")


def test_an_action_naming_an_unknown_attachment_is_422_and_records_nothing(api: Api) -> None:
    case_id, _ = _hotline_case_at_handling(api)
    unknown = "0" * 32
    response = api.act("handler", case_id, "handle", {"result": "已清运", "attachments": [unknown]})
    assert_error(response, 422, "invalid_input", unknown, field="attachments")
    detail = api.client.get(f"{CASES}/{case_id}", headers=api.as_("handler")).json()
    assert (detail["stage"], detail["timeline"][-1]["type"]) == ("handle", "dispatched")


def test_an_action_may_not_use_someone_elses_unattached_upload(api: Api) -> None:
    case_id, _ = _hotline_case_at_handling(api)
    theirs = api.upload("inspector", png(7, 7)).json()["id"]
    response = api.act("handler", case_id, "notes", {"text": "见附件", "attachments": [theirs]})
    assert_error(response, 403, "forbidden", theirs, field="attachments")
    response = api.act("handler", case_id, "notes", {"attachments": ["X" * 33]})
    assert response.status_code == 422
    response = api.act("handler", case_id, "notes", {})
    assert_error(response, 422, "invalid_input", "a note needs text or an attachment", field="text")
