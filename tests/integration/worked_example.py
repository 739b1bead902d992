"""Runs the console blocks of a Markdown document through the `civicgrid` CLI in-process.

A block fenced as ```console holds commands (lines starting with "$ civicgrid") each
followed by the output it prints. `<!-- clock: ISO-8601 -->` outside the blocks sets the
time the following commands run at. Used by test_worked_example.py; run this module to
print what each command prints (to write the document).
"""

from __future__ import annotations

import re
import shlex
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from civicgrid.bootstrap import Container, bootstrap
from civicgrid.cli import context
from civicgrid.cli.main import app

BOX = set("│┃━─┏┓┗┛┡┩└┘┌┐├┤┼╇╈┳┻╋")


@dataclass
class Step:
    command: list[str]
    expected: list[str] = field(default_factory=list)
    clock: datetime | None = None


def steps(markdown: str) -> Iterator[Step]:
    clock: datetime | None = None
    in_block = False
    current: Step | None = None
    for line in markdown.splitlines():
        if not in_block:
            if found := re.match(r"<!-- clock: (\S+) -->", line.strip()):
                clock = datetime.fromisoformat(found.group(1))
            in_block = line.strip() == "```console"
            continue
        if line.strip() == "```":
            in_block = False
            if current is not None:
                yield current
                current = None
            continue
        if line.startswith("$ "):
            if current is not None:
                yield current
            words = shlex.split(line[2:])
            assert words[0] == "civicgrid", line
            current = Step(words[1:], clock=clock)
        elif current is not None and line.strip():
            current.expected.append(line.rstrip())


def checked(line: str) -> bool:
    """Output lines the document promises; tables' borders and rows are shown, not checked."""
    return not (set(line) & BOX) and not line.startswith("…")


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\x80\xff"))
        + chunk(b"IEND", b"")
    )


class PinnedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def run_document(
    path: Path,
    env: dict[str, str],
    patch: Callable[[Any, str, Any], None],
    on_step: Callable[[Step, str], None],
) -> None:
    """Run every command; `patch` is monkeypatch.setattr; `on_step` sees each output."""
    clock = PinnedClock(datetime.fromisoformat("2026-07-20T09:00:00+08:00"))

    def pinned(*args: Any, **kwargs: Any) -> Container:
        built = bootstrap(*args, **kwargs)
        built.clock = clock
        return built

    patch(context, "bootstrap", pinned)
    runner = CliRunner(env={**env, "COLUMNS": "200"})
    for step in steps(path.read_text(encoding="utf-8")):
        if step.clock is not None:
            clock.now = step.clock
        result = runner.invoke(app, step.command, catch_exceptions=False)
        assert result.exit_code == 0, f"{shlex.join(step.command)}:\n{result.output}"
        on_step(step, result.stdout)


if __name__ == "__main__":  # print the outputs, to write the document
    import os
    import tempfile

    from civicgrid.adapters.db import migrate

    work = Path(tempfile.mkdtemp(prefix="worked-example-"))
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{work / 'worked.sqlite3'}"
    migrate.upgrade(url)
    os.chdir(work)
    Path("drill.png").write_bytes(png())
    env = {
        "CIVICGRID_DATABASE_URL": url,
        "CIVICGRID_DATA_DIR": str(work / "var"),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": "x" * 64,
    }

    def show(step: Step, output: str) -> None:
        print("$ civicgrid " + shlex.join(step.command))
        print(output.rstrip())

    run_document(Path(sys.argv[1]), env, setattr, show)
