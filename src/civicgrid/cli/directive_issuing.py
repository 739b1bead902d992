"""Issuing a directive from the command line: preview, issue, revise, revoke, tag."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from civicgrid.cli.case_actions import As
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.cli.directive_options import (
    AtLevel,
    Codes,
    DirectiveId,
    FromArea,
    Tags,
    UnitCode,
    Within,
    moment,
    read_fields,
)
from civicgrid.domain.areas import Level
from civicgrid.domain.directives import Content, Priority, Selection
from civicgrid.domain.forms import parse_form
from civicgrid.services.area_tags import set_area_tags
from civicgrid.services.cases.actors import get_user_principal
from civicgrid.services.directives import queries
from civicgrid.services.directives.issuing import issue_directive, preview_targets
from civicgrid.services.directives.revising import revise_directive, revoke_directive


def _selection(
    within: str | None, level: str | None, tags: list[str] | None, codes: list[str] | None
) -> Selection:
    return Selection(
        within=within,
        level=Level.from_slug(level) if level else None,
        tags=tuple(tags or ()),
        codes=tuple(codes or ()),
    )


def _by_level(by_level: dict[Level, int]) -> str:
    return ", ".join(f"{n} {level.name_zh} ({level.slug})" for level, n in sorted(by_level.items()))


@reports_errors
def preview(
    as_: As,
    from_area: FromArea = None,
    within: Within = None,
    level: AtLevel = None,
    tag: Tags = None,
    code: Codes = None,
) -> None:
    """How many units a selection reaches, by level; nothing is written."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        found = preview_targets(
            c.uow(), principal, _selection(within, level, tag, code), from_area=from_area
        )
    console.print(f"{found.total} unit(s) below {found.issuer.code}: {_by_level(found.by_level)}")


@reports_errors
def issue(
    as_: As,
    title: Annotated[str, typer.Option(help="Title (zh-CN)")],
    body: Annotated[str, typer.Option(help="What to do (zh-CN)")] = "",
    title_en: Annotated[str, typer.Option(help="Title (en)")] = "",
    body_en: Annotated[str, typer.Option(help="What to do (en)")] = "",
    priority: Annotated[Priority, typer.Option(case_sensitive=False)] = Priority.NORMAL,
    sign_by: Annotated[str | None, typer.Option(help="签收 deadline: HH:MM today or ISO")] = None,
    due: Annotated[str | None, typer.Option(help="Completion deadline: HH:MM or ISO")] = None,
    form: Annotated[Path | None, typer.Option(help="Feedback form fields (JSON/YAML)")] = None,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="key:type:label[:optional]")
    ] = None,
    from_area: FromArea = None,
    within: Within = None,
    level: AtLevel = None,
    tag: Tags = None,
    code: Codes = None,
) -> None:
    """Issue a directive; every target unit gets a receipt and an inbox message at once."""
    with container() as c:
        now = c.clock()
        zone = c.settings.zone
        content = Content(
            title_zh=title,
            body_zh=body,
            title_en=title_en,
            body_en=body_en,
            priority=priority,
            sign_deadline_at=moment(sign_by, zone, now) if sign_by else None,
            complete_deadline_at=moment(due, zone, now) if due else None,
            form=parse_form(read_fields(form, field or [])),
        )
        principal = get_user_principal(c.uow(), as_)
        issued = issue_directive(
            c.uow(),
            principal,
            content,
            _selection(within, level, tag, code),
            now=now,
            from_area=from_area,
            feed=c.feed,
        )
    d = issued.directive
    console.print(
        f"directive {d.id} issued from {d.issuer_code} to {d.target_count} unit(s): "
        f"{_by_level(issued.by_level)}",
        soft_wrap=True,
    )


@reports_errors
def revise(
    directive_id: DirectiveId,
    as_: As,
    title: Annotated[str | None, typer.Option()] = None,
    body: Annotated[str | None, typer.Option()] = None,
    priority: Annotated[Priority | None, typer.Option(case_sensitive=False)] = None,
    sign_by: Annotated[str | None, typer.Option()] = None,
    due: Annotated[str | None, typer.Option()] = None,
) -> None:
    """A new version; a changed title or body, or a shorter deadline, needs new signatures."""
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        old = queries.get_directive(c.uow(), principal, directive_id).content
        now, zone = c.clock(), c.settings.zone
        changed: dict[str, Any] = {}
        if title is not None:
            changed["title_zh"] = title
        if body is not None:
            changed["body_zh"] = body
        if priority is not None:
            changed["priority"] = priority
        if sign_by is not None:
            changed["sign_deadline_at"] = moment(sign_by, zone, now)
        if due is not None:
            changed["complete_deadline_at"] = moment(due, zone, now)
        d, v = revise_directive(
            c.uow(), principal, directive_id, replace(old, **changed), now=now, feed=c.feed
        )
    need = "every unit signs again" if v.material else "no new signature needed"
    console.print(f"directive {d.id} is at version {d.version} ({need})")


@reports_errors
def revoke(directive_id: DirectiveId, as_: As, reason: Annotated[str, typer.Option()]) -> None:
    with container() as c:
        principal = get_user_principal(c.uow(), as_)
        revoke_directive(c.uow(), principal, directive_id, reason, now=c.clock(), feed=c.feed)
    console.print(f"directive {directive_id} revoked")


@reports_errors
def tag(
    code: UnitCode,
    as_: As,
    add: Annotated[list[str] | None, typer.Option("--add")] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove")] = None,
) -> None:
    """Add or remove area tags ("flood-risk", "has-underpass") that directives select by."""
    with container() as c:
        tags = set_area_tags(
            c.uow(), get_user_principal(c.uow(), as_), code, add=add or [], remove=remove or []
        )
    console.print(f"{code}: {', '.join(tags) or '(no tags)'}")
