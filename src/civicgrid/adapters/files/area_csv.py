"""Areas as a CSV table (no geometry), as administrators export it from Excel.

Problem locations are file line numbers, the header being line 1; a quoted value
spanning several lines is reported at the line where its row starts.
"""

from __future__ import annotations

import csv
import io
import re

from civicgrid.domain.areas.area import Area
from civicgrid.domain.areas.levels import Level
from civicgrid.domain.areas.problems import ProblemLog

_KNOWN = ("code", "name_zh", "name", "parent_code", "name_en", "households", "level", "aliases")
_ALIAS_SEPARATOR = re.compile(r"[|;]")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}(?:\.0*)?")  # "120.0" is how pandas writes a gappy int
# What Excel makes of a long code in a cell formatted as a number.
_EXCEL_NUMBER = re.compile(r"[0-9.]+[eE][+][0-9]+|[0-9]+\.0*")


def read_areas_csv(data: bytes, *, source_name: str) -> list[Area]:
    """Parse a CSV with a header row; raise ImportRejected listing every problem."""
    log = ProblemLog(source_name)
    text = _decode(data, log)
    areas = [] if text is None else _read_rows(text, log)
    log.raise_if_any()
    return areas


def _decode(data: bytes, log: ProblemLog) -> str | None:
    breaks: dict[str, int] = {}
    # Excel on a Chinese-locale Windows saves "CSV" in the GB18030 family.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            # utf-8-sig counts from after the BOM; make offsets count from the file start.
            breaks[encoding] = error.start + len(data) - len(error.object)
    # The encoding that got further is the likelier intent; point there.
    bad_at = max(breaks.values())
    utf8, gb = (_where_byte(data, breaks[name]) for name in ("utf-8-sig", "gb18030"))
    hint = "it looks like UTF-16; " if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
    log.add(
        f"line {_line_of(data, bad_at)}",
        None,
        f'the file is neither UTF-8 ({utf8}) nor GB18030 ({gb}); {hint}save it as "CSV UTF-8"',
    )
    return None


def _where_byte(data: bytes, offset: int) -> str:
    return f"byte {data[offset]:#04x} on line {_line_of(data, offset)}"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _read_rows(text: str, log: ProblemLog) -> list[Area]:
    reader = csv.reader(io.StringIO(text, newline=""))
    areas: list[Area] = []
    try:
        header = next(reader, [])
        columns = _columns(header, log)
        if columns is None:
            return []
        previous = reader.line_num
        for cells in reader:
            where, previous = f"line {previous + 1}", reader.line_num
            if any(cell.strip() for cell in cells):  # Excel leaves rows of bare commas
                area = _read_row(cells, columns, len(header), where, log)
                if area is not None:
                    areas.append(area)
    except csv.Error as error:
        log.add(f"line {reader.line_num}", None, f"unreadable CSV: {error}")
    return areas


def _columns(header: list[str], log: ProblemLog) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in header]
    columns: dict[str, int] = {}
    ok = True
    for index, name in enumerate(names):
        if name in _KNOWN and columns.setdefault(name, index) != index:
            log.add("line 1", name, f"column {name} appears twice")
            ok = False
    if "name_zh" not in columns and "name" in columns:
        columns["name_zh"] = columns["name"]
    missing = [name for name in ("code", "name_zh") if name not in columns]
    for name in missing:
        found = ", ".join(names) or "nothing"
        hint = "; columns must be separated by commas" if len(names) == 1 else ""
        log.add("line 1", name, f"the header lacks column {name} (it has {found}){hint}")
    return columns if ok and not missing else None


def _read_row(
    cells: list[str], columns: dict[str, int], width: int, where: str, log: ProblemLog
) -> Area | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    before = len(log)
    if any(extra.strip() for extra in cells[width:]):
        log.add(
            where,
            None,
            f"the row has {len(cells)} cells but the header only {width}; "
            "does a value with a comma lack quotes?",
        )
    code, name_zh = cell("code"), cell("name_zh")
    if not name_zh:
        log.add(where, "name_zh", "name_zh (or name) is required")
    level = _level(cell("level"), where, log)
    households = _households(cell("households"), where, log)
    checked = None
    if not code:
        log.add(where, "code", "code is required")
    elif _EXCEL_NUMBER.fullmatch(code):
        log.add(
            where,
            "code",
            f"area code {code!r} looks like a number Excel reformatted; "
            "format the column as text and export again",
        )
    else:
        checked = log.check_code(where, code, cell("parent_code") or None, level)
    if checked is None or len(log) > before:
        return None
    aliases = (alias.strip() for alias in _ALIAS_SEPARATOR.split(cell("aliases")))
    return Area(
        code=code,
        level=checked[0],
        name_zh=name_zh,
        name_en=cell("name_en"),
        parent_code=checked[1],
        households=households,
        aliases=tuple(dict.fromkeys(alias for alias in aliases if alias)),
        source=log.source_name,
    )


def _level(value: str, where: str, log: ProblemLog) -> Level | None:
    if not value:
        return None
    try:
        return Level.from_slug(value)
    except ValueError as error:
        log.add(where, "level", str(error))
        return None


def _households(value: str, where: str, log: ProblemLog) -> int | None:
    if not value:
        return None
    if not _WHOLE_NUMBER.fullmatch(value):
        log.add(where, "households", f"households must be a whole number, got {value[:40]!r}")
        return None
    return log.check_households(where, int(value.partition(".")[0]))
