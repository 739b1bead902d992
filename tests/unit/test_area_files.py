"""Reading and writing area files: GeoJSON and CSV in, GeoJSON out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from civicgrid.adapters.files import (
    dump_geojson,
    read_areas_csv,
    read_areas_file,
    read_areas_geojson,
    write_areas_geojson,
)
from civicgrid.domain.areas import Area, Level
from civicgrid.domain.areas.problems import ImportRejected, Problem

SQUARE = [[[113.6, 34.7], [113.7, 34.7], [113.7, 34.8], [113.6, 34.8], [113.6, 34.7]]]
POLYGON = {"type": "Polygon", "coordinates": SQUARE}


def feature(code: object = "410102", geometry: object = None, **properties: object) -> object:
    props: dict[str, object] = {"code": code, "name_zh": "中原区", **properties}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def collection(*features: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def problems_of(read: Callable[[], object]) -> list[Problem]:
    with pytest.raises(ImportRejected) as rejected:
        read()
    return rejected.value.problems


def geojson_problems(*features: object) -> list[str]:
    return [
        str(p)
        for p in problems_of(lambda: read_areas_geojson(collection(*features), source_name="t"))
    ]


def csv_problems(text: str) -> list[str]:
    return [str(p) for p in problems_of(lambda: read_areas_csv(text.encode(), source_name="t"))]


# GeoJSON: what is accepted


def test_each_level_gets_the_parent_its_code_names() -> None:
    codes = ["410100", "410102", "410102001", "410102001001", "410102001001001"]
    codes.append("41010200100100101")
    areas = read_areas_geojson(collection(*map(feature, codes)), source_name="t")
    assert [(a.level, a.parent_code) for a in areas] == [
        (Level.CITY, None),
        (Level.DISTRICT, "410100"),
        (Level.STREET, "410102"),
        (Level.COMMUNITY, "410102001"),
        (Level.GRID, "410102001001"),
        (Level.MICRO_GRID, "410102001001001"),
    ]


def test_a_datav_style_feature_with_integer_adcode_and_name_is_read() -> None:
    data = collection(
        {"type": "Feature", "properties": {"adcode": 410102, "name": "中原区"}, "geometry": POLYGON}
    )
    [area] = read_areas_geojson(data, source_name="datav.json")
    assert (area.code, area.name_zh, area.parent_code) == ("410102", "中原区", "410100")
    assert area.geometry == Polygon(SQUARE[0])


def test_optional_properties_default_to_empty_values_and_the_file_name() -> None:
    [area] = read_areas_geojson(collection(feature(name_en="")), source_name="upload.geojson")
    assert area == Area(
        code="410102",
        level=Level.DISTRICT,
        name_zh="中原区",
        name_en="",
        parent_code="410100",
        source="upload.geojson",
    )


def test_stated_properties_are_kept() -> None:
    props = {
        "name_en": "Zhongyuan",
        "households": 120,
        "synthetic": True,
        "aliases": ["中原", " "],
        "source": "民政部 2025",
    }
    [area] = read_areas_geojson(collection(feature(**props)), source_name="t")
    assert (area.name_en, area.households, area.synthetic) == ("Zhongyuan", 120, True)
    assert (area.aliases, area.source) == (("中原",), "民政部 2025")


def test_a_feature_without_geometry_is_an_area_without_a_polygon() -> None:
    missing = {"type": "Feature", "properties": {"code": "410103", "name": "二七区"}}
    areas = read_areas_geojson(collection(feature(geometry=None), missing), source_name="t")
    assert [a.geometry for a in areas] == [None, None]


def test_a_multipolygon_is_kept_whole() -> None:
    other = [[[114.0, 35.0], [114.1, 35.0], [114.1, 35.1], [114.0, 35.0]]]
    [area] = read_areas_geojson(
        collection(feature(geometry={"type": "MultiPolygon", "coordinates": [SQUARE, other]})),
        source_name="t",
    )
    assert isinstance(area.geometry, MultiPolygon)
    assert len(area.geometry.geoms) == 2


# GeoJSON: what is rejected, and how precisely


def test_every_problem_in_the_file_is_reported_at_once() -> None:
    problems = geojson_problems(
        feature("410102"),
        feature("410103", name_zh=None),
        feature("410104", households=-1),
        feature("410105"),
        feature("410106", synthetic="yes"),
        feature("410108"),
        feature("41010"),
    )
    assert problems == [
        'feature 2, field "name_zh": name_zh (or name) is required',
        'feature 3, field "households": households must be 0 to 2147483647, got -1',
        "feature 5, field \"synthetic\": must be true or false, got the string 'yes'",
        "feature 7, field \"code\": area code '41010' has 5 digits; expected 6, 9, 12, 15 or 17",
    ]


def test_a_duplicate_code_names_both_features() -> None:
    problems = geojson_problems(feature("410102"), feature("410103"), feature(410102))
    assert problems == ['feature 3, field "code": code 410102 is already used by feature 1']


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        (
            {"parent_code": "410100"},
            '"parent_code": area 410102001 is a street but its parent 410100 is a city',
        ),
        (
            {"parent_code": "410103"},
            '"code": area code 410102001 does not start with its parent\'s code 410103',
        ),
        ({"parent_code": "4101"}, "\"parent_code\": area code '4101' has 4 digits"),
        (
            {"code": "410100", "parent_code": "410000"},
            '"parent_code": city 410100 cannot have a parent',
        ),
        ({"code": "4101x2"}, "\"code\": area code '4101x2' must contain digits only"),
        ({"code": True}, '"code": must be a string or an integer, got a boolean'),
        ({"code": 4.5}, '"code": must be a string or an integer, got the number 4.5'),
        ({"code": " "}, '"code": code (or adcode) is required'),
        ({"name_zh": 5}, '"name_zh": must be a string, got the number 5'),
        ({"households": "many"}, "\"households\": must be a whole number, got the string 'many'"),
        ({"households": 1.5}, '"households": must be a whole number, got the number 1.5'),
        ({"aliases": ["中原", 1]}, '"aliases": must be an array of strings, got an array'),
        ({"name_zh": "中\ud800"}, '"name_zh": name_zh contains an unpaired surrogate escape'),
    ],
)
def test_wrong_values_are_reported_with_their_field(
    properties: dict[str, object], expected: str
) -> None:
    given = {"code": "410102001", **properties}
    [problem] = geojson_problems(feature(**given))
    assert expected in problem


def test_a_feature_without_properties_is_rejected() -> None:
    problems = geojson_problems({"type": "Feature", "properties": None, "geometry": None}, ["x"])
    assert problems == [
        'feature 1, field "properties": must be an object, got null',
        "feature 2: expected a Feature, got an array",
    ]


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[12734567.3, 4100000.0], [1.0, 1.0], [2.0, 2.0], [12734567.3, 4100000.0]]
                ],
            },
            "ring 1, position 1 is (12734567.3, 4100000.0) (and 1 more), "
            "outside WGS84 lon [-180, 180] / lat [-90, 90]",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "invalid geometry: Self-intersection[0.5 0.5]",
        ),
        ({"type": "Polygon", "coordinates": []}, "geometry is empty"),
        (
            {"type": "Point", "coordinates": [113.6, 34.7]},
            "geometry type must be Polygon or MultiPolygon, got 'Point'",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            "ring 1 is not closed",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
            "ring 1 has 3 positions; a ring needs at least 4",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, "0"]]]},
            "ring 1, position 2 must be [longitude, latitude], got an array",
        ),
        ({"type": "MultiPolygon", "coordinates": [SQUARE, []]}, "polygon 2 has no rings"),
        (
            {"type": "MultiPolygon", "coordinates": [SQUARE, 7]},
            "polygon 2 must be an array, got the number 7",
        ),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))", "must be an object or null, got the string"),
    ],
)
def test_bad_geometry_is_reported_once_per_feature(geometry: object, expected: str) -> None:
    [problem] = geojson_problems(feature(geometry=geometry))
    assert problem.startswith('feature 1, field "geometry": ')
    assert expected in problem


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b'{"type": "FeatureCollection",\n "features": [}',
            "line 2, column 15: not JSON: Expecting value",
        ),
        (b'{"type": "FeatureCollection", "features": [NaN]}', "file: not JSON: NaN is not allowed"),
        (
            b'{"type": "Feature"}',
            "file, field \"type\": expected a GeoJSON FeatureCollection, got a 'Feature' object",
        ),
        (b"[]", 'file, field "type": expected a GeoJSON FeatureCollection, got an array'),
        (
            b'{"type": "FeatureCollection", "features": {}}',
            'file, field "features": must be an array, got an object',
        ),
        (b'\xef\xbb\xbf{"type": "FeatureCollection"}\n\xff', "line 2: not UTF-8 text (byte 0xff)"),
        (b"[" * 100_000, "file: not JSON we can read: nested too deeply"),
        (
            b'{"type": "FeatureCollection", "features": [], '
            b'"crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}',
            'file, field "crs": coordinates must be WGS84 lon/lat, but the file declares EPSG:3857',
        ),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_rejected(data: bytes, expected: str) -> None:
    problems = problems_of(lambda: read_areas_geojson(data, source_name="t"))
    assert [str(p) for p in problems] == [expected]


def test_the_rejection_message_names_the_file_and_the_first_problems() -> None:
    with pytest.raises(ImportRejected) as rejected:
        read_areas_geojson(collection(*[feature("1")] * 5), source_name="grids.geojson")
    assert str(rejected.value) == (
        "grids.geojson was rejected with 9 problems: "
        "feature 1, field \"code\": area code '1' has 1 digits; expected 6, 9, 12, 15 or 17; "
        'feature 2, field "code": code 1 is already used by feature 1; '
        "feature 2, field \"code\": area code '1' has 1 digits; expected 6, 9, 12, 15 or 17; "
        "and 6 more"
    )


# GeoJSON: writing


def test_written_features_carry_every_property_and_rounded_coordinates() -> None:
    area = Area(
        code="410102001",
        level=Level.STREET,
        name_zh="林山寨街道",
        name_en="Linshanzhai",
        parent_code="410102",
        geometry=Polygon(
            [(113.123456789, 34.0), (113.2, 34.0), (113.2, 34.1), (113.123456789, 34.0)]
        ),
        households=300,
        aliases=("林山寨",),
        source="民政部 2025",
    )
    [written] = write_areas_geojson([area])["features"]
    assert written["properties"] == {
        "code": "410102001",
        "parent_code": "410102",
        "level": "street",
        "level_zh": "街道",
        "name_zh": "林山寨街道",
        "name_en": "Linshanzhai",
        "households": 300,
        "synthetic": False,
        "aliases": ["林山寨"],
        "source": "民政部 2025",
    }
    assert written["geometry"]["coordinates"][0][0] == (113.1234568, 34.0)


def test_an_area_without_a_polygon_is_written_with_null_geometry() -> None:
    area = Area(code="410100", level=Level.CITY, name_zh="郑州市", name_en="Zhengzhou")
    assert write_areas_geojson([area])["features"][0]["geometry"] is None


def test_the_dump_is_compact_utf8_with_chinese_kept_readable() -> None:
    assert dump_geojson({"name": "郑州市", "a": [1, 2]}) == '{"name":"郑州市","a":[1,2]}'.encode()


def test_written_areas_read_back_the_same() -> None:
    areas = [
        Area(code="410100", level=Level.CITY, name_zh="郑州市", name_en="Zhengzhou", source="s"),
        Area(
            code="410102",
            level=Level.DISTRICT,
            name_zh="中原区",
            name_en="Zhongyuan",
            parent_code="410100",
            geometry=MultiPolygon([Polygon(SQUARE[0])]),
            synthetic=True,
            households=12,
            aliases=("中原", "Zhongyuan Qu"),
            source="s",
        ),
        Area(
            code="410102001",
            level=Level.STREET,
            name_zh="林山寨街道",
            name_en="",
            parent_code="410102",
            geometry=Polygon(SQUARE[0]),
            source="s",
        ),
    ]
    data = dump_geojson(write_areas_geojson(areas))
    assert read_areas_geojson(data, source_name="other") == areas


# CSV


def test_a_csv_with_a_header_and_a_bom_becomes_areas() -> None:
    text = (
        "\ufeffcode,name,name_en,households,aliases\n"
        "410102,中原区,Zhongyuan,120,中原|Zhongyuan Qu; 中原区 \n"
    )
    [area] = read_areas_csv(text.encode(), source_name="areas.csv")
    assert area == Area(
        code="410102",
        level=Level.DISTRICT,
        name_zh="中原区",
        name_en="Zhongyuan",
        parent_code="410100",
        households=120,
        aliases=("中原", "Zhongyuan Qu", "中原区"),
        source="areas.csv",
    )


def test_a_gb18030_csv_from_chinese_excel_is_read() -> None:
    data = "code,name_zh,parent_code\r\n410102001,林山寨街道,410102\r\n".encode("gb18030")
    [area] = read_areas_csv(data, source_name="t")
    assert (area.name_zh, area.parent_code, area.level) == ("林山寨街道", "410102", Level.STREET)


def test_a_csv_in_neither_encoding_is_rejected_saying_where_each_breaks() -> None:
    gb_text = "code,name\n410102,中原区\n".encode("gb18030")
    data = b"\xef\xbb\xbf" + gb_text + b"410103,\xff\n"  # offsets must count the BOM
    [problem] = problems_of(lambda: read_areas_csv(data, source_name="t"))
    assert str(problem) == (
        "line 3: the file is neither UTF-8 (byte 0xd6 on line 2) nor GB18030 (byte 0xff on "
        'line 3); save it as "CSV UTF-8"'
    )


def test_a_utf16_csv_gets_a_hint() -> None:
    [problem] = problems_of(lambda: read_areas_csv("code\n".encode("utf-16"), source_name="t"))
    assert 'it looks like UTF-16; save it as "CSV UTF-8"' in str(problem)


def test_csv_problems_carry_file_line_numbers_even_after_multiline_values() -> None:
    text = 'code,name_zh,households\n410102,"中原\n区",1\n,,\n\n410103,,x\n'
    assert csv_problems(text) == [
        'line 6, field "name_zh": name_zh (or name) is required',
        "line 6, field \"households\": households must be a whole number, got 'x'",
    ]


def test_a_level_column_must_agree_with_the_code() -> None:
    text = "code,name,level\n410102,中原区,区\n410103,二七区,street\n410104,管城区,county\n"
    assert csv_problems(text) == [
        'line 3, field "level": level street disagrees with code 410103, which denotes a district',
        "line 4, field \"level\": unknown level 'county'; "
        "expected one of city, district, street, community, grid, micro-grid",
    ]


def test_a_missing_column_is_named_with_the_header_found() -> None:
    hint = "(it has code;name); columns must be separated by commas"
    assert csv_problems("code;name\n410102;中原区\n") == [
        f'line 1, field "code": the header lacks column code {hint}',
        f'line 1, field "name_zh": the header lacks column name_zh {hint}',
    ]


def test_an_empty_csv_is_rejected_for_lacking_a_header() -> None:
    assert (
        csv_problems("")[0] == 'line 1, field "code": the header lacks column code (it has nothing)'
    )


def test_a_code_excel_turned_into_a_number_is_explained() -> None:
    [problem] = csv_problems("code,name\n4.10102E+11,中原区\n")
    assert "looks like a number Excel reformatted; format the column as text" in problem


def test_a_row_with_more_cells_than_the_header_is_rejected() -> None:
    assert csv_problems("code,name\n410102,中原区,金水区\n") == [
        "line 2: the row has 3 cells but the header only 2; does a value with a comma lack quotes?"
    ]


def test_duplicate_codes_in_a_csv_name_both_lines() -> None:
    assert csv_problems("code,name\n410102,中原区\n410102,中原\n") == [
        'line 3, field "code": code 410102 is already used by line 2'
    ]


# Files by suffix


def test_a_file_is_read_by_its_suffix(tmp_path: Path) -> None:
    (tmp_path / "a.GeoJSON").write_bytes(collection(feature()))
    (tmp_path / "b.csv").write_text("code,name\n410103,二七区\n", encoding="utf-8")
    assert [a.source for a in read_areas_file(tmp_path / "a.GeoJSON")] == ["a.GeoJSON"]
    assert [a.code for a in read_areas_file(tmp_path / "b.csv")] == ["410103"]


def test_an_unsupported_suffix_is_rejected_before_reading() -> None:
    [problem] = problems_of(lambda: read_areas_file(Path("/nonexistent/grids.shp")))
    assert str(problem) == "file: cannot read '.shp'; expected .geojson, .json or .csv"


# Fuzzing: bad input raises ImportRejected and nothing else


def assert_areas_or_rejection(read: Callable[[], list[Area]]) -> None:
    outcome: list[Area] | list[Problem]
    try:
        outcome = read()
    except ImportRejected as rejected:
        outcome = rejected.problems
        assert outcome, "a rejection names at least one problem"
    assert all(isinstance(item, Area | Problem) for item in outcome)


CODES = ["410100", "410102", "410102001", "410102001001", "410102001001001", "41010", "4101"]
KEYS = [
    "type",
    "features",
    "properties",
    "geometry",
    "coordinates",
    "crs",
    "code",
    "adcode",
    "parent_code",
]
KEYS += ["name", "name_zh", "name_en", "households", "synthetic", "aliases", "source"]
TYPES = ["FeatureCollection", "Feature", "Polygon", "MultiPolygon", "Point"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(CODES + TYPES)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3), inner, max_size=6)
    ),
    max_leaves=15,
)
positions = st.lists(st.floats(-200, 200) | st.integers(-200, 200), min_size=2, max_size=3)
rings = st.lists(positions, max_size=6).map(lambda ring: [*ring, ring[0]] if ring else ring)
geometries = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon"]),
        "coordinates": st.lists(rings, max_size=2)
        | st.lists(st.lists(rings, max_size=2), max_size=2),
    }
)
features = st.fixed_dictionaries(
    {
        "type": st.just("Feature"),
        "properties": st.dictionaries(
            st.sampled_from(KEYS), scalars | st.lists(scalars, max_size=3), max_size=8
        ),
        "geometry": st.none() | geometries | scalars,
    }
)


def box(x: float, y: float, width: float, height: float) -> object:
    ring = [[x, y], [x + width, y], [x + width, y + height], [x, y + height], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


# Mostly valid, so the fuzzing also reaches the end of a successful read.
plausible_features = st.builds(
    lambda code, name, geometry: feature(code, geometry, name=name),
    st.sampled_from(CODES),
    st.text(max_size=4),
    st.none() | geometries | st.builds(box, *[st.floats(-200, 200)] * 2, *[st.floats(-1, 10)] * 2),
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_are_areas_or_a_rejection(data: bytes) -> None:
    assert_areas_or_rejection(lambda: read_areas_geojson(data, source_name="t"))
    assert_areas_or_rejection(lambda: read_areas_csv(data, source_name="t"))


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_random_json_is_areas_or_a_rejection(document: object) -> None:
    assert_areas_or_rejection(
        lambda: read_areas_geojson(json.dumps(document).encode(), source_name="t")
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(plausible_features | features | json_values, max_size=6))
def test_random_features_are_areas_or_a_rejection(items: list[object]) -> None:
    assert_areas_or_rejection(lambda: read_areas_geojson(collection(*items), source_name="t"))


cells = st.text(max_size=8) | st.sampled_from([*CODES, "区", "street", "1|2", "12.0", "-1"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["code", "name", "name_zh", "parent_code", "level", "households", "aliases", "x"]
        ),
        max_size=7,
    ),
    st.lists(st.lists(cells, max_size=8), max_size=6),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_random_csv_tables_are_areas_or_a_rejection(
    header: list[str], rows: list[list[str]], encoding: str
) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    data = out.getvalue().encode(encoding)
    assert_areas_or_rejection(lambda: read_areas_csv(data, source_name="t"))
