"""SIGKILL during a fan-out leaves every receipt or none (one transaction), on both engines.

A child process issues a directive to every micro-grid of the small city. A database
event hook pauses it at a chosen point and says so; the test then kills it with SIGKILL:
no rollback, no exception handler, no connection close. Killed after the receipts'
INSERT (and again after the notifications'), nothing of the directive may remain;
killed after the commit, every receipt must.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from civicgrid.adapters.db.tables import DirectiveRow, NotificationRow, ReceiptRow
from civicgrid.bootstrap import Container
from civicgrid.domain.areas import Level
from civicgrid.services.area_import import import_areas
from tests.conftest import TEST_SECRET
from tests.factories import small_city

CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from sqlalchemy import event
    from civicgrid.bootstrap import bootstrap
    from civicgrid.config import Settings
    from civicgrid.domain.access import local_operator
    from civicgrid.domain.areas import Level
    from civicgrid.domain.directives import Content, Selection
    from civicgrid.services.directives.issuing import issue_directive

    url, secret, pause_at = sys.argv[1], sys.argv[2], sys.argv[3]
    c = bootstrap(Settings(env="test", secret_key=secret, database_url=url, data_dir=Path(".")))

    @event.listens_for(c.engine, "after_cursor_execute")
    def pause(conn, cursor, statement, params, context, executemany):
        if statement.startswith(pause_at):
            print("paused", flush=True)
            time.sleep(60)

    now = datetime.now(UTC)
    content = Content(title_zh="fault", body_zh="", complete_deadline_at=now + timedelta(hours=1))
    issued = issue_directive(
        c.uow(), local_operator(), content, Selection(level=Level.MICRO_GRID), now=now,
        from_area="410100",
    )
    print("paused", issued.directive.target_count, flush=True)
    time.sleep(60)
    """
)


def _kill_when_paused(url: str, pause_at: str, cwd: Path) -> str:
    with subprocess.Popen(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", CHILD, url, TEST_SECRET, pause_at],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    ) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        try:
            line = child.stdout.readline()
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
        assert line.startswith("paused"), child.stderr.read()
    assert child.returncode == -signal.SIGKILL
    return line


def _counts(container: Container) -> tuple[int, int, int]:
    with container.session_factory() as session:
        directives = session.execute(select(func.count()).select_from(DirectiveRow)).scalar_one()
        receipts = session.execute(select(func.count()).select_from(ReceiptRow)).scalar_one()
        notes = session.execute(select(func.count()).select_from(NotificationRow)).scalar_one()
    return directives, receipts, notes


@pytest.mark.slow
def test_a_killed_fan_out_leaves_all_receipts_or_none(
    container: Container, database_url: str, tmp_path: Path
) -> None:
    import_areas(container.uow(), small_city(), english_name=container.english_name)
    micro_grids = sum(1 for a in small_city() if a.level is Level.MICRO_GRID)
    for statement in ("INSERT INTO directive_receipts", "INSERT INTO notifications"):
        _kill_when_paused(database_url, statement, tmp_path)
        assert _counts(container) == (0, 0, 0), f"killed after {statement}"
    line = _kill_when_paused(database_url, "never", tmp_path)  # pauses after the commit
    assert line.split() == ["paused", str(micro_grids)]
    assert _counts(container) == (1, micro_grids, micro_grids)
