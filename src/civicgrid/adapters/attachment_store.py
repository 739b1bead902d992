"""Attachment bytes on the local disk: `<root>/<sha256[:2]>/<sha256>`, one copy per content."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileAttachmentStore:
    """Nothing touches the disk until the first `put`; the root is made then."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        # The name becomes a path: only a hex digest may, never "../" or a separator.
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, sha256: str, data: bytes) -> bool:
        target = self.path_for(sha256)
        if target.is_file() and target.stat().st_size == len(data):
            return False
        new_dirs = not target.parent.is_dir()
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target, then rename: a reader sees the whole file or none,
        # and two processes storing the same content both leave the same bytes.
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)  # the rename itself survives a crash
        if new_dirs:
            _fsync_dir(self.root)
        return True

    def open(self, sha256: str) -> BinaryIO:
        return self.path_for(sha256).open("rb")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
