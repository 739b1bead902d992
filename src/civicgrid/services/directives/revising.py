"""Revising a directive (a new version; a material change asks every unit to sign
again) and revoking it. Receipts keep their history either way."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.directives import Content, Directive, Priority, Status
from civicgrid.domain.directives.issuing import access_issuer_area, check_content
from civicgrid.domain.directives.revising import changes, is_material
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.domain.ledger import LedgerEntry
from civicgrid.services.directive_ports import ReceiptFilter, Version
from civicgrid.services.directives.access import directive_stream
from civicgrid.services.directives.attachments import check_attachments
from civicgrid.services.directives.issuing import publish_directive
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.ports import UnitOfWork


def _issuer_access(
    uow: UnitOfWork, principal: Principal, directive_id: int, what: str
) -> Directive:
    directive = uow.directives.get(directive_id)
    if directive is None:
        raise NotFound(f"no directive {directive_id}", field="directive_id")
    access_issuer_area(principal, directive.issuer_path, f"{what} directive {directive_id}")
    if not directive.active:
        raise Conflict(f"directive {directive_id} was revoked; it cannot change any more")
    return directive


def _tell_every_unit(
    uow: UnitOfWork, directive: Directive, kind: str, message: str, now: datetime
) -> list[str]:
    uow.directives.notify_receipts(
        directive.id,
        kind=kind,
        urgent=directive.content.priority is Priority.URGENT,
        message=message,
        now=now,
    )
    return uow.directives.receipt_paths(
        directive.id, ReceiptFilter(within=directive.issuer_path), 1
    )


def revise_directive(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    content: Content,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> tuple[Directive, Version]:
    with uow:
        old = _issuer_access(uow, principal, directive_id, "revise")
        check_content(content, now, previous=old.content)
        diff = changes(old.content, content)
        if not diff:
            raise InvalidInput("the revision changes nothing", field="body")
        check_attachments(uow, principal, content.attachments, field="attachments")
        material = is_material(old.content, content)
        number = old.version + 1
        directive = replace(
            old,
            content=content,
            version=number,
            material_version=number if material else old.material_version,
        )
        uow.directives.save(directive)
        version = Version(number, now, principal.username, material, diff)
        uow.directives.add_version(directive.id, version, content)
        uow.ledger.append(
            LedgerEntry(
                stream=directive_stream(directive.id),
                seq=0,
                type="revised",
                at=now,
                actor=principal.username,
                area_path=directive.issuer_path,
                data={"version": number, "material": material, "changes": diff},
            )
        )
        what = "must be signed again" if material else "no new signature needed"
        paths = _tell_every_unit(
            uow,
            directive,
            "directive_revised",
            f"【指令修订】directive {directive.id} version {number} "
            f"({', '.join(sorted(diff))} changed; {what})",
            now,
        )
        uow.commit()
    publish_directive(feed, directive, "directive_revised", [directive.issuer_path, *paths], now)
    return directive, version


def revoke_directive(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    reason: str,
    *,
    now: datetime,
    feed: FeedPublisher | None = None,
) -> Directive:
    if not reason.strip():
        raise InvalidInput("say why the directive is revoked", field="reason")
    with uow:
        old = _issuer_access(uow, principal, directive_id, "revoke")
        directive = replace(old, status=Status.REVOKED, revoked_at=now)
        uow.directives.save(directive)
        uow.ledger.append(
            LedgerEntry(
                stream=directive_stream(directive.id),
                seq=0,
                type="revoked",
                at=now,
                actor=principal.username,
                area_path=directive.issuer_path,
                data={"reason": reason[:4000]},
            )
        )
        paths = _tell_every_unit(
            uow,
            directive,
            "directive_revoked",
            f"【指令撤销】directive {directive.id} was revoked: {reason[:200]}",
            now,
        )
        uow.commit()
    publish_directive(feed, directive, "directive_revoked", [directive.issuer_path, *paths], now)
    return directive
