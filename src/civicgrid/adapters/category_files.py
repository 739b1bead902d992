"""Case category trees in files: YAML (the shipped format) and CSV (one row per minor class).

A file is read whole and rejected whole: one ImportRejected lists every problem. The
formats live in `files/`: `category_yaml`, `category_csv` (its columns in
`category_csv_table`), and `category_reader`, which checks both alike.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

from civicgrid.adapters.files.category_csv import dump_category_csv, read_category_csv
from civicgrid.adapters.files.category_csv_table import CSV_COLUMNS
from civicgrid.adapters.files.category_reader import read_category_data
from civicgrid.adapters.files.category_yaml import dump_category_yaml, read_category_yaml
from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.domain.cases.categories import CategoryTree

__all__ = [
    "CSV_COLUMNS",
    "default_category_tree",
    "dump_category_csv",
    "dump_category_yaml",
    "load_category_tree",
    "read_category_csv",
    "read_category_data",
    "read_category_yaml",
]

_DEFAULT_RESOURCE = "data/categories/default.yaml"


def load_category_tree(path: Path) -> CategoryTree:
    """Read a .yaml/.yml or .csv file. OSError (missing, unreadable) is left to the caller."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_category_yaml(path.read_bytes(), source_name=path.name)
    if suffix == ".csv":
        return read_category_csv(path.read_bytes(), source_name=path.name)
    got = repr(path.suffix) if path.suffix else "a file without a suffix"
    problem = Problem("file", None, f"cannot read {got}; expected .yaml, .yml or .csv")
    raise ImportRejected([problem], source_name=path.name)


@functools.cache
def default_category_tree() -> CategoryTree:
    """The tree shipped in the package (data/categories/default.yaml)."""
    data = files("civicgrid").joinpath(_DEFAULT_RESOURCE).read_bytes()
    return read_category_yaml(data, source_name="default.yaml")
