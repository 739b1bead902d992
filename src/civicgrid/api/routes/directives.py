"""/api/v1/directives: 指令直达 — preview, issue, roll up, receipts, respond, revise, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas import directives as s
from civicgrid.domain.directives import Directive, Receipt
from civicgrid.services.directives import queries
from civicgrid.services.directives.files import get_directive_file
from civicgrid.services.directives.issuing import issue_directive, preview_targets
from civicgrid.services.directives.queries import Show
from civicgrid.services.directives.responding import (
    complete_receipt,
    report_receipt_progress,
    send_back_receipt,
    sign_receipt,
    sign_receipts,
)
from civicgrid.services.directives.revising import revise_directive, revoke_directive
from civicgrid.web.downloads import download_response

router = APIRouter(prefix="/api/v1/directives", tags=["directives"], responses=ERROR_RESPONSES)

DirectiveId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AreaCode = Annotated[str, Path(min_length=6, max_length=17, pattern=r"^\d+$")]
AtCode = Annotated[str | None, Query(min_length=6, max_length=17, pattern=r"^\d+$")]


@router.post("/preview")
def preview(
    container: ContainerDep, principal: CurrentPrincipal, body: s.PreviewIn
) -> s.PreviewOut:
    """How many units a selection reaches, by level, before issuing."""
    found = preview_targets(
        container.uow(), principal, body.selection.to_domain(), from_area=body.from_area
    )
    return s.PreviewOut(
        issuer_code=found.issuer.code,
        total=found.total,
        by_level={level.slug: n for level, n in sorted(found.by_level.items())},
    )


@router.post("", status_code=201)
def issue(
    container: ContainerDep, principal: CurrentPrincipal, body: s.DirectiveCreate
) -> s.IssuedOut:
    """Issue a directive: one receipt per target unit, each told in its inbox and feed."""
    issued = issue_directive(
        container.uow(),
        principal,
        body.to_domain(),
        body.selection.to_domain(),
        now=container.clock(),
        from_area=body.from_area,
        feed=container.feed,
    )
    return s.IssuedOut(
        **s.DirectivePublic.of(issued.directive).model_dump(),
        by_level={level.slug: n for level, n in sorted(issued.by_level.items())},
    )


@router.get("")
def list_directives(
    container: ContainerDep,
    principal: CurrentPrincipal,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 50,
) -> s.DirectiveList:
    """Directives issued in, or reaching into, the caller's jurisdiction; newest first."""
    found = queries.list_directives(container.uow(), principal, page=page, page_size=page_size)
    return s.DirectiveList(
        data=[s.DirectivePublic.of(d) for d in found.items],
        count=found.count,
        page=page,
        page_size=page_size,
    )


@router.get("/{directive_id}")
def get_directive(
    container: ContainerDep, principal: CurrentPrincipal, directive_id: DirectiveId
) -> s.DirectivePublic:
    return s.DirectivePublic.of(queries.get_directive(container.uow(), principal, directive_id))


@router.get("/{directive_id}/rollup")
def rollup(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    at: AtCode = None,
) -> s.RollupOut:
    """Targeted, signed, in progress, done and overdue at an area and per child area."""
    found = queries.get_rollup(
        container.uow(), principal, directive_id, at=at, now=container.clock()
    )
    return s.RollupOut(
        directive_id=found.directive.id,
        version=found.directive.version,
        at=found.at,
        node=s.RollupRowOut.of(found.node),
        children=[s.RollupRowOut.of(row) for row in found.children],
    )


@router.get("/{directive_id}/receipts")
def list_receipts(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    within: AtCode = None,
    show: Show = Show.ALL,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=queries.MAX_PAGE_SIZE)] = 100,
) -> s.ReceiptList:
    """Receipts below an area; `show=unsigned` or `overdue` lists the laggards."""
    uow = container.uow()
    directive = queries.get_directive(uow, principal, directive_id)
    found, areas = queries.list_receipts(
        uow,
        principal,
        directive_id,
        within=within,
        show=show,
        now=container.clock(),
        page=page,
        page_size=page_size,
    )
    return s.ReceiptList(
        data=[s.ReceiptPublic.of(directive, r, areas.get(r.area_path)) for r in found.items],
        count=found.count,
        page=page,
        page_size=page_size,
    )


@router.get("/{directive_id}/receipts/{area_code}")
def get_receipt(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    area_code: AreaCode,
) -> s.ReceiptDetail:
    """One unit's receipt with its history from the log."""
    directive, receipt, history = queries.get_receipt(
        container.uow(), principal, directive_id, area_code
    )
    return s.ReceiptDetail(
        **_receipt(directive, receipt).model_dump(), history=[s.EntryOut.of(e) for e in history]
    )


def _receipt(directive: Directive, receipt: Receipt) -> s.ReceiptPublic:
    return s.ReceiptPublic.of(directive, receipt, None)


@router.post("/{directive_id}/receipts/sign")
def sign_many(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    body: s.SignManyIn,
) -> s.SignManyOut:
    """签收 for many units at once: all of them, or none (409 if one signed already)."""
    signed = sign_receipts(
        container.uow(),
        principal,
        directive_id,
        body.codes,
        now=container.clock(),
        feed=container.feed,
    )
    return s.SignManyOut(signed=len(signed), version=signed[0].signed_version)


@router.post("/{directive_id}/receipts/{area_code}/sign")
def sign(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    area_code: AreaCode,
) -> s.ReceiptPublic:
    """签收: the unit confirms it has the directive; 409 when it has signed already."""
    receipt = sign_receipt(
        container.uow(),
        principal,
        directive_id,
        area_code,
        now=container.clock(),
        feed=container.feed,
    )
    return _answered(receipt)


def _answered(receipt: Receipt) -> s.ReceiptPublic:
    """A receipt just answered: it holds a current signature, so no second read is needed."""
    return s.ReceiptPublic(
        area_code=receipt.area_code,
        name_zh="",
        name_en="",
        level=receipt.level.slug,
        state=receipt.state.slug,
        signed_version=receipt.signed_version,
        needs_signature=False,
        signed_at=receipt.signed_at,
        progress=receipt.progress,
        note=receipt.note,
        feedback=receipt.feedback,
        done_at=receipt.done_at,
    )


@router.post("/{directive_id}/receipts/{area_code}/progress")
def progress(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    area_code: AreaCode,
    body: s.ProgressIn,
) -> s.ReceiptPublic:
    receipt = report_receipt_progress(
        container.uow(),
        principal,
        directive_id,
        area_code,
        body.percent,
        body.note,
        now=container.clock(),
        feed=container.feed,
    )
    return _answered(receipt)


@router.post("/{directive_id}/receipts/{area_code}/feedback")
def feedback(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    area_code: AreaCode,
    body: s.CompleteIn,
) -> s.ReceiptPublic:
    """Complete: submit the feedback form (photos as attachment ids); 422 names a bad field."""
    receipt = complete_receipt(
        container.uow(),
        principal,
        directive_id,
        area_code,
        body.values,
        body.note,
        now=container.clock(),
        feed=container.feed,
    )
    return _answered(receipt)


@router.post("/{directive_id}/receipts/{area_code}/rework")
def rework(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    area_code: AreaCode,
    body: s.ReasonIn,
) -> s.ReceiptPublic:
    """返工: the issuer sends a completion back to the unit."""
    receipt = send_back_receipt(
        container.uow(),
        principal,
        directive_id,
        area_code,
        body.reason,
        now=container.clock(),
        feed=container.feed,
    )
    return _answered(receipt)


@router.patch("/{directive_id}")
def revise(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    body: s.DirectiveRevise,
) -> s.DirectivePublic:
    """Revise: a new version; a material change asks every unit to sign again."""
    old = queries.get_directive(container.uow(), principal, directive_id)
    directive, _ = revise_directive(
        container.uow(),
        principal,
        directive_id,
        body.applied_to(old.content),
        now=container.clock(),
        feed=container.feed,
    )
    return s.DirectivePublic.of(directive)


@router.post("/{directive_id}/revoke")
def revoke(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    body: s.ReasonIn,
) -> s.DirectivePublic:
    """Revoke: units are told; their receipts keep their history and take no more answers."""
    directive = revoke_directive(
        container.uow(),
        principal,
        directive_id,
        body.reason,
        now=container.clock(),
        feed=container.feed,
    )
    return s.DirectivePublic.of(directive)


@router.get("/{directive_id}/versions")
def versions(
    container: ContainerDep, principal: CurrentPrincipal, directive_id: DirectiveId
) -> list[s.VersionOut]:
    return [
        s.VersionOut.of(v) for v in queries.list_versions(container.uow(), principal, directive_id)
    ]


AttachmentId = Annotated[str, Path(min_length=32, max_length=32, pattern=r"^[0-9a-f]{32}$")]


@router.get("/{directive_id}/attachments/{attachment_id}", response_class=StreamingResponse)
def directive_file(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    attachment_id: AttachmentId,
) -> StreamingResponse:
    """A file attached to the directive, for whoever may read the directive."""
    return download_response(
        get_directive_file(
            container.uow(), container.attachment_store, principal, directive_id, attachment_id
        )
    )


@router.get(
    "/{directive_id}/receipts/{area_code}/photos/{attachment_id}",
    response_class=StreamingResponse,
)
def receipt_photo(
    container: ContainerDep,
    principal: CurrentPrincipal,
    directive_id: DirectiveId,
    area_code: AreaCode,
    attachment_id: AttachmentId,
) -> StreamingResponse:
    """A photo a unit sent back, for whoever may read its receipt (the issuer, the levels
    between, the unit)."""
    return download_response(
        get_directive_file(
            container.uow(),
            container.attachment_store,
            principal,
            directive_id,
            attachment_id,
            unit=area_code,
        )
    )
