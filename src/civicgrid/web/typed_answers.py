"""Reading a typed form (a directive's feedback, a report template) from an HTML form.

The inputs are named after the field's key: `f_<key>` (for a location `f_<key>_lat` and
`f_<key>_lon`; photos are files under `f_<key>`). Values are converted to what
`domain.forms.check_answer` expects; it stays the judge, and its refusals come back here
as problems next to the field at fault, in the page's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from civicgrid.domain.access import Principal
from civicgrid.domain.errors import DomainError
from civicgrid.domain.forms import FieldType, Form, FormField
from civicgrid.services.attachments import upload_attachment
from civicgrid.web.forms import Problem
from civicgrid.web.page import Page

MAX_PHOTOS_PER_FORM = 5


def input_id(spec: FormField) -> str:
    return f"f_{spec.key}"


@dataclass(slots=True)
class Answer:
    values: dict[str, Any] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # as typed, to fill the form again
    problems: list[Problem] = field(default_factory=list)


def label_of(page: Page, spec: FormField) -> str:
    return page.name(spec.label_zh, spec.label_en)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_answer(page: Page, form: Form, fields: Mapping[str, str]) -> Answer:
    """Everything but the photos, converted; a problem per value that cannot be."""
    _ = page.gettext
    answer = Answer()
    for spec in form:
        name = input_id(spec)
        if spec.type is FieldType.PHOTO:
            continue
        if spec.type is FieldType.LOCATION:
            lat, lon = fields.get(name + "_lat", "").strip(), fields.get(name + "_lon", "").strip()
            answer.shown[name + "_lat"], answer.shown[name + "_lon"] = lat, lon
            if not lat and not lon:
                continue
            point = (_number(lat), _number(lon))
            if point[0] is None or point[1] is None:
                answer.problems.append(
                    Problem(name + "_lat", _("%(label)s: latitude and longitude are numbers.",
                                             label=label_of(page, spec)))
                )  # fmt: skip
                continue
            answer.values[spec.key] = {"lat": point[0], "lon": point[1]}
            continue
        text = fields.get(name, "").strip()
        answer.shown[name] = text
        if not text:
            continue
        if spec.type is FieldType.NUMBER:
            number = _number(text)
            if number is None:
                answer.problems.append(
                    Problem(name, _("%(label)s must be a number.", label=label_of(page, spec)))
                )
                continue
            answer.values[spec.key] = number
        elif spec.type is FieldType.YES_NO:
            answer.values[spec.key] = text == "yes"
        else:
            answer.values[spec.key] = text
    return answer


@dataclass(frozen=True, slots=True)
class Posted:
    """A posted form: its text fields, and its files as (filename, content type, bytes)."""

    fields: dict[str, str]
    files: dict[str, list[tuple[str, str, bytes]]]

    def text(self, name: str, limit: int = 20_000) -> str:
        return self.fields.get(name, "")[:limit]


async def read_posted(request: Request) -> Posted:
    """Read the whole form first (the body limit of the path bounds it), so that the
    use cases can run in a worker thread afterwards."""
    fields: dict[str, str] = {}
    files: dict[str, list[tuple[str, str, bytes]]] = {}
    async with request.form() as form:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:
                    data = await value.read()
                    files.setdefault(name, []).append(
                        (value.filename, value.content_type or "", data)
                    )
            else:
                fields.setdefault(name, value)
    return Posted(fields, files)


def photos_of(form: Form, posted: Posted) -> dict[str, list[tuple[str, str, bytes]]]:
    return {
        spec.key: posted.files.get(input_id(spec), [])
        for spec in form
        if spec.type is FieldType.PHOTO
    }


def store_photos(
    page: Page,
    principal: Principal,
    form: Form,
    photos: Mapping[str, list[tuple[str, str, bytes]]],
    answer: Answer,
) -> None:
    """Upload each (filename, content type, bytes) and put the attachment ids in the answer;
    a refused file becomes a problem next to its field."""
    _ = page.gettext
    container = page.container
    total = sum(len(files) for files in photos.values())
    if total > MAX_PHOTOS_PER_FORM:
        first = next(k for k, files in photos.items() if files)
        answer.problems.append(
            Problem(f"f_{first}", _("Send at most %(n)s photos at once.", n=MAX_PHOTOS_PER_FORM))
        )
        return
    for spec in form:
        if spec.type is not FieldType.PHOTO:
            continue
        ids = []
        for filename, content_type, data in photos.get(spec.key, []):
            try:
                attachment = upload_attachment(
                    container.uow(),
                    container.attachment_store,
                    principal,
                    filename,
                    content_type,
                    data,
                    now=container.clock(),
                    max_bytes=container.settings.attachment_max_bytes,
                )
            except DomainError:
                answer.problems.append(
                    Problem(
                        input_id(spec),
                        _("%(label)s: a photo must be a JPEG, PNG, WebP or HEIC image "
                          "of at most %(mb)s MB.", label=label_of(page, spec),
                          mb=container.settings.attachment_max_bytes // (1024 * 1024)),
                    )
                )  # fmt: skip
                break
            ids.append(attachment.id)
        if ids:
            answer.values[spec.key] = ids


def read_posted_answer(page: Page, principal: Principal, form: Form, posted: Posted) -> Answer:
    """A posted typed form read against `form`; its photos stored once the rest is valid."""
    answer = read_answer(page, form, posted.fields)
    if not answer.problems:
        store_photos(page, principal, form, photos_of(form, posted), answer)
    return answer


def problem_of_answer(page: Page, form: Form, error: DomainError) -> Problem:
    """A use case's refusal of an answer, next to the field it names (`values.<key>`)."""
    _ = page.gettext
    key = (error.field or "").removeprefix("values.")
    spec = next((f for f in form if f.key == key), None)
    if spec is None:
        return Problem(
            "problems", _("This could not be accepted: %(reason)s", reason=error.message)
        )
    where = input_id(spec) + ("_lat" if spec.type is FieldType.LOCATION else "")
    if "required" in error.message:
        return Problem(where, _("%(label)s is required.", label=label_of(page, spec)))
    return Problem(
        where, _("%(label)s: %(reason)s", label=label_of(page, spec), reason=error.message)
    )
