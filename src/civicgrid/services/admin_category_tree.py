"""The whole category tree as administrators edit it: YAML text, checked, versioned.

The latest saved version replaces the file's tree. The text shown for editing is the
tree in force, per-class edits included, so saving it takes those edits in and the
per-class edits are cleared; later per-class edits apply over the saved tree.
Parsing (YAML) is an adapter's: the caller passes it in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.services.admin_ports import AdminUnitOfWork, SavedRules
from civicgrid.services.admin_users import check_administrator

MAX_TREE_TEXT = 1_000_000


def get_category_tree(uow: AdminUnitOfWork, principal: Principal) -> SavedRules | None:
    """The latest saved tree; None while the file's is in force."""
    check_administrator(principal)
    with uow:
        return uow.admin.category_tree()


def save_category_tree(
    uow: AdminUnitOfWork,
    principal: Principal,
    text: str,
    *,
    parse: Callable[[str], CategoryTree],
    now: datetime,
    rule_categories: Collection[str] = (),
) -> CategoryTree:
    """Checks the whole tree (the parser's problems; no class that a case or an alert
    rule names may go), then stores it as the newest version and clears the per-class
    edits."""
    check_administrator(principal)
    if len(text) > MAX_TREE_TEXT:
        raise InvalidInput(f"the tree has at most {MAX_TREE_TEXT} characters", field="text")
    tree = parse(text)
    if unknown := sorted(code for code in set(rule_categories) if not _has(tree, code)):
        raise Conflict(
            f"the alert rules name the classes {', '.join(unknown)}, which the tree leaves out",
            field="text",
        )
    keys = {minor.key for minor in tree.minors()}
    with uow:
        missing = sorted(uow.admin.categories_in_use() - keys)
        if missing:
            raise Conflict(
                f"cases have the classes {', '.join(missing)}, which the tree leaves out",
                field="text",
            )
        uow.admin.save_category_tree(text, now, principal.username)
        uow.admin.clear_category_edits()
        uow.admin.bump_rules_version()
        uow.commit()
    return tree


def _has(tree: CategoryTree, code: str) -> bool:
    try:
        tree.minor(code)
    except (NotFound, InvalidInput):
        return False
    return True
