"""The small test city with real-looking zh-CN names, for placing addresses."""

from __future__ import annotations

from dataclasses import replace

from civicgrid.bootstrap import Container
from civicgrid.services.area_import import import_areas
from tests.factories import small_city

NAMES = {
    "410102": "中原区",
    "410103": "二七区",
    "410102001": "林山寨街道",
    "410102002": "建设路街道",
    "410103001": "淮河路街道",
    "410103002": "马寨镇",
    "410102001001": "碧沙岗社区居委会",
    "410102001002": "互助路社区居民委员会",
    "410102002001": "桐柏社区",
    "410102002002": "王庄村委会",
    "410103001001": "淮河社区居民委员会",
    "410103001002": "兴华街社区",
    "410103002001": "互助路社区居委会",  # the same name as 410102001002, in another district
    "410103002002": "齐礼阎村",
}


def load_named_city(container: Container) -> Container:
    areas = [replace(a, name_zh=NAMES.get(a.code, a.name_zh)) for a in small_city()]
    import_areas(container.uow(), areas, english_name=container.english_name)
    return container
