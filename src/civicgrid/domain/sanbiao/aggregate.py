"""Rolling values up the hierarchy as each indicator's aggregation says."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.sanbiao.catalogue import Aggregation


def roll_up(
    path: AreaPath,
    values: Mapping[AreaPath, float],
    aggregation: Aggregation,
    weights: Mapping[AreaPath, float] | None = None,
) -> float | None:
    """The value at `path`: its own if reported, else its children's, aggregated.

    `values` holds the reported values of the subtree at `path`, by area path; the
    children are found from the paths themselves, so a gap at one level is filled
    from the level below it.
    """
    if path in values:
        return values[path]
    if aggregation is Aggregation.NONE:
        return None
    children: dict[AreaPath, float] = {}
    for child in _children(path, values):
        rolled = roll_up(child, values, aggregation, weights)
        if rolled is not None:
            children[child] = rolled
    if not children:
        return None
    if aggregation is Aggregation.SUM:
        return sum(children.values())
    if aggregation is Aggregation.MEAN:
        return sum(children.values()) / len(children)
    w = {c: roll_up(c, weights or {}, Aggregation.SUM) or 0.0 for c in children}
    total = sum(w.values())
    return sum(children[c] * w[c] for c in children) / total if total else None


def _children(path: AreaPath, values: Mapping[AreaPath, float]) -> set[AreaPath]:
    depth = path.count("/")
    found = set()
    for p in values:
        if p != path and p.startswith(path):
            found.add("/".join(p.split("/")[: depth + 1]) + "/")
    return found


def common_root(paths: Iterable[AreaPath]) -> AreaPath:
    """The deepest path every one of `paths` lies within ("/" if none is shared)."""
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    return "/" + "".join(f"{code}/" for code in common) if common else "/"
