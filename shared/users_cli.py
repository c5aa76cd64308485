"""Create local users and sessions the way Better Auth does, list them, and revoke them.

    python -m shared.users_cli create --email ada@example.com --name "Ada"   # asks for a password
    python -m shared.users_cli sign-in --email ada@example.com              # a new session
    python -m shared.users_cli sessions --email ada@example.com
    python -m shared.users_cli revoke --email ada@example.com --all

It uses the app's own settings (DATABASE_URL or the embedded SQLite database, and
BETTER_AUTH_SECRET), so the credentials it prints work against the running API at once.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from shared import clock
from shared.config import ConfigError, get_settings
from shared.database import SchemaMismatchError, dispose_engine, ensure_schema, session_scope
from shared.errors import ApiError
from shared.middleware import is_database_down
from shared.models import Session, User
from shared.users import service

USER_AGENT = "ironclad-todo users_cli"
Command = Callable[[argparse.Namespace], Awaitable[dict[str, Any]]]


def _read_password(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.password is not None:
        password: str = args.password
        return password
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Repeat it: ") != password:
        raise ApiError("The passwords do not match.")
    return password


def _user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name}


def _session_json(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "createdAt": session.created_at.isoformat(),
        "expiresAt": session.expires_at.isoformat(),
        "active": session.expires_at > clock.utcnow(),
        "userAgent": session.user_agent,
    }


def _credentials_json(user: User, session: Session) -> dict[str, Any]:
    credentials = service.session_credentials(session.token, get_settings())
    return {
        "user": _user_json(user),
        "session": _session_json(session),
        "token": credentials.token,
        "bearer": credentials.bearer,
        "cookie": credentials.cookie,
    }


async def create(args: argparse.Namespace) -> dict[str, Any]:
    """Create a user with a password, and a first session."""
    password = _read_password(args, confirm=True)
    async with session_scope() as db:
        user = await service.create_user(db, email=args.email, name=args.name, password=password)
        session = await service.create_session(db, user_id=user.id, user_agent=USER_AGENT)
    return _credentials_json(user, session)


async def sign_in(args: argparse.Namespace) -> dict[str, Any]:
    """Check an existing user's password and open a new session, as signing in does."""
    password = _read_password(args, confirm=False)
    async with session_scope() as db:
        user = await service.check_password(db, email=args.email, password=password)
        session = await service.create_session(db, user_id=user.id, user_agent=USER_AGENT)
    return _credentials_json(user, session)


async def sessions(args: argparse.Namespace) -> dict[str, Any]:
    """List a user's sessions (ids, not tokens: a listing should not hand out credentials)."""
    async with session_scope() as db:
        user = await service.get_user_by_email(db, email=args.email)
        found = await service.list_sessions(db, user_id=user.id)
    return {"user": _user_json(user), "sessions": [_session_json(s) for s in found]}


async def revoke(args: argparse.Namespace) -> dict[str, Any]:
    """Delete all of a user's sessions, or the one named by token or id."""
    async with session_scope() as db:
        user = await service.get_user_by_email(db, email=args.email)
        count = await service.revoke_sessions(
            db, user_id=user.id, token=args.token, session_id=args.session_id
        )
    return {"user": _user_json(user), "revoked": count}


def _print_human(result: dict[str, Any]) -> None:
    user = result["user"]
    print(f"User {user['name']} <{user['email']}>  id {user['id']}")
    if "bearer" in result:
        session = result["session"]
        print(f"Session {session['id']}, expires {session['expiresAt']}")
        print()
        print("Bearer token   (Authorization: Bearer <value>):")
        print(f"  {result['bearer']}")
        print("Cookie         (Cookie: <value>):")
        print(f"  {result['cookie']}")
        print("Session token  (raw; also accepted as a bearer token):")
        print(f"  {result['token']}")
    elif "sessions" in result:
        if not result["sessions"]:
            print("No sessions.")
        for session in result["sessions"]:
            state = "active " if session["active"] else "expired"
            print(
                f"  {session['id']}  {state}  created {session['createdAt']}  "
                f"expires {session['expiresAt']}  {session['userAgent'] or '-'}"
            )
    else:
        print(f"Revoked {result['revoked']} session(s).")


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per action."""
    parser = argparse.ArgumentParser(
        prog="python -m shared.users_cli",
        description="Local users and sessions, stored exactly as Better Auth stores them.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, run: Command, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(run=run)
        command.add_argument("--email", required=True)
        command.add_argument("--json", action="store_true", help="print the result as JSON")
        return command

    password_help = "the password (read from the terminal or stdin when left out)"
    created = add("create", create, "create a user and print a session's credentials")
    created.add_argument("--name", required=True)
    created.add_argument("--password", help=password_help)
    signed_in = add("sign-in", sign_in, "open a new session for a user and print it")
    signed_in.add_argument("--password", help=password_help)
    add("sessions", sessions, "list a user's sessions")
    revoked = add("revoke", revoke, "end a user's sessions (signing them out)")
    which = revoked.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every session of the user")
    which.add_argument("--token", help="the session with this token (raw, bearer or cookie)")
    which.add_argument("--session-id", help="the session with this id (from `sessions`)")
    return parser


async def _run(run: Command, args: argparse.Namespace) -> dict[str, Any]:
    try:
        await ensure_schema()
        return await run(args)
    finally:
        await dispose_engine()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 on success, 1 when it could not be done (the reason on stderr)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        result = asyncio.run(_run(args.run, args))
    except ApiError as error:
        reasons = "".join(f"\n  {d['field']}: {d['message']}" for d in error.details)
        print(f"error: {error.message}{reasons}", file=sys.stderr)
        return 1
    except (ConfigError, SchemaMismatchError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        if not is_database_down(error):
            raise
        print(f"error: the database cannot be reached: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print_human(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
