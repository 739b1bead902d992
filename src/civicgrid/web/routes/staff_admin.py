"""/staff/admin: the administration's index, and users with their area-scoped roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.responses import RedirectResponse, Response

from civicgrid.domain.access import Role
from civicgrid.domain.errors import DomainError, Forbidden, NotFound
from civicgrid.services import admin_users
from civicgrid.services.users import MIN_PASSWORD_LENGTH
from civicgrid.web.forms import Problem
from civicgrid.web.routes.staff_admin_forms import role_label, user_problem
from civicgrid.web.staff import StaffDep, StaffFormDep, StaffPage, StaffRoute

ADMIN_PATH = "/staff/admin"
USERS_PATH = f"{ADMIN_PATH}/users"

router = APIRouter(prefix=ADMIN_PATH, route_class=StaffRoute, include_in_schema=False)


@dataclass(frozen=True, slots=True)
class GrantFields:
    """What a grant's form and a revocation's button post: the role, where, and for a
    department handler which department."""

    role: str
    area_code: str
    department: str


def grant_fields(
    role: Annotated[str, Form(max_length=40)] = "",
    area_code: Annotated[str, Form(max_length=40)] = "",
    department: Annotated[str, Form(max_length=100)] = "",
) -> GrantFields:
    return GrantFields(role, area_code, department)


GrantDep = Annotated[GrantFields, Depends(grant_fields)]


@router.get("")
def admin_index(staff: StaffDep) -> Response:
    admin_users.check_administrator(staff.principal)
    return staff.render("staff/admin/index.html")


def _users_page(
    staff: StaffPage,
    *,
    starting: str = "",
    form: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    c = staff.page.container
    found = admin_users.list_users(c.admin_uow(), staff.principal, starting=starting)
    return staff.render(
        "staff/admin/users.html",
        {
            "users": found,
            "starting": starting,
            "limit": admin_users.LIST_LIMIT,
            "form": {"username": "", "display_name": ""} | (form or {}),
            "problems": problems or [],
            "role_label": role_label,
            "min_password": MIN_PASSWORD_LENGTH,
        },
        status=status,
    )


@router.get("/users")
def users_list(staff: StaffDep, q: str = "") -> Response:
    return _users_page(staff, starting=q[:64])


@router.post("/users")
def user_add(
    staff: StaffFormDep,
    username: Annotated[str, Form(max_length=100)] = "",
    display_name: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    password_again: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    admin_users.check_administrator(staff.principal)
    form = {"username": username.strip(), "display_name": display_name.strip()}
    _ = staff.page.gettext
    if password != password_again:
        problem = Problem("password_again", _("The two passwords differ."))
        return _users_page(staff, form=form, problems=[problem], status=422)
    c = staff.page.container
    try:
        admin_users.add_user(
            c.admin_uow(),
            staff.principal,
            c.hasher,
            form["username"],
            password,
            now=c.clock(),
            display_name=form["display_name"],
        )
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        problem = user_problem(staff.page, error)
        return _users_page(staff, form=form, problems=[problem], status=422)
    return RedirectResponse(f"{USERS_PATH}/{form['username']}", status_code=303)


def _user_page(
    staff: StaffPage,
    username: str,
    *,
    form: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    c = staff.page.container
    user = admin_users.get_user(c.admin_uow(), staff.principal, username)
    tree = c.rules.tree
    context: dict[str, Any] = {
        "user": user,
        "roles": list(Role),
        "role_label": role_label,
        "departments": tree.departments,
        "form": {"role": "", "area_code": "", "department": ""} | (form or {}),
        "problems": problems or [],
        "is_me": user.id == staff.principal.user_id,
    }
    return staff.render("staff/admin/user.html", context, status=status)


@router.get("/users/{username}")
def user_detail(staff: StaffDep, username: str) -> Response:
    return _user_page(staff, username[:64])


@router.post("/users/{username}/grants")
def user_grant(staff: StaffFormDep, username: str, grant: GrantDep) -> Response:
    role = grant.role
    area_code, department = grant.area_code.strip(), grant.department.strip()
    form = {"role": role, "area_code": area_code, "department": department}
    _ = staff.page.gettext
    if role not in {r.value for r in Role}:
        problem = Problem("role", _("Choose a role from the list."))
        return _user_page(staff, username, form=form, problems=[problem], status=422)
    c = staff.page.container
    try:
        admin_users.grant_role(
            c.admin_uow(),
            staff.principal,
            username,
            Role(role),
            form["area_code"],
            now=c.clock(),
            department=form["department"],
        )
    except Forbidden:
        raise
    except DomainError as error:
        if isinstance(error, NotFound) and error.field == "username":
            raise
        problem = user_problem(staff.page, error)
        return _user_page(staff, username, form=form, problems=[problem], status=422)
    return RedirectResponse(f"{USERS_PATH}/{username}", status_code=303)


@router.post("/users/{username}/revoke")
def user_revoke(staff: StaffFormDep, username: str, grant: GrantDep) -> Response:
    if grant.role not in {r.value for r in Role}:
        raise NotFound(f"no role {grant.role!r}", field="role")
    c = staff.page.container
    admin_users.revoke_role(
        c.admin_uow(),
        staff.principal,
        username,
        Role(grant.role),
        grant.area_code,
        grant.department,
    )
    return RedirectResponse(f"{USERS_PATH}/{username}", status_code=303)


@router.post("/users/{username}/deactivate")
def user_deactivate(staff: StaffFormDep, username: str) -> Response:
    c = staff.page.container
    admin_users.deactivate_user(c.admin_uow(), staff.principal, username, now=c.clock())
    return RedirectResponse(f"{USERS_PATH}/{username}", status_code=303)


@router.post("/users/{username}/reactivate")
def user_reactivate(staff: StaffFormDep, username: str) -> Response:
    c = staff.page.container
    admin_users.reactivate_user(c.admin_uow(), staff.principal, username)
    return RedirectResponse(f"{USERS_PATH}/{username}", status_code=303)
