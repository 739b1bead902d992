"""/api/v1/attachments: upload a photo or PDF, download it again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, UploadFile
from fastapi.responses import StreamingResponse

from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES, ErrorResponse
from civicgrid.api.schemas.attachments import AttachmentPublic
from civicgrid.domain.attachments import ALLOWED_TYPES, ID_PATTERN
from civicgrid.services import attachments
from civicgrid.web.downloads import download_response

UPLOAD_PATH = "/api/v1/attachments"
MULTIPART_ENVELOPE = 64 * 1024
"""Room in the request body for the multipart boundaries and part headers around the file."""

router = APIRouter(
    prefix=UPLOAD_PATH,
    tags=["attachments"],
    responses=ERROR_RESPONSES | {415: {"model": ErrorResponse}},
)

AttachmentId = Annotated[str, Path(pattern=ID_PATTERN, description="From the upload")]


def upload_body_limit(attachment_max_bytes: int) -> int:
    """The request body limit of the upload route: the file's limit plus its envelope."""
    return attachment_max_bytes + MULTIPART_ENVELOPE


@router.post("", status_code=201)
def upload_attachment(
    container: ContainerDep, principal: CurrentPrincipal, file: UploadFile
) -> AttachmentPublic:
    """Upload one file as multipart field `file`: JPEG, PNG, WebP, HEIC or PDF by its content."""
    limit = container.settings.attachment_max_bytes
    data = file.file.read(limit + 1)  # one byte past the limit is enough to refuse it
    attachment = attachments.upload_attachment(
        container.uow(),
        container.attachment_store,
        principal,
        file.filename or "",
        file.content_type or "",
        data,
        now=container.clock(),
        max_bytes=limit,
    )
    return AttachmentPublic.of(attachment)


@router.get(
    "/{attachment_id}",
    response_class=StreamingResponse,
    responses={200: {"content": {media_type: {} for media_type in ALLOWED_TYPES}}},
)
def download_attachment(
    container: ContainerDep, principal: CurrentPrincipal, attachment_id: AttachmentId
) -> StreamingResponse:
    """The file's bytes with their content type; for readers of a case that uses it."""
    download = attachments.get_attachment(
        container.uow(), container.attachment_store, principal, attachment_id
    )
    return download_response(download)
