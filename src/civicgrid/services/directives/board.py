"""What the directive pages read: the lists of one's own area, a preview with names,
and a directive page that says "not yours" (403) rather than "no such thing"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicgrid.domain.access import Principal, readable_scopes
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import is_within, path_codes
from civicgrid.domain.directives import Directive, Receipt, Selection
from civicgrid.domain.directives.issuing import ISSUING_ROLES, access_issuer_area
from civicgrid.domain.errors import Forbidden, NotFound, OutsideJurisdiction
from civicgrid.services.directives.access import access_directive
from civicgrid.services.directives.issuing import Preview, preview_targets
from civicgrid.services.directives.queries import Rollup, Show, get_rollup, list_receipts
from civicgrid.services.ports import Page, UnitOfWork

EXAMPLES = 5
LISTED = 100


@dataclass(frozen=True, slots=True)
class UnitReceipt:
    """A directive as one of the caller's own units received it."""

    directive: Directive
    receipt: Receipt
    area: Area


@dataclass(frozen=True, slots=True)
class Board:
    issued: list[Directive]  # issued from inside the caller's jurisdiction
    received: list[UnitReceipt]  # receipts of the areas the caller is posted at
    reaching: list[Directive]  # issued above, reaching units inside the jurisdiction
    count: int  # every directive the caller may read


@dataclass(frozen=True, slots=True)
class NamedPreview:
    preview: Preview
    examples: list[Area]  # the first few units (level or list selections only)


def list_directive_board(uow: UnitOfWork, principal: Principal) -> Board:
    """The newest directives the caller may read, sorted into the three lists."""
    scopes = readable_scopes(principal)
    own = sorted({g.area_path for g in principal.grants})
    issued: list[Directive] = []
    reaching: list[Directive] = []
    received: list[UnitReceipt] = []
    with uow:
        found = uow.directives.listing(scopes, offset=0, limit=LISTED)
        areas = {a.path: a for a in uow.areas.get_by_path(own)}
        for directive in found.items:
            mine = [
                (path, receipt)
                for path in own
                if is_within(path, directive.issuer_path) and path != directive.issuer_path
                if (receipt := uow.directives.receipt(directive.id, path)) is not None
            ]
            received += [UnitReceipt(directive, r, areas[p]) for p, r in mine if p in areas]
            if any(is_within(directive.issuer_path, s) for s in scopes):
                issued.append(directive)
            elif not mine:
                reaching.append(directive)
    return Board(issued, received, reaching, found.count)


def preview_named(
    uow: UnitOfWork, principal: Principal, selection: Selection, *, from_area: str | None
) -> NamedPreview:
    """`preview_targets`, with the names of the first few units when they are cheap to
    know (a level, or a list; a tag's units would need the tag join)."""
    preview = preview_targets(uow, principal, selection, from_area=from_area)
    examples: list[Area] = []
    with uow:
        if selection.codes:
            found = uow.areas.get_many(list(selection.codes[:EXAMPLES]))
            examples = [found[c] for c in selection.codes[:EXAMPLES] if c in found]
        elif selection.level is not None and not selection.tags:
            within = preview.issuer
            if selection.within and selection.within != within.code:
                within = uow.areas.get(selection.within, with_geometry=False) or within
            examples = uow.areas.subtree(
                within.path,
                level=selection.level,
                offset=0,
                limit=EXAMPLES,
                with_geometry=False,
                include_root=False,
            ).items
    return NamedPreview(preview, examples)


def access_directive_page(uow: UnitOfWork, principal: Principal, directive_id: int) -> Directive:
    """A directive for a page: one outside the caller's jurisdiction is refused (403),
    as every page outside one's subtree is; only an unknown id is "not found"."""
    with uow:
        try:
            return access_directive(uow, principal, directive_id)
        except NotFound:
            if uow.directives.get(directive_id) is None:
                raise
    raise OutsideJurisdiction(
        f"{principal.username} may not read directive {directive_id}: outside their jurisdiction"
    )


def may_direct(principal: Principal, directive: Directive) -> bool:
    """Whether the caller holds an issuing role over the directive's issuing area (revise,
    revoke, send back)."""
    try:
        access_issuer_area(principal, directive.issuer_path, "direct")
    except Forbidden:
        return False
    return True


def may_sign_for(principal: Principal) -> bool:
    """Whether the caller runs an office that may enter its units' sign-offs (the use
    case still checks each unit)."""
    return any(g.role in ISSUING_ROLES for g in principal.grants)


def find_own_receipt(uow: UnitOfWork, principal: Principal, directive: Directive) -> str | None:
    """The code of the caller's own unit (an area they are posted at) that the directive
    reached, if any: where a grid worker answers it."""
    with uow:
        for grant in sorted(principal.grants, key=lambda g: g.area_path):
            if grant.area_path == directive.issuer_path:
                continue
            if uow.directives.receipt(directive.id, grant.area_path) is not None:
                return grant.area_code
    return None


@dataclass(frozen=True, slots=True)
class Progress:
    rollup: Rollup
    trail: list[Area]  # from the issuer's area down to the node's parent
    laggards: Page[Receipt]
    areas: dict[str, Area]  # the laggards' areas by path


def get_progress(
    uow: UnitOfWork,
    principal: Principal,
    directive_id: int,
    *,
    at: str | None,
    show: Show,
    now: datetime,
    page: int = 1,
    page_size: int = 50,
) -> Progress:
    """The roll-up at `at` (the tree's node), the way back up to the issuer, and the
    receipts `show` picks below the node (the laggards, by default)."""
    rollup = get_rollup(uow, principal, directive_id, at=at, now=now)
    laggards, areas = list_receipts(
        uow, principal, directive_id, within=rollup.node.code, show=show, now=now,
        page=page, page_size=page_size,
    )  # fmt: skip
    issuer = rollup.directive.issuer_path
    with uow:
        node = uow.areas.get(rollup.node.code, with_geometry=False)
        above = path_codes(node.path)[:-1] if node is not None else []
        # One by one without geometry: a district's or the city's outline is heavy.
        found = [uow.areas.get(code, with_geometry=False) for code in above]
    trail = [a for a in found if a is not None and is_within(a.path, issuer)]
    return Progress(rollup, trail, laggards, areas)
