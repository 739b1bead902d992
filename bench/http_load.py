"""Load on a live HTTP server from this process: closed and open loops, CPU by /proc.

The client is a lean asyncio HTTP/1.1 one over keep-alive connections, so that on a
small machine it takes little CPU from the server it measures. Used by the HTTP
benchmarks; see cases_intake.py.
"""

from __future__ import annotations

import asyncio
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DRAIN_S = 20.0  # an open loop waits this long for the last answers
MAX_CONNECTIONS = 200  # an open loop opens connections up to this many
SERVE = [sys.executable, "-c", "from civicgrid.cli.main import main; main()", "serve"]


class Connection:
    """One keep-alive connection: send a request, read the answer, return its status."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, request: bytes) -> int:
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        await self._reader.readexactly(length)
        return int(head[9:12])

    def close(self) -> None:
        self._writer.close()


@dataclass
class Phase:
    seconds: float
    statuses: Counter[int]
    latencies_ms: list[float]  # math.inf: unanswered
    server_cpu_s: float
    client_cpu_s: float = 0.0

    @property
    def answered(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def rate(self) -> float:
        return self.answered / self.seconds

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request answered."""
        return 1000 * self.server_cpu_s / max(self.answered, 1)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    def summary(self) -> str:
        failed = {status: n for status, n in self.statuses.items() if not 200 <= status < 300}
        late = sum(1 for ms in self.latencies_ms if math.isinf(ms))
        return (
            f"{self.rate:7.1f}/s, p50 {fmt_ms(self.percentile(0.5))}, p99 "
            f"{fmt_ms(self.percentile(0.99))}, server CPU {self.cpu_ms:.1f} ms/request, "
            f"client {self.client_cpu_s / self.seconds:.0%} of a core"
            + (f"; failed {failed}" if failed else "")
            + (f"; {late} unanswered" if late else "")
        )


def fmt_ms(value: float) -> str:
    return f"> {DRAIN_S:.0f} s" if math.isinf(value) else f"{value:.1f} ms"


def cpu_seconds(pid: int) -> float:
    """CPU time used by a process and its children (uvicorn's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


async def closed_loop(
    port: int, pid: int, make: Callable[[], bytes], connections: int, seconds: float
) -> Phase:
    """Each connection sends its next request as soon as the last is answered."""
    opened = [await Connection.open(port) for _ in range(connections)]
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def loop(connection: Connection) -> None:
        while (start := time.perf_counter()) < stop_at:
            statuses[await connection.send(make())] += 1
            latencies.append((time.perf_counter() - start) * 1000)

    server, client, start = cpu_seconds(pid), time.process_time(), time.perf_counter()
    await asyncio.gather(*(loop(c) for c in opened))
    elapsed = time.perf_counter() - start
    phase = Phase(elapsed, statuses, latencies, cpu_seconds(pid) - server)
    phase.client_cpu_s = time.process_time() - client
    for connection in opened:
        connection.close()
    return phase


async def open_loop(
    port: int, pid: int, make: Callable[[], bytes], rate: float, seconds: float
) -> Phase:
    """Requests started on schedule; latency from the scheduled start to the answer."""
    total = max(1, round(rate * seconds))
    latencies = [math.inf] * total
    statuses: Counter[int] = Counter()
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    opened: list[Connection] = []

    async def one(n: int, due: float) -> None:
        if idle.empty() and len(opened) < MAX_CONNECTIONS:
            opened.append(await Connection.open(port))
            connection = opened[-1]
        else:
            connection = await idle.get()
        statuses[await connection.send(make())] += 1
        latencies[n] = (time.perf_counter() - due) * 1000
        idle.put_nowait(connection)

    server, client = cpu_seconds(pid), time.process_time()
    start = time.perf_counter() + 0.05
    tasks = []
    for n in range(total):
        due = start + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(n, due)))
    _, pending = await asyncio.wait(tasks, timeout=DRAIN_S)
    elapsed = time.perf_counter() - start
    for task in pending:
        task.cancel()
    for connection in opened:
        connection.close()
    phase = Phase(elapsed, statuses, latencies, cpu_seconds(pid) - server)
    phase.client_cpu_s = time.process_time() - client
    return phase


@contextmanager
def server(settings: dict[str, str], workers: int, log_dir: Path) -> Iterator[tuple[int, int]]:
    """`civicgrid serve` with these CIVICGRID_* variables on a free loopback port;
    yields (port, pid)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | settings
    log = log_dir / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*SERVE, "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGINT)  # uvicorn stops its workers, then itself
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _healthy(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return conn.recv(12).endswith(b"200")
    except OSError:
        return False
