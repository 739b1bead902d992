"""The `civicgrid` command line, run in-process on SQLite and on PostgreSQL.

Commands run with `catch_exceptions=False`: anything but an exit escapes the runner,
so a traceback fails the test instead of hiding in the captured output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point, box, shape
from typer.testing import CliRunner, Result

from civicgrid.adapters.files import dump_geojson, write_areas_geojson
from civicgrid.bootstrap import Container
from civicgrid.cli.main import app
from civicgrid.domain.areas import Area, Level
from civicgrid.domain.errors import Unauthenticated
from civicgrid.services.users import authenticate_password, authenticate_token
from tests.conftest import TEST_SECRET
from tests.factories import centre_of, small_city

PASSWORD = "correct horse battery"
MICRO_GRID = "41010300200200202"

Expected = list[tuple[str, str]]  # (location and field, part of the message)


@dataclass(frozen=True)
class Cli:
    """`civicgrid` against one database; files go under `workdir`."""

    runner: CliRunner
    workdir: Path

    def __call__(self, *args: str, stdin: str | None = None, **env: str) -> Result:
        return self.runner.invoke(app, list(args), input=stdin, env=env, catch_exceptions=False)

    def write(self, name: str, data: bytes | str) -> str:
        path = self.workdir / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return str(path)


def _environment(database_url: str, data_dir: Path) -> dict[str, str | None]:
    return {
        "CIVICGRID_DATABASE_URL": database_url,
        "CIVICGRID_DATA_DIR": str(data_dir),
        "CIVICGRID_ENV": "test",
        "CIVICGRID_SECRET_KEY": TEST_SECRET,
        # Settings of the shell running the tests must not leak in.
        "CIVICGRID_NEW_PASSWORD": None,
        "CIVICGRID_SNAP_TOLERANCE_M": None,
    }


@pytest.fixture
def cli(database_url: str, tmp_path: Path) -> Cli:
    return Cli(CliRunner(env=_environment(database_url, tmp_path / "var")), tmp_path)


@pytest.fixture
def city(cli: Cli) -> Cli:
    """The small city imported through the CLI."""
    result = cli("areas", "import", cli.write("city.geojson", _geojson(small_city())))
    assert result.exit_code == 0, result.output
    return cli


def _geojson(areas: list[Area]) -> bytes:
    return dump_geojson(write_areas_geojson(areas))


def _area(code: str) -> Area:
    return next(a for a in small_city() if a.code == code)


def _assert_nothing_stored(cli: Cli) -> None:
    shown = cli("areas", "show", "410100")
    assert shown.exit_code == 2
    assert "no area with code 410100" in shown.stderr


# --- db ---------------------------------------------------------------------------


def test_db_upgrade_creates_the_default_sqlite_database_in_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "yet" / "there"
    cli = Cli(CliRunner(env=_environment("", data_dir)), tmp_path)
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "database at head: sqlite:///" in result.stdout
    assert (data_dir / "civicgrid.sqlite3").is_file()
    _assert_nothing_stored(cli)


def test_an_unmigrated_database_gets_a_hint_instead_of_a_traceback(cli: Cli) -> None:
    down = cli("db", "downgrade")
    assert down.exit_code == 0, down.output
    assert "database at base" in down.stdout
    shown = cli("areas", "show", "410100")
    assert shown.exit_code == 1
    assert "run `civicgrid db upgrade` first" in shown.stderr
    up = cli("db", "upgrade")
    assert up.exit_code == 0, up.output
    assert "database at head" in up.stdout
    assert cli("db", "upgrade").exit_code == 0  # a second upgrade is a no-op
    _assert_nothing_stored(cli)


# --- areas import -----------------------------------------------------------------


def test_a_geojson_import_prints_its_counts_and_a_second_one_changes_nothing(cli: Cli) -> None:
    path = cli.write("city.geojson", _geojson(small_city()))
    first = cli("areas", "import", path)
    assert first.exit_code == 0, first.output
    assert "city.geojson: 63 created, 0 updated, 0 unchanged" in first.stdout
    again = cli("areas", "import", path)
    assert again.exit_code == 0, again.output
    assert "city.geojson: 0 created, 0 updated, 63 unchanged" in again.stdout


CSV = """\ufeffcode,name_zh,name_en,parent_code,level,households,aliases
410100,测试市,Test City,,city,,
410102,测试区,,410100,district,,
410102001,测试街道,,,street,,410102099
410102001001,测试社区,,,,120,
"""


def test_a_csv_import_places_rows_by_their_codes(cli: Cli) -> None:
    path = cli.write("areas.csv", CSV)
    result = cli("areas", "import", path)
    assert result.exit_code == 0, result.output
    assert "areas.csv: 4 created, 0 updated, 0 unchanged" in result.stdout
    shown = cli("areas", "show", "410102001001")
    assert shown.exit_code == 0, shown.output
    assert (
        "测试市 (410100) → 测试区 (410102) → 测试街道 (410102001) → 测试社区 (410102001001)"
        in shown.stdout
    )
    assert _row(shown, "households") == "120"
    # The street's alias finds the street itself.
    assert "测试街道 (410102001)" in cli("areas", "show", "410102099").stdout
    assert "4 unchanged" in cli("areas", "import", path).stdout


def _spoiled_features() -> tuple[bytes, Expected]:
    document = write_areas_geojson(small_city())
    features: list[dict[str, Any]] = document["features"]
    features[2]["geometry"]["coordinates"] = [[[113, 34], [114, 34], [113, 34]]]
    features[5]["properties"]["code"] = "41010X001"
    features[9]["properties"]["households"] = -3
    features[11]["properties"]["name_zh"] = ""
    return dump_geojson(document), [
        ('feature 3, field "geometry"', "ring 1 has 3 positions"),
        ('feature 6, field "code"', "'41010X001' must contain digits only"),
        ('feature 10, field "households"', "got -3"),
        ('feature 12, field "name_zh"', "is required"),
    ]


def _spoiled_geometry() -> tuple[bytes, Expected]:
    stray, first, second = MICRO_GRID, "41010200100100101", "41010200100100102"
    moved = {stray: box(113.9, 34.9, 114.5, 35.5), first: _area(second).geometry}
    areas = [replace(a, geometry=moved.get(a.code, a.geometry)) for a in small_city()]
    return _geojson(areas), [
        (f'area {stray}, field "geometry"', "outside its parent 410103002002002"),
        (f'area {first}, field "geometry"', f"{first} and {second} overlap"),
    ]


def _spoiled_csv() -> tuple[bytes, Expected]:
    rows = [
        "code,name_zh,parent_code,households,level",
        "410100,测试市,,,city",
        "410102,测试区,,many,",
        "4101020019,测试街道,410102,,",
        "410102001001,测试社区,,,street",
    ]
    return "\n".join(rows).encode(), [
        ('line 3, field "households"', "whole number, got 'many'"),
        ('line 4, field "code"', "has 10 digits"),
        ('line 5, field "level"', "level street disagrees with code 410102001001"),
    ]


@pytest.mark.parametrize(
    ("name", "spoil"),
    [
        ("codes.geojson", _spoiled_features),
        ("shapes.geojson", _spoiled_geometry),
        ("rows.csv", _spoiled_csv),
    ],
)
def test_a_bad_file_is_rejected_whole_with_every_problem_located(
    cli: Cli, name: str, spoil: Callable[[], tuple[bytes, Expected]]
) -> None:
    data, expected = spoil()
    result = cli("areas", "import", cli.write(name, data))
    assert result.exit_code == 2
    assert f"rejected: {len(expected)} problem(s); nothing was imported" in result.stderr
    problems = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert len(problems) == len(expected), result.stderr
    for where, what in expected:
        assert any(line.startswith(f"{where}: ") and what in line for line in problems), (
            f"{where}: …{what}… missing from\n{result.stderr}"
        )
    _assert_nothing_stored(cli)


def test_a_file_of_unknown_type_is_rejected_with_the_suffix_named(cli: Cli) -> None:
    result = cli("areas", "import", cli.write("areas.xlsx", b"PK"))
    assert result.exit_code == 2
    assert "file: cannot read '.xlsx'; expected .geojson, .json or .csv" in result.stderr


def test_a_csv_of_household_counts_keeps_the_stored_polygons(city: Cli) -> None:
    before = _exported(city, MICRO_GRID)
    rows = f"code,name_zh,households\n{MICRO_GRID},{before['name_zh']},75\n"
    assert "1 updated" in city("areas", "import", city.write("households.csv", rows)).stdout
    after = _exported(city, MICRO_GRID)
    assert after["households"] == 75
    assert (after["name_en"], after["synthetic"]) == (before["name_en"], before["synthetic"])
    assert after["geometry"] == before["geometry"]


def _exported(cli: Cli, code: str) -> dict[str, Any]:
    result = cli("areas", "export", code)
    assert result.exit_code == 0, result.output
    [feature] = json.loads(result.stdout)["features"]
    return {**feature["properties"], "geometry": feature["geometry"]}


def test_a_file_with_hundreds_of_problems_lists_the_first_200(tmp_path: Path) -> None:
    cli = Cli(CliRunner(env=_environment(f"sqlite:///{tmp_path}/x.sqlite3", tmp_path)), tmp_path)
    rows = "code,name_zh\n" + "".join(f"x{i},x\n" for i in range(250))
    result = cli("areas", "import", cli.write("many.csv", rows))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].endswith("rejected: 250 problem(s); nothing was imported")
    assert lines[1].startswith('  line 2, field "code": ')
    assert lines[200].startswith('  line 201, field "code": ')
    assert lines[201:] == ["  … and 50 more"]


# --- areas export -----------------------------------------------------------------


def test_export_writes_a_level_of_a_subtree_that_reimports_unchanged(city: Cli) -> None:
    out = city.workdir / "micro-grids.geojson"
    result = city("areas", "export", "410102", "-o", str(out), "--level", "micro-grid")
    assert result.exit_code == 0, result.output
    assert f"wrote 16 areas to {out}" in result.stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    expected = {
        a.code: a
        for a in small_city()
        if a.level is Level.MICRO_GRID and a.code.startswith("410102")
    }
    features = {f["properties"]["code"]: f for f in document["features"]}
    assert sorted(features) == sorted(expected)
    for code, feature in features.items():
        props, area = feature["properties"], expected[code]
        assert (props["level"], props["parent_code"]) == ("micro-grid", area.parent_code)
        assert (props["synthetic"], props["households"]) == (True, 60)
        assert shape(feature["geometry"]).equals(area.geometry)
    again = city("areas", "import", str(out))
    assert again.exit_code == 0, again.output
    assert "micro-grids.geojson: 0 created, 0 updated, 16 unchanged" in again.stdout


def test_export_marks_districts_real_and_what_lies_below_synthetic(city: Cli) -> None:
    result = city("areas", "export", "410100")  # the whole city, to stdout
    assert result.exit_code == 0, result.output
    features = json.loads(result.stdout)["features"]
    assert len(features) == 63
    for feature in features:
        props = feature["properties"]
        below_district = Level.from_slug(props["level"]) > Level.DISTRICT
        assert props["synthetic"] is below_district, props["code"]


def test_export_refuses_an_unknown_level_and_an_unwritable_file(city: Cli) -> None:
    bad_level = city("areas", "export", "410102", "--level", "block")
    assert bad_level.exit_code == 2
    assert "unknown level 'block'" in bad_level.stderr
    above = city("areas", "export", "410102", "--level", "city")
    assert above.exit_code == 2
    assert "level city lies above area 410102 (district)" in above.stderr
    missing_dir = city.workdir / "no such dir" / "out.geojson"
    unwritable = city("areas", "export", "410102", "-o", str(missing_dir))
    assert unwritable.exit_code == 1
    assert "No such file or directory" in unwritable.stderr


# --- areas show / locate ----------------------------------------------------------


def _row(result: Result, field: str) -> str:
    found = re.search(rf"│ {re.escape(field)}\s*│ (.*?)\s*│", result.stdout)
    assert found is not None, f"no row {field!r} in\n{result.stdout}"
    return found.group(1)


def test_show_prints_the_ancestors_the_fields_and_the_counts_below(city: Cli) -> None:
    result = city("areas", "show", "410102001")
    assert result.exit_code == 0, result.output
    assert "测试市 (410100) → 区410102 (410102) → 街道410102001 (410102001)" in result.stdout
    assert _row(result, "level") == "街道 / street"
    assert _row(result, "name") == "街道410102001 / street 410102001"
    assert _row(result, "geometry") == "synthetic: city.geojson"
    below = {zh: _row(result, f"{zh} below") for zh in ("社区", "网格", "微网格")}
    assert below == {"社区": "2", "网格": "4", "微网格": "8"}


def test_locate_inside_a_micro_grid_prints_its_chain(city: Cli) -> None:
    lat, lon = centre_of(_area(MICRO_GRID))
    result = city("areas", "locate", str(lat), str(lon))
    assert result.exit_code == 0, result.output
    codes = [line.split()[1] for line in result.stdout.splitlines()]
    assert codes == ["410100", "410103", "410103002", "410103002002", "410103002002002", MICRO_GRID]
    assert "snapped" not in result.stdout


def test_locate_snaps_a_point_just_outside_and_refuses_beyond_the_tolerance(city: Cli) -> None:
    lat, lon = 34.3, 113.0 - 0.0001  # about 9 m west of the city's edge
    nearest = next(
        a.code
        for a in small_city()
        if a.level is Level.MICRO_GRID and a.geometry is not None
        if a.geometry.contains(Point(113.0001, lat))
    )
    snapped = city("areas", "locate", str(lat), str(lon))
    assert snapped.exit_code == 0, snapped.output
    assert re.search(r"snapped [89]\.\d m to the nearest micro-grid", snapped.stdout)
    assert snapped.stdout.splitlines()[-1].split()[1] == nearest
    strict = city("areas", "locate", str(lat), str(lon), "--snap-m", "0")
    assert strict.exit_code == 1
    assert f"({lat}, {lon}) lies outside the jurisdiction (beyond 0.0 m)" in strict.stdout


def test_locate_far_away_exits_1_and_a_bad_latitude_exits_2(city: Cli) -> None:
    outside = city("areas", "locate", "36.0", "113.5")
    assert outside.exit_code == 1
    assert "(36.0, 113.5) lies outside the jurisdiction (beyond 50.0 m)" in outside.stdout
    bad = city("areas", "locate", "--", "-91", "113.5")
    assert bad.exit_code == 2
    assert "lat -91.0 is not a latitude between -90 and 90" in bad.stderr


# --- users ------------------------------------------------------------------------


def test_users_add_takes_the_password_from_the_environment_or_a_prompt(
    city: Cli, container: Container
) -> None:
    from_env = city("users", "add", "wang.wei", CIVICGRID_NEW_PASSWORD=PASSWORD)
    assert from_env.exit_code == 0, from_env.output
    assert "user wang.wei added" in from_env.stdout
    prompted = city("users", "add", "li.na", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    assert "Password: " in prompted.stdout  # no "[]" for the empty default
    assert "Repeat for confirmation: " in prompted.stdout
    assert PASSWORD not in prompted.stdout  # the prompt hides what is typed
    for username in ("wang.wei", "li.na"):
        principal = authenticate_password(container.uow(), container.hasher, username, PASSWORD)
        assert principal.username == username


def test_users_add_refuses_a_short_password_and_a_taken_name(city: Cli) -> None:
    short = city("users", "add", "li.na", stdin="short\nshort\n")
    assert short.exit_code == 2
    assert "password must have at least 10 characters" in short.stderr
    assert city("users", "add", "li.na", CIVICGRID_NEW_PASSWORD=PASSWORD).exit_code == 0
    taken = city("users", "add", "li.na", CIVICGRID_NEW_PASSWORD=PASSWORD)
    assert taken.exit_code == 2
    assert "user li.na exists already" in taken.stderr


def test_users_grant_checks_the_role_against_the_level_of_the_area(city: Cli) -> None:
    assert city("users", "add", "wang.wei", CIVICGRID_NEW_PASSWORD=PASSWORD).exit_code == 0
    good = city("users", "grant", "wang.wei", "street_officer", "410102001")
    assert good.exit_code == 0, good.output
    assert "wang.wei is street_officer (街道干部) at 410102001" in good.stdout
    wrong_level = city("users", "grant", "wang.wei", "grid_worker", "410102001")
    assert wrong_level.exit_code == 2
    assert "a grid_worker is granted at a micro-grid, not at a street" in wrong_level.stderr
    no_role = city("users", "grant", "wang.wei", "mayor", "410102001")
    assert no_role.exit_code == 2
    assert "Invalid value for 'role'" in no_role.stderr
    no_user = city("users", "grant", "nobody", "street_officer", "410102001")
    assert no_user.exit_code == 2
    assert "no user nobody" in no_user.stderr


def test_a_token_from_the_cli_authenticates_until_it_is_revoked(
    city: Cli, container: Container
) -> None:
    assert city("users", "add", "wang.wei", CIVICGRID_NEW_PASSWORD=PASSWORD).exit_code == 0
    assert city("users", "grant", "wang.wei", "street_officer", "410102001").exit_code == 0
    issued = city("users", "token", "wang.wei", "--name", "laptop")
    assert issued.exit_code == 0, issued.output
    [token] = issued.stdout.split()  # the token alone, for `TOKEN=$(civicgrid users token …)`
    assert token.startswith("cg_")
    principal = authenticate_token(container.uow(), token)
    assert principal.username == "wang.wei"
    assert [g.area_code for g in principal.grants] == ["410102001"]
    revoked = city("users", "revoke-token", "wang.wei", "--name", "laptop")
    assert revoked.exit_code == 0, revoked.output
    assert "token laptop of wang.wei revoked" in revoked.stdout
    with pytest.raises(Unauthenticated, match="unknown or revoked"):
        authenticate_token(container.uow(), token)
    again = city("users", "revoke-token", "wang.wei", "--name", "laptop")
    assert again.exit_code == 2
    assert "user wang.wei has no live token named laptop" in again.stderr


# --- unknown areas ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("areas", "show", "410199"),
        ("areas", "export", "410199001"),
        ("areas", "show", "[/]"),  # looks like Rich markup; printed as typed
        ("users", "grant", "wang.wei", "street_officer", "410199001"),
    ],
)
def test_an_unknown_area_exits_2_with_its_code_named(city: Cli, args: tuple[str, ...]) -> None:
    assert city("users", "add", "wang.wei", CIVICGRID_NEW_PASSWORD=PASSWORD).exit_code == 0
    result = city(*args)
    assert result.exit_code == 2
    assert f"no area with code {args[-1]}\n" in result.stderr
    assert "Traceback" not in result.output


# --- the environment --------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        (
            {"CIVICGRID_ENV": "production", "CIVICGRID_SECRET_KEY": None},
            ("serve",),
            "error: invalid settings: CIVICGRID_SECRET_KEY is the placeholder",
        ),
        (
            {"CIVICGRID_SNAP_TOLERANCE_M": "-1"},
            ("areas", "locate", "34.5", "113.5"),
            "error: invalid settings: CIVICGRID_SNAP_TOLERANCE_M: Input should be greater",
        ),
        (
            {},  # a SQLite file that `db upgrade` never saw
            ("areas", "show", "410100"),
            "error: database: no such table: areas; run `civicgrid db upgrade` first",
        ),
        (
            {"CIVICGRID_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/civicgrid"},
            ("db", "upgrade"),
            "error: database: connection failed",
        ),
    ],
    ids=["production-placeholder-secret", "negative-snap", "sqlite-unmigrated", "pg-refused"],
)
def test_a_broken_environment_is_one_line_on_stderr_and_exit_1(
    tmp_path: Path, env: dict[str, str | None], args: tuple[str, ...], message: str
) -> None:
    environment = _environment(f"sqlite:///{tmp_path}/x.sqlite3", tmp_path) | env
    result = CliRunner(env=environment).invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1
