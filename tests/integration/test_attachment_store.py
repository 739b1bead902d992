"""The file store on a real disk: layout, deduplication, atomic writes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from civicgrid.adapters.attachment_store import FileAttachmentStore


def test_content_lands_under_its_hash_once(tmp_path: Path) -> None:
    store = FileAttachmentStore(tmp_path / "attachments")
    data = b"\x89PNG\r\n\x1a\n photo"
    sha = hashlib.sha256(data).hexdigest()
    assert store.put(sha, data) is True
    assert store.put(sha, data) is False
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()] == [
        Path("attachments") / sha[:2] / sha
    ]
    with store.open(sha) as stored:
        assert stored.read() == data


def test_a_truncated_copy_is_replaced(tmp_path: Path) -> None:
    store = FileAttachmentStore(tmp_path)
    data = b"%PDF-1.7 whole"
    sha = hashlib.sha256(data).hexdigest()
    store.path_for(sha).parent.mkdir(parents=True)
    store.path_for(sha).write_bytes(data[:4])
    assert store.put(sha, data) is True
    assert store.path_for(sha).read_bytes() == data


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileAttachmentStore(tmp_path)

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.put("ab" * 32, b"data")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "AB" * 32, "ab" * 31, ""])
def test_only_a_hex_digest_becomes_a_path(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        FileAttachmentStore(tmp_path).path_for(name)


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        FileAttachmentStore(tmp_path).open("cd" * 32)
