"""Issuing a directive: resolve the targets in the issuer's subtree, fan out, tell them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.areas import Area, Level
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.directives import Content, Directive, Priority, Selection
from civicgrid.domain.directives.issuing import (
    ISSUING_ROLES,
    access_issuer_area,
    check_content,
)
from civicgrid.domain.errors import Forbidden, InvalidInput, NotFound
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.services.directive_ports import NewDirective, ReceiptFilter, Targets, Version
from civicgrid.services.directives.access import directive_stream
from civicgrid.services.directives.attachments import check_attachments
from civicgrid.services.feed import FeedEvent, FeedPublisher
from civicgrid.services.ports import UnitOfWork

MAX_CODES = 5000
SUMMARY_CHARS = 120


@dataclass(frozen=True, slots=True)
class Preview:
    issuer: Area
    by_level: dict[Level, int]

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


@dataclass(frozen=True, slots=True)
class Issued:
    directive: Directive
    by_level: dict[Level, int]


def _issuer_area(uow: UnitOfWork, principal: Principal, from_area: str | None) -> Area:
    if from_area is None:
        codes = sorted({g.area_code for g in principal.grants if g.role in ISSUING_ROLES})
        if len(codes) != 1:
            which = "holds no officer's role" if not codes else "is an officer in several areas"
            raise InvalidInput(
                f"{principal.username} {which}; name the issuing area", field="from_area"
            )
        from_area = codes[0]
    area = uow.areas.get(from_area, with_geometry=False) if from_area.isdigit() else None
    if area is None:
        raise NotFound(f"no area with code {from_area}", field="from_area")
    access_issuer_area(principal, area.path, f"issue directives from {area.code}")
    return area


def _resolve(uow: UnitOfWork, issuer: Area, selection: Selection) -> Targets:
    within = issuer
    if selection.within is not None and selection.within != issuer.code:
        found = uow.areas.get(selection.within, with_geometry=False)
        if found is None:
            raise NotFound(f"no area with code {selection.within}", field="selection.within")
        if not is_within(found.path, issuer.path):
            raise Forbidden(
                f"{found.code} lies outside the issuer's area {issuer.code}",
                field="selection.within",
            )
        within = found
    if selection.level is None and not selection.tags and not selection.codes:
        raise InvalidInput(
            "choose the targets: a level, tags or a list of codes", field="selection"
        )
    if selection.level is not None and selection.level <= within.level:
        raise InvalidInput(
            f"there is no {selection.level.slug} below {within.code}", field="selection.level"
        )
    if len(selection.codes) > MAX_CODES:
        raise InvalidInput(f"list at most {MAX_CODES} codes", field="selection.codes")
    paths: list[str] = []
    if selection.codes:
        valid = [c for c in selection.codes if c.isascii() and c.isdigit()]
        found_paths = {a.code: a.path for a in uow.areas.get_many(valid).values()} if valid else {}
        if missing := [c for c in selection.codes if c not in found_paths]:
            raise InvalidInput(
                f"no area with code {', '.join(missing[:10])}", field="selection.codes"
            )
        if outside := [c for c, p in found_paths.items() if not is_within(p, within.path)]:
            raise Forbidden(
                f"{', '.join(sorted(outside)[:10])} lie(s) outside {within.code}",
                field="selection.codes",
            )
        if within.code in found_paths:
            raise InvalidInput(
                f"{within.code} is the issuing area itself, not a unit below it",
                field="selection.codes",
            )
        paths = sorted(found_paths.values())
    return Targets(
        within=within.path, level=selection.level, tags=selection.tags, paths=tuple(paths)
    )


def preview_targets(
    uow: UnitOfWork, principal: Principal, selection: Selection, *, from_area: str | None = None
) -> Preview:
    """How many units a selection reaches, by level; nothing is written."""
    with uow:
        issuer = _issuer_area(uow, principal, from_area)
        targets = _resolve(uow, issuer, selection)
        return Preview(issuer, uow.directives.count_targets(targets))


def issue_directive(
    uow: UnitOfWork,
    principal: Principal,
    content: Content,
    selection: Selection,
    *,
    now: datetime,
    from_area: str | None = None,
    feed: FeedPublisher | None = None,
) -> Issued:
    """One transaction: the directive, a receipt per unit, their inbox notifications and
    the log entry. A crash at any point leaves all of them or none."""
    check_content(content, now)
    with uow:
        issuer = _issuer_area(uow, principal, from_area)
        targets = _resolve(uow, issuer, selection)
        check_attachments(uow, principal, content.attachments, field="attachments")
        by_level = uow.directives.count_targets(targets)
        if not by_level:
            raise InvalidInput("the selection matches no unit", field="selection")
        directive_id = uow.directives.add(
            NewDirective(issuer.path, principal.username, now, content, selection)
        )
        count = uow.directives.fan_out(directive_id, targets)
        directive = uow.directives.get(directive_id)
        directive = replace(_written(directive), target_count=count)
        uow.directives.save(directive)
        uow.directives.add_version(
            directive_id, Version(1, now, principal.username, True, {}), content
        )
        uow.directives.notify_receipts(
            directive_id,
            kind="directive_issued",
            urgent=content.priority is Priority.URGENT,
            message=_message(directive, issuer),
            now=now,
            count=False,  # one per receipt: target_count
        )
        uow.ledger.append(
            LedgerEntry(
                stream=directive_stream(directive_id),
                seq=0,
                type="issued",
                at=now,
                actor=principal.username,
                area_path=issuer.path,
                data={
                    "selection": selection.as_dict(),
                    "targets": count,
                    "by_level": {level.slug: n for level, n in sorted(by_level.items())},
                    "title_zh": content.title_zh,
                },
            )
        )
        paths = (
            uow.directives.receipt_paths(directive_id, ReceiptFilter(within=issuer.path), 1)
            if feed is not None
            else []
        )
        uow.commit()
    publish_directive(feed, directive, "directive_issued", [issuer.path, *paths], now)
    return Issued(directive, by_level)


def _written(directive: Directive | None) -> Directive:
    if directive is None:  # written above in the same transaction
        raise RuntimeError("a directive just written cannot be read back")
    return directive


def _message(directive: Directive, issuer: Area) -> str:
    content = directive.content
    due = content.complete_deadline_at
    until = f", due {due.isoformat()}" if due else ""
    return f"【指令】{issuer.name_zh}: {content.title_zh} (directive {directive.id}{until})"


def publish_directive(
    feed: FeedPublisher | None, directive: Directive, kind: str, paths: list[str], now: datetime
) -> None:
    """After the commit: one feed event per area told, so each unit's staff see it live."""
    if feed is None:
        return
    summary = f"directive {directive.id}: {directive.content.title_zh}"[:SUMMARY_CHARS]
    urgent = directive.content.priority is Priority.URGENT
    for path in paths:
        feed.publish(FeedEvent(kind, None, path, urgent, now, summary))
