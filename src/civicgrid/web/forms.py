"""Reading the citizen report form: each problem named in the page's language.

The use cases check everything again; this layer exists so that a person gets a message
in their own language next to the field at fault, and their input back to correct.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from civicgrid.web.page import Page

MAX_DESCRIPTION = 4000
MAX_NAME = 100
MAX_EMAIL = 254
PHONE = re.compile(r"\+?[0-9][0-9 \-]{4,28}[0-9]")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str  # the form control's id, for the link in the summary
    message: str  # already in the page's language


@dataclass(slots=True)
class ReportForm:
    """The form's fields as typed, so a page with problems shows them again."""

    category: str = ""
    description: str = ""
    lat: str = ""
    lon: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def point(self) -> tuple[float, float] | None:
        """(lat, lon) once checked; None when not given."""
        if not self.lat and not self.lon:
            return None
        return float(self.lat), float(self.lon)


def read_report_form(page: Page, fields: dict[str, str], categories: set[str]) -> ReportForm:
    def text(name: str) -> str:
        return fields.get(name, "").strip()

    form = ReportForm(
        category=text("category"),
        description=text("description"),
        lat=text("lat"),
        lon=text("lon"),
        name=text("name"),
        phone=text("phone"),
        email=text("email"),
    )
    _ = page.gettext
    problems = form.problems
    if not form.category:
        problems.append(Problem("category", _("Choose a category.")))
    elif form.category not in categories:
        problems.append(Problem("category", _("Choose a category from the list.")))
    if not form.description:
        problems.append(Problem("description", _("Describe the problem.")))
    elif len(form.description) > MAX_DESCRIPTION:
        problems.append(
            Problem(
                "description",
                _(
                    "The description has %(count)d characters; at most %(limit)d.",
                    count=len(form.description),
                    limit=MAX_DESCRIPTION,
                ),
            )
        )
    problems.extend(_point_problems(page, form))
    if len(form.name) > MAX_NAME:
        problems.append(
            Problem("name", _("The name is too long (at most %(limit)d).", limit=MAX_NAME))
        )
    if form.phone and not PHONE.fullmatch(form.phone):
        problems.append(Problem("phone", _("The phone number should be digits, like 13800138000.")))
    if form.email and (len(form.email) > MAX_EMAIL or not EMAIL.fullmatch(form.email)):
        problems.append(Problem("email", _("The email address does not look right.")))
    return form


def _point_problems(page: Page, form: ReportForm) -> list[Problem]:
    _ = page.gettext
    if not form.lat and not form.lon:
        return [Problem("lat", _("Place the problem on the map or use your location."))]
    found = []
    for name, limit in (("lat", 90.0), ("lon", 180.0)):
        text = getattr(form, name)
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > limit:
            found.append(
                Problem(
                    name,
                    _(
                        "%(field)s must be a number between -%(limit)g and %(limit)g.",
                        field=_("Latitude") if name == "lat" else _("Longitude"),
                        limit=limit,
                    ),
                )
            )
    return found
