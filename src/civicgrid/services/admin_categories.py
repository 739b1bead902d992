"""Editing the category tree's minor classes: limits, conditions, department, duplicates.

The edits are stored over the file's tree; the case rules in force merge them, so a
case reported after an edit runs by it (cases already in a stage keep their deadline
until their next step).
"""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.cases.categories import CategoryTree
from civicgrid.domain.cases.categories.edits import CategoryEdit, apply_edits, edit_problems
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.services.admin_ports import AdminUnitOfWork, StoredEdit
from civicgrid.services.admin_users import check_administrator


def list_category_edits(uow: AdminUnitOfWork, principal: Principal) -> dict[str, StoredEdit]:
    """The stored edits by minor class key."""
    check_administrator(principal)
    with uow:
        return {stored.edit.key: stored for stored in uow.admin.category_edits()}


def edit_category(
    uow: AdminUnitOfWork,
    principal: Principal,
    file_tree: CategoryTree,
    edit: CategoryEdit,
    *,
    now: datetime,
) -> None:
    """Stores `edit` after checking it against the tree it will be merged into."""
    check_administrator(principal)
    file_tree.minor(edit.key)  # NotFound for a class the tree does not have
    if problems := edit_problems(file_tree, edit):
        field, message = problems[0]
        raise InvalidInput(f"{field} {message}", field=field)
    with uow:
        others = [s.edit for s in uow.admin.category_edits() if s.edit.key != edit.key]
        apply_edits(file_tree, [*others, edit])  # the merged tree must still hold together
        uow.admin.save_category_edit(edit, now, principal.username)
        uow.admin.bump_rules_version()
        uow.commit()


def reset_category(uow: AdminUnitOfWork, principal: Principal, key: str) -> None:
    """Drops the edit of a class: the file's values apply again."""
    check_administrator(principal)
    with uow:
        if not uow.admin.drop_category_edit(key):
            raise NotFound(f"the class {key} has no edit", field="key")
        uow.admin.bump_rules_version()
        uow.commit()
