"""`python -m shared.migrations`: apply, show, write and undo schema revisions by hand.

It uses the same database as the server (`DATABASE_URL`, or the embedded SQLite default).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.config import ConfigError
from shared.database import dispose_engine, get_engine
from shared.migrations import fingerprint, runner
from shared.migrations.startup import (
    bring_up_to_date,
    create_missing_better_auth_tables,
    lock_schema,
)
from shared.migrations.verify import SchemaMismatchError


async def _current() -> str | None:
    async with get_engine().connect() as connection:
        return await connection.run_sync(runner.current)


async def upgrade(args: argparse.Namespace) -> str:
    before = await _current()
    await bring_up_to_date(get_engine(), force=True)
    return f"database was at revision {before}, is at {await _current()} (head), fits the models"


async def current(args: argparse.Namespace) -> str:
    revision = await _current()
    async with get_engine().connect() as connection:
        stored = await connection.run_sync(fingerprint.stored)
    if revision is None:
        return "database has no revision yet: `upgrade` (or the next start) migrates it"
    state = "checked" if stored == fingerprint.expected() else "not yet checked by this code"
    return f"database is at revision {revision}; head is {runner.head()}; schema {state}"


async def history(args: argparse.Namespace) -> str:
    at = await _current()
    lines = []
    for script in reversed(list(runner.scripts().walk_revisions())):
        marker = "  <- database" if script.revision == at else ""
        lines.append(f"{script.revision}  {script.doc.splitlines()[0]}{marker}")
    return "\n".join(lines)


async def downgrade(args: argparse.Namespace) -> str:
    known = [script.revision for script in runner.scripts().walk_revisions()]
    if args.revision not in known:
        # Not "base": the first revision holds every task and is never undone by a migration.
        raise SystemExit(f"downgrade to one of the revisions: {', '.join(sorted(known))}")
    if not args.yes:
        raise SystemExit(
            f"downgrading to {args.revision} drops what the later revisions added, data "
            "included; stop the servers, back the database up, and run again with --yes"
        )

    def undo(connection: Connection) -> None:
        runner.downgrade(connection, args.revision)
        # The code's models no longer fit: the next start must check in full, and refuse.
        fingerprint.store(connection, None)

    before = await _current()
    async with get_engine().begin() as connection:
        await lock_schema(connection)
        await connection.run_sync(undo)
    return f"database was at revision {before}, is at {await _current()}"


async def revision(args: argparse.Namespace) -> str:
    """Autogenerate against a throwaway SQLite database at head: no setup, nothing touched."""

    def write(connection: Connection) -> Path:
        # Migrated to head but not verified: the models are ahead of it, which is the point.
        create_missing_better_auth_tables(connection)
        runner.upgrade(connection)
        return runner.revision(connection, args.message)

    with tempfile.TemporaryDirectory() as folder:
        engine = create_async_engine(f"sqlite+aiosqlite:///{Path(folder) / 'head.sqlite3'}")
        try:
            async with engine.begin() as connection:
                path = await connection.run_sync(write)
        finally:
            await engine.dispose()
    return f"wrote {path}: review it (upgrade and downgrade), then commit it with the model"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m shared.migrations", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="command")
    commands.add_parser(
        "upgrade", help="apply pending revisions and verify the models (as start-up does)"
    ).set_defaults(run=upgrade)
    commands.add_parser("current", help="the database's revision").set_defaults(run=current)
    commands.add_parser("history", help="every revision, oldest first").set_defaults(run=history)
    down = commands.add_parser("downgrade", help="undo revisions down to REVISION (loses data)")
    down.add_argument("revision", help="the revision to go back to, e.g. 0001")
    down.add_argument("--yes", action="store_true", help="yes, drop what is undone")
    down.set_defaults(run=downgrade)
    new = commands.add_parser("revision", help="write a new revision from the models' changes")
    new.add_argument("-m", "--message", required=True, help='what changed, e.g. "task colour"')
    new.set_defaults(run=revision)
    return parser


async def _run(args: argparse.Namespace) -> str:
    try:
        result: str = await args.run(args)
        return result
    finally:
        await dispose_engine()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        print(asyncio.run(_run(args)))
    except (ConfigError, SchemaMismatchError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
