"""A unit's answers from the command line: sign, progress, feedback, rework."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Annotated

import typer

from civicgrid.bootstrap import Container
from civicgrid.cli.case_actions import As
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.cli.directive_options import (
    DirectiveId,
    UnitCode,
    read_values,
)
from civicgrid.domain.access import Principal
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.attachments import upload_attachment
from civicgrid.services.cases.actors import get_user_principal
from civicgrid.services.directives import queries
from civicgrid.services.directives.queries import Show
from civicgrid.services.directives.responding import (
    MAX_BATCH,
    complete_receipt,
    report_receipt_progress,
    send_back_receipt,
    sign_receipt,
    sign_receipts,
)


def _below(
    c: Container, principal: Principal, directive_id: int, code: str, show: Show
) -> list[str]:
    """Codes of the receipts below `code` matching `show`, every page."""
    codes: list[str] = []
    while True:
        found, _ = queries.list_receipts(
            c.uow(),
            principal,
            directive_id,
            within=code,
            show=show,
            now=c.clock(),
            page=len(codes) // 500 + 1,
            page_size=500,
        )
        codes.extend(r.area_code for r in found.items)
        if len(found.items) < 500:
            return codes


@reports_errors
def sign(
    directive_id: DirectiveId,
    as_: As,
    unit: Annotated[str | None, typer.Argument(help="The unit's area code")] = None,
    below: Annotated[
        list[str] | None, typer.Option(help="Instead: every unsigned unit below these areas")
    ] = None,
) -> None:
    """签收 for a unit, or for every unit below an area that has not signed."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        if below is None:
            if unit is None:
                raise InvalidInput("name a unit or --below an area", field="unit")
            r = sign_receipt(c.uow(), principal, directive_id, unit, now=c.clock(), feed=c.feed)
            console.print(f"directive {directive_id}: {unit} signed version {r.signed_version}")
            return
        codes = [
            code
            for area in below
            for code in _below(c, principal, directive_id, area, Show.UNSIGNED)
        ]
        for start in range(0, len(codes), MAX_BATCH):
            sign_receipts(
                c.uow(),
                principal,
                directive_id,
                codes[start : start + MAX_BATCH],
                now=c.clock(),
                feed=c.feed,
            )
    console.print(
        f"directive {directive_id}: {len(codes)} unit(s) below {', '.join(below)} signed",
        soft_wrap=True,
    )


@reports_errors
def progress(
    directive_id: DirectiveId,
    unit: UnitCode,
    as_: As,
    percent: Annotated[int, typer.Option(min=0, max=100)],
    note: Annotated[str, typer.Option()] = "",
) -> None:
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        report_receipt_progress(
            c.uow(), principal, directive_id, unit, percent, note, now=c.clock(), feed=c.feed
        )
    console.print(f"directive {directive_id}: {unit} at {percent}%")


@reports_errors
def feedback(
    directive_id: DirectiveId,
    as_: As,
    unit: Annotated[str | None, typer.Argument(help="The unit's area code")] = None,
    below: Annotated[
        list[str] | None,
        typer.Option(help="Instead: every signed, unfinished unit below these areas"),
    ] = None,
    value: Annotated[list[str] | None, typer.Option("--value", help="key=value")] = None,
    photo: Annotated[
        list[str] | None, typer.Option("--photo", help="key=path of an image to upload")
    ] = None,
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Complete: answer the feedback form; --photo uploads a file for a photo field."""
    values = read_values(value or [])
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        for pair in photo or []:
            key, _, path = pair.partition("=")
            values.setdefault(key, []).append(_upload(c, principal, Path(path)))
        if below is None:
            if unit is None:
                raise InvalidInput("name a unit or --below an area", field="unit")
            units = [unit]
        else:
            units = []
            for area in below:
                unsigned = set(_below(c, principal, directive_id, area, Show.UNSIGNED))
                units += [
                    code
                    for code in _below(c, principal, directive_id, area, Show.NOT_DONE)
                    if code not in unsigned
                ]
        for code in units:
            complete_receipt(
                c.uow(), principal, directive_id, code, values, note, now=c.clock(), feed=c.feed
            )
    console.print(f"directive {directive_id}: {len(units)} unit(s) done")


def _upload(c: Container, principal: Principal, path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    uploaded = upload_attachment(
        c.uow(),
        c.attachment_store,
        principal,
        path.name,
        kind,
        path.read_bytes(),
        now=c.clock(),
        max_bytes=c.settings.attachment_max_bytes,
    )
    return uploaded.id


@reports_errors
def rework(
    directive_id: DirectiveId, unit: UnitCode, as_: As, reason: Annotated[str, typer.Option()]
) -> None:
    """返工: send a unit's completion back (the issuer)."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        send_back_receipt(
            c.uow(), principal, directive_id, unit, reason, now=c.clock(), feed=c.feed
        )
    console.print(f"directive {directive_id}: {unit} sent back for rework")
