"""Run every benchmark in turn, each checking its targets.

Run: .venv/bin/python bench/run_all.py   (or `make bench`)
PostgreSQL figures need the server on 127.0.0.1:5432; without it they are skipped.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent

BENCHMARKS: list[tuple[list[str], bool]] = [
    (["routing.py", "--check"], False),
    (["area_queries.py", "--engine", "sqlite", "--check"], False),
    (["area_queries.py", "--engine", "postgresql", "--check"], True),
    # Creates 1,000/s and p99 < 100 ms at 500/s; 1,000/s is missed today (docs/performance.md).
    (["cases_intake.py", "--engine", "sqlite", "--workers", "2", "--check"], False),
    (["cases_intake.py", "--engine", "postgresql", "--workers", "2"], True),
    # The first run builds 1M cases per engine (several minutes) and keeps them.
    (["cases_listing.py", "--engine", "sqlite", "--check"], False),
    (["cases_listing.py", "--engine", "postgresql", "--check"], True),
    (["indicators.py", "--check"], False),
    (["open311.py", "--engine", "sqlite", "--workers", "2", "--check"], False),
    (["open311.py", "--engine", "postgresql", "--workers", "2", "--check"], True),
    (["sanbiao.py", "--check"], False),
    (["directives.py", "--engine", "sqlite", "--live", "10", "--check"], False),
    (["directives.py", "--engine", "postgresql", "--live", "10", "--check"], True),
    (["iot_rules.py", "--check"], False),
    (["iot_ingest.py", "--mqtt-messages", "0", "--check"], False),
    (["iot_mqtt.py", "--check"], False),
    (["web_map.py", "--check"], False),  # headless chromium at /usr/bin/chromium
    (["web_pages.py", "--check"], False),
    (["web_directive_pages.py", "--engine", "sqlite"], False),
]


def postgres_up() -> bool:
    try:
        psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def main() -> int:
    failed = []
    have_pg = postgres_up()
    for args, needs_pg in BENCHMARKS:
        title = " ".join(args)
        print(f"\n=== {title}", flush=True)
        if needs_pg and not have_pg:
            print("skipped: PostgreSQL is not reachable on 127.0.0.1:5432")
            continue
        if subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], check=False).returncode:
            failed.append(title)
    if failed:
        print(f"\nmissed their targets: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
