"""Accounts, API tokens and the audit log: ``registry user``, ``registry token``, ``registry audit``."""

from __future__ import annotations

import sys

import click

from app.accounts import services
from app.cli import cli, emit_json, handle_errors, json_option
from app.extensions import db, engine
from app.registry import audit
from app.registry.db import write_session


@cli.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "editor", "viewer"]), required=True)
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, help="For editors: where they may write")
@click.option(
    "--password", envvar="REGISTRY_USER_PASSWORD", default=None, help="Sign-in password (env REGISTRY_USER_PASSWORD)"
)
@handle_errors
def user_add(name: str, role: str, jurisdictions: tuple[str, ...], password: str | None) -> None:
    """Add an account."""
    with write_session(engine()) as s:
        services.add_user(s, name, role, list(jurisdictions), password)
    click.echo(
        f"user {name} added ({role}{': ' + ', '.join(j.upper() for j in jurisdictions) if jurisdictions else ''})"
    )


@user_group.command("disable")
@click.argument("name")
@handle_errors
def user_disable(name: str) -> None:
    """Disable an account (its tokens stop working)."""
    with write_session(engine()) as s:
        services.disable_user(s, name)
    click.echo(f"user {name} disabled")


@user_group.command("rights")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "editor", "viewer"]), required=True)
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, help="For editors: where they may write")
@handle_errors
def user_rights(name: str, role: str, jurisdictions: tuple[str, ...]) -> None:
    """Change an account's role and jurisdictions (its sessions end and its tokens are revoked)."""
    with write_session(engine()) as s:
        services.set_rights(s, name, role, list(jurisdictions))
    click.echo(f"user {name} is now {role}; signed out everywhere and tokens revoked")


@user_group.command("signout")
@click.argument("name")
@handle_errors
def user_signout(name: str) -> None:
    """End every web session of an account (its tokens stay valid)."""
    with write_session(engine()) as s:
        n = services.end_sessions(s, name)
    click.echo(f"user {name}: {n} session(s) ended")


@cli.group("token")
def token_group() -> None:
    """Manage API tokens."""


@token_group.command("create")
@click.argument("name")
@json_option
@handle_errors
def token_create(name: str, as_json: bool) -> None:
    """Create a token for user NAME; the token is printed once."""
    with write_session(engine()) as s:
        token_id, token = services.create_token(s, name)
    if as_json:
        emit_json({"token_id": token_id, "token": token})
    else:
        click.echo(f"token id: {token_id}")
        click.echo(f"token (shown once): {token}")


@token_group.command("revoke")
@click.argument("token_id")
@handle_errors
def token_revoke(token_id: str) -> None:
    """Revoke a token by its id."""
    with write_session(engine()) as s:
        services.revoke_token(s, token_id)
    click.echo(f"token {token_id} revoked")


@cli.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@json_option
@handle_errors
def audit_verify(as_json: bool) -> None:
    """Check the audit log's hash chain."""
    n, problems = audit.verify(db())
    if as_json:
        emit_json({"rows": n, "ok": not problems, "problems": problems})
    else:
        for p in problems:
            click.echo(p, err=True)
        click.echo(f"audit log: {n} rows, " + ("chain intact" if not problems else f"{len(problems)} problems"))
    if problems:
        sys.exit(1)
