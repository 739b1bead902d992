"""civicgrid users: add, grant, token, revoke-token."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from civicgrid.cli.context import console, container, reports_errors
from civicgrid.domain.access import Role
from civicgrid.services import users as user_cases

app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)


@app.command("add")
@reports_errors
def add(
    username: Annotated[str, typer.Argument()],
    display_name: Annotated[str, typer.Option(help="Name shown to others")] = "",
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            show_default=False,  # the empty default would show as "Password []:"
            envvar="CIVICGRID_NEW_PASSWORD",
        ),
    ] = "",
) -> None:
    """Create a user; the password is hashed with argon2id."""
    with container() as c:
        user_cases.add_user(
            c.uow(), c.hasher, username, password, now=c.clock(), display_name=display_name
        )
        console.print(f"user {username} added")


@app.command("grant")
@reports_errors
def grant(
    username: Annotated[str, typer.Argument()],
    role: Annotated[Role, typer.Argument(case_sensitive=False)],
    area_code: Annotated[str, typer.Argument()],
    department: Annotated[str, typer.Option(help="For department handlers")] = "",
) -> None:
    """Give USERNAME a ROLE scoped to the subtree of AREA_CODE."""
    with container() as c:
        given = user_cases.grant_role(
            c.uow(), username, role, area_code, now=c.clock(), department=department
        )
        console.print(
            f"{username} is {given.role.value} ({given.role.name_zh}) at {given.area_code}"
        )


@app.command("token")
@reports_errors
def token(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="A label to revoke it by")] = "default",
) -> None:
    """Create an API token; it is printed once and stored only as a digest."""
    with container() as c:
        issued = user_cases.create_token(c.uow(), username, name, now=c.clock())
        typer.echo(issued.token)


@app.command("revoke-token")
@reports_errors
def revoke_token(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option()] = "default",
) -> None:
    """Revoke a user's API token by its label."""
    with container() as c:
        user_cases.revoke_token(c.uow(), username, name, now=c.clock())
        console.print(f"token {escape(name)} of {username} revoked")
