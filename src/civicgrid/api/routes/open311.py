"""/open311/v2: Open311 GeoReport v2, in .json and .xml, with the common extensions.

Errors follow the spec, not the rest of the API: 404 for what does not exist, 403 for
a missing or bad api_key, 400 for anything else, as [{code, description}] or <errors>.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from civicgrid.api import open311_bodies as bodies
from civicgrid.api.deps import ContainerDep
from civicgrid.api.open311_format import FORMATS, render, render_errors, render_requests
from civicgrid.bootstrap import Container
from civicgrid.domain.attachments import AttachmentTooLarge, UnsupportedType
from civicgrid.domain.citizens.catalog import Locale, definition_of, services_of
from civicgrid.domain.citizens.requests_query import parse_request_query
from civicgrid.domain.citizens.w3c import parse_w3c
from civicgrid.domain.errors import DomainError, Forbidden, NotFound, Unauthenticated
from civicgrid.services.citizens import MAX_PHOTOS, Photo
from civicgrid.services.open311_queries import get_request, list_requests
from civicgrid.services.open311_submit import Open311Form, submit_open311_request
from civicgrid.services.open311_updates import list_request_updates, post_request_update

PREFIX = "/open311/v2"
MAX_MEDIA = MAX_PHOTOS
REQUEST_PATHS = tuple(f"{PREFIX}/requests.{fmt}" for fmt in FORMATS)
UPDATE_PATHS = tuple(f"{PREFIX}/servicerequestupdates.{fmt}" for fmt in FORMATS)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,40}")
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{1,64})\](\[\])?")
_FORM_FIELDS = (
    "address_string", "address_id", "description", "media_url", "email", "phone",
    "first_name", "last_name", "device_id", "account_id",
)  # fmt: skip

# Open311 documents itself (discovery, the GeoReport v2 spec); its free-form paths and
# bodies are checked here, in its own error shape, not by OpenAPI validation.
router = APIRouter(prefix=PREFIX, tags=["open311"], include_in_schema=False)


def _answer(
    request: Request, fmt: str, produce: Callable[[Container, Locale], Response]
) -> Response:
    """Run `produce` for a known format and jurisdiction; domain errors in Open311's shape."""
    if fmt not in FORMATS:
        return render_errors(
            "json", 404, [(404, f"format {fmt[:10]!r} not offered; use json or xml")]
        )
    container: Container = request.app.state.container
    wanted = container.settings.open311_jurisdiction
    given = request.query_params.get("jurisdiction_id", "").strip()
    if wanted and given and given != wanted:
        return render_errors(
            fmt, 404, [(404, f"jurisdiction_id {given[:60]!r} not found; this is {wanted}")]
        )
    try:
        return produce(container, Locale.parse(request.query_params.get("locale")))
    except DomainError as exc:
        status = _status(exc)
        return render_errors(fmt, status, [(status, exc.message)])


def _status(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Forbidden | Unauthenticated):
        return 403
    if isinstance(error, AttachmentTooLarge):
        return 413
    if isinstance(error, UnsupportedType):
        return 415
    return 400


@router.get("/discovery.{fmt}", summary="Service discovery")
def discovery(request: Request, fmt: str) -> Response:
    def produce(container: Container, locale: Locale) -> Response:
        s = container.settings
        url = str(request.base_url).rstrip("/") + PREFIX
        body = bodies.discovery(
            url,
            production=s.env == "production",
            contact=s.open311_contact,
            key_service=s.open311_key_service,
        )
        return render(fmt, "discovery", body)

    return _answer(request, fmt, produce)


@router.get("/services.{fmt}", summary="GET Service List")
def services(request: Request, fmt: str) -> Response:
    def produce(container: Container, locale: Locale) -> Response:
        items = services_of(container.rules.tree, locale)
        return render(fmt, "services", [bodies.service(item) for item in items])

    return _answer(request, fmt, produce)


@router.get("/services/{service_code}.{fmt}", summary="GET Service Definition")
def service_definition(request: Request, service_code: str, fmt: str) -> Response:
    def produce(container: Container, locale: Locale) -> Response:
        minor, attributes = definition_of(container.rules.tree, service_code)
        return render(fmt, "service_definition", bodies.definition(minor, attributes, locale))

    return _answer(request, fmt, produce)


@router.get("/requests.{fmt}", summary="GET Service Requests")
def requests(request: Request, fmt: str) -> Response:
    def produce(container: Container, locale: Locale) -> Response:
        params = request.query_params
        query = parse_request_query(params, container.clock())
        page = list_requests(
            container.uow(),
            container.rules.tree,
            query,
            locale=locale,
            extensions=params.get("extensions", "").lower() == "true",
        )
        return render_requests(fmt, page)

    return _answer(request, fmt, produce)


@router.get("/requests/{service_request_id}.{fmt}", summary="GET Service Request")
def one_request(request: Request, service_request_id: str, fmt: str) -> Response:
    def produce(container: Container, locale: Locale) -> Response:
        found = get_request(
            container.uow(),
            container.rules.tree,
            service_request_id,
            locale=locale,
            extensions=request.query_params.get("extensions", "").lower() == "true",
        )
        return render_requests(fmt, found)

    return _answer(request, fmt, produce)


@router.get("/tokens/{token}.{fmt}", summary="GET service_request_id from a token")
def token(request: Request, token: str, fmt: str) -> Response:
    def produce(container: Container, locale: Locale) -> Response:
        if not _TOKEN.fullmatch(token):
            raise NotFound(f"no request has token {token[:40]!r}", field="token")
        with container.uow() as uow:
            queued = uow.citizens.queued(token)
        if queued is None:
            raise NotFound(f"no request has token {token[:40]}", field="token")
        request_id = str(queued.case_id) if queued.case_id is not None else None
        return render(
            fmt, "service_requests", [{"service_request_id": request_id, "token": queued.token}]
        )

    return _answer(request, fmt, produce)


@router.post(
    "/requests.{fmt}", summary="POST Service Request (form-encoded or multipart with media)"
)
async def create_request(request: Request, fmt: str, container: ContainerDep) -> Response:
    if fmt not in FORMATS:
        return render_errors(
            "json", 404, [(404, f"format {fmt[:10]!r} not offered; use json or xml")]
        )
    limit = container.settings.max_body_bytes  # media gets more room; form fields do not
    declared = request.headers.get("content-length", "")
    multipart = request.headers.get("content-type", "").startswith("multipart/")
    if not multipart and declared.isdigit() and int(declared) > limit:
        return render_errors(fmt, 413, [(413, f"request body exceeds {limit} bytes")])
    try:
        async with request.form(max_files=MAX_PHOTOS, max_fields=200) as form:
            parsed = await _open311_form(form, container.settings.attachment_max_bytes)
            jurisdiction = _text(form, "jurisdiction_id").strip()
    except DomainError as exc:
        return render_errors(fmt, _status(exc), [(_status(exc), exc.message)])
    except HTTPException as exc:  # a malformed body, or too many parts
        return render_errors(fmt, 400, [(400, f"malformed form body: {exc.detail}")])
    wanted = container.settings.open311_jurisdiction
    if wanted and jurisdiction and jurisdiction != wanted:
        return render_errors(fmt, 404, [(404, f"jurisdiction_id {jurisdiction[:60]!r} not found")])

    def produce(container: Container, locale: Locale) -> Response:
        created = submit_open311_request(
            container.uow(),
            container.locators,
            container.rules,
            container.attachment_store,
            parsed,
            now=container.clock(),
            snap_tolerance_m=container.settings.snap_tolerance_m,
            max_photo_bytes=container.settings.attachment_max_bytes,
            locale=locale,
            feed=container.feed,
            intake=container.open_public,
        )
        item: dict[str, Any] = (
            {"token": created.token}
            if created.token
            else {"service_request_id": created.service_request_id}
        )
        item.update(
            service_notice=created.service_notice or None, account_id=created.account_id or None
        )
        return render(fmt, "service_requests", [item])

    return await run_in_threadpool(_answer, request, fmt, produce)


@router.get("/servicerequestupdates.{fmt}", summary="mySociety: public updates in a time range")
def request_updates(request: Request, fmt: str) -> Response:
    def produce(container: Container, locale: Locale) -> Response:
        params = request.query_params
        start = parse_w3c(params["start_date"], "start_date") if params.get("start_date") else None
        end = parse_w3c(params["end_date"], "end_date") if params.get("end_date") else None
        found = list_request_updates(
            container.uow(), container.rules.tree, start, end, now=container.clock(), locale=locale
        )
        return render(fmt, "service_request_updates", [bodies.update(item) for item in found])

    return _answer(request, fmt, produce)


@router.post("/servicerequestupdates.{fmt}", summary="mySociety: post an update on a request")
async def create_request_update(request: Request, fmt: str) -> Response:
    async with request.form(max_files=0, max_fields=50) as form:
        fields = {
            name: _text(form, name) for name in ("api_key", "service_request_id", "description")
        }

    def produce(container: Container, locale: Locale) -> Response:
        created = post_request_update(
            container.uow(),
            container.rules,
            fields["api_key"] or None,
            fields["service_request_id"],
            fields["description"],
            now=container.clock(),
            feed=container.feed,
        )
        return render(fmt, "service_request_updates", [{"update_id": created.update_id}])

    return await run_in_threadpool(_answer, request, fmt, produce)


async def _open311_form(form: FormData, max_bytes: int) -> Open311Form:
    texts = {name: _text(form, name) for name in _FORM_FIELDS}
    attributes: dict[str, list[str]] = {}
    photos = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if key == "media":
                data = await value.read(max_bytes + 1)
                photos.append(Photo(value.filename or "media", value.content_type or "", data))
            continue
        if match := _ATTRIBUTE.fullmatch(key):
            attributes.setdefault(match[1], []).append(value)
    return Open311Form(
        api_key=_text(form, "api_key") or None,
        service_code=_text(form, "service_code") or None,
        lat=_text(form, "lat") or None,
        long=_text(form, "long") or None,
        attributes=attributes,
        photos=tuple(photos),
        **texts,
    )


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
