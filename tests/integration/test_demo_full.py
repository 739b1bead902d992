"""The full Zhengzhou demo, loaded through the CLI once per engine.

Each engine gets a fresh database that `civicgrid db upgrade` migrates; `demo load`
then runs twice, and every test below reads what those two loads left behind.
"""

from __future__ import annotations

import csv
import json
import re
import stat
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pytest
from shapely.geometry import Point
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from civicgrid.adapters.db.tables import AreaRow
from civicgrid.adapters.demo_zhengzhou import DISTRICT_SOURCE, build_demo_areas
from civicgrid.bootstrap import Container, bootstrap
from civicgrid.cli.main import app
from civicgrid.config import Settings
from civicgrid.domain.areas import Area, Level
from civicgrid.services.users import authenticate_password, authenticate_token
from tests.fixtures import TEST_SECRET, throwaway_pg_database

pytestmark = pytest.mark.slow

SEED = 2023  # the CLI's default seed
JINSHUI = "410105"
IN_JINSHUI = (34.80, 113.68)  # lat, lon: 丰产路街道, east of the Zhengzhou railway station
DEMO_USERS = {
    "admin",
    "leader",
    "jinshui",
    "street",
    "community",
    "gridworker",
    "chengguan",
    "acceptor",
    "shiftleader",
    "dispatcher",
}


@dataclass(frozen=True)
class LoadedDemo:
    runner: CliRunner
    data_dir: Path
    container: Container
    first: Result
    second: Result

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built() -> list[Area]:
    """What `demo load` stores: the builder's own output, the source of every expected count."""
    return build_demo_areas(seed=SEED)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def empty_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of this module's own, not yet migrated; dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
        return
    with throwaway_pg_database(prefix="civicgrid_demo", migrated=False) as url:
        yield url


@pytest.fixture(scope="module")
def demo(empty_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedDemo]:
    data_dir = tmp_path_factory.mktemp("var")
    env = {
        "CIVICGRID_DATABASE_URL": empty_database_url,
        "CIVICGRID_DATA_DIR": str(data_dir),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        "CIVICGRID_SNAP_TOLERANCE_M": None,
    }
    runner = CliRunner(env=env)
    migrated = runner.invoke(app, ["db", "upgrade"], catch_exceptions=False)
    assert migrated.exit_code == 0, migrated.output
    results, seconds = [], []
    for _ in range(2):
        started = time.perf_counter()
        results.append(runner.invoke(app, ["demo", "load"], catch_exceptions=False))
        seconds.append(time.perf_counter() - started)
    engine = make_url(empty_database_url).get_backend_name()
    # Shown with `pytest -s`: how long a full load takes on each engine.
    print(f"\ndemo load on {engine}: {seconds[0]:.1f} s, again {seconds[1]:.1f} s")
    container = bootstrap(
        Settings(
            env="test", secret_key=TEST_SECRET, database_url=empty_database_url, data_dir=data_dir
        )
    )
    yield LoadedDemo(runner, data_dir, container, results[0], results[1])
    container.dispose()


def test_the_first_load_creates_every_area_and_the_second_changes_nothing(
    demo: LoadedDemo, built: list[Area]
) -> None:
    assert demo.first.exit_code == 0, demo.first.output
    assert f"Zhengzhou demo: {len(built)} created, 0 updated, 0 unchanged" in demo.first.stdout
    assert "demo users created" in demo.first.stdout
    assert demo.second.exit_code == 0, demo.second.output
    assert f"Zhengzhou demo: 0 created, 0 updated, {len(built)} unchanged" in demo.second.stdout
    assert "demo users created" not in demo.second.stdout  # nobody new, file left alone


def test_each_level_holds_as_many_areas_as_the_builder_made(
    demo: LoadedDemo, built: list[Area]
) -> None:
    made = Counter(area.level for area in built)
    # The real divisions are fixed; the generated levels only roughly.
    assert (made[Level.DISTRICT], made[Level.STREET], made[Level.COMMUNITY]) == (12, 182, 2914)
    assert 7_500 <= made[Level.GRID] <= 8_300
    assert 45_000 <= made[Level.MICRO_GRID] <= 51_000
    with demo.container.engine.connect() as conn:
        rows = conn.execute(select(AreaRow.level, func.count()).group_by(AreaRow.level)).all()
    assert {Level(level): count for level, count in rows} == made
    shown = demo("areas", "show", "410100")
    assert shown.exit_code == 0, shown.output
    below = dict(re.findall(r"│ (\S+) below\s*│ (\d+)\s*│", shown.stdout))
    assert below == {level.name_zh: str(made[level]) for level in Level if level > Level.CITY}


def test_only_what_lies_below_the_districts_is_synthetic(demo: LoadedDemo) -> None:
    with demo.container.engine.connect() as conn:
        rows = conn.execute(
            select(AreaRow.level, AreaRow.synthetic, func.count()).group_by(
                AreaRow.level, AreaRow.synthetic
            )
        ).all()
    flags: dict[Level, set[bool]] = {}
    for level, synthetic, _ in rows:
        flags.setdefault(Level(level), set()).add(synthetic)
    assert flags == {level: {level > Level.DISTRICT} for level in Level}
    districts = demo("areas", "export", "410100", "--level", "district")
    for feature in json.loads(districts.stdout)["features"]:
        assert feature["properties"]["synthetic"] is False
        assert feature["properties"]["source"] == DISTRICT_SOURCE


def test_the_credentials_file_is_private_and_its_tokens_and_passwords_work(
    demo: LoadedDemo,
) -> None:
    path = demo.data_dir / "demo-credentials.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    assert {row["username"] for row in rows} == DEMO_USERS
    for row in rows:
        principal = authenticate_token(demo.container.uow(), row["token"])
        assert principal.username == row["username"]
        assert [(g.role.value, g.area_code) for g in principal.grants] == [
            (row["role"], row["area"])
        ]
    admin = next(row for row in rows if row["username"] == "admin")
    by_password = authenticate_password(
        demo.container.uow(), demo.container.hasher, "admin", admin["password"]
    )
    assert by_password.username == "admin"


def test_a_point_in_jinshui_locates_to_its_micro_grid(demo: LoadedDemo, built: list[Area]) -> None:
    lat, lon = IN_JINSHUI
    [expected] = [
        area.code
        for area in built
        if area.level is Level.MICRO_GRID and area.geometry is not None
        if area.geometry.contains(Point(lon, lat))
    ]
    result = demo("areas", "locate", str(lat), str(lon))
    assert result.exit_code == 0, result.output
    chain = [line.split()[1] for line in result.stdout.splitlines()]
    assert chain[:2] == ["410100", JINSHUI]
    assert chain[-1] == expected
    assert expected.startswith(JINSHUI)
    assert "金水区" in result.stdout


def test_jinshui_exports_its_real_streets_by_their_real_names(
    demo: LoadedDemo, tmp_path: Path
) -> None:
    out = tmp_path / "streets.geojson"
    result = demo("areas", "export", JINSHUI, "--level", "street", "-o", str(out))
    assert result.exit_code == 0, result.output
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    exported = {f["properties"]["code"]: f["properties"]["name_zh"] for f in features}
    assert len(exported) >= 17
    assert exported == _statistical_streets(JINSHUI)
    for feature in features:
        props = feature["properties"]
        assert (props["level"], props["parent_code"], props["synthetic"]) == (
            "street",
            JINSHUI,
            True,
        )
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def _statistical_streets(district: str) -> dict[str, str]:
    """Code → name of the district's streets in the 2023 statistical list."""
    data = files("civicgrid") / "data" / "zhengzhou" / "divisions_nbs2023.csv"
    rows = csv.DictReader(data.read_text(encoding="utf-8").splitlines())
    return {
        r["code"]: r["name"] for r in rows if r["level"] == "4" and r["parent_code"] == district
    }


def test_exporting_all_communities_pages_through_every_one_once(
    demo: LoadedDemo, built: list[Area]
) -> None:
    result = demo("areas", "export", "410100", "--level", "community")
    assert result.exit_code == 0, result.output
    codes = [f["properties"]["code"] for f in json.loads(result.stdout)["features"]]
    assert codes == sorted(a.code for a in built if a.level is Level.COMMUNITY)
