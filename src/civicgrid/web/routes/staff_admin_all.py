"""Every /staff/admin router, for mount.py to include in one go."""

from __future__ import annotations

from civicgrid.web.routes import (
    staff_admin,
    staff_admin_calendar,
    staff_admin_categories,
    staff_admin_category_tree,
    staff_admin_rules,
    staff_admin_template_edit,
    staff_admin_templates,
)

ROUTERS = (
    staff_admin.router,
    staff_admin_category_tree.router,  # before categories: its /{key} would take /tree
    staff_admin_categories.router,
    staff_admin_calendar.router,
    staff_admin_templates.router,
    staff_admin_template_edit.router,
    staff_admin_rules.router,
)
