"""Alembic commands on a connection the caller opened (and whose transaction it owns).

The script location is this package's own folder, so it works from an installed package and
from any working directory; there is no alembic.ini.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.exc import SAWarning

from shared.migrations.verify import SchemaMismatchError, schema_problems

logger = logging.getLogger("ironclad.migrations")

HERE = Path(__file__).resolve().parent


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for this package; env.py runs on `connection`."""
    settings = Config()
    settings.set_main_option("script_location", str(HERE))
    # vNNNN_<message>.py, revision id NNNN: the files sort in the order they apply.
    settings.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    settings.attributes["connection"] = connection
    return settings


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def head() -> str:
    revision = scripts().get_current_head()
    assert revision is not None, "shared/migrations/versions has no revision"
    return revision


def current(connection: Connection) -> str | None:
    """The revision the database is at; None when it has none (empty, or from before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def _unversioned_release(connection: Connection) -> str | None:
    """The revision an unversioned database of this service's tables matches, or None if empty.

    Releases before migrations created their tables themselves and kept no version. The first
    created `category` and `task`; the second added columns to `task` (its `version` among them,
    by hand with the SQL in specs/tasks.md) and created the other tables at start-up.
    """
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    second = {"task", "category", "taskTag", "idempotencyKey", "conversation", "message"}
    if not tables & second:
        return None
    if "task" in tables and "category" in tables:
        columns = {c["name"] for c in inspector.get_columns("task")}
        if "version" not in columns:
            return "0001"
        if second <= tables:
            return "0002"
    raise SchemaMismatchError(
        "database has some of this service's tables but no migration history, and they are "
        "not what a release created: " + "; ".join(schema_problems(connection))
    )


def upgrade(connection: Connection) -> None:
    """Apply every pending revision; a database from before migrations is stamped first."""
    settings = config(connection)
    if current(connection) is None:
        release = _unversioned_release(connection)
        if release is not None:
            logger.info("database predates migrations; it matches revision %s", release)
            command.stamp(settings, release)
    with warnings.catch_warnings():
        # Batch mode on SQLite reflects the tables it copies, and SQLite cannot reflect the
        # lower(name) indexes; they are not on a table any revision copies, so nothing is lost.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        command.upgrade(settings, "head")


def downgrade(connection: Connection, target: str) -> None:
    command.downgrade(config(connection), target)


def revision(connection: Connection, message: str) -> Path:
    """Write a new revision from the difference between the models and `connection` at head."""
    number = int(head()) + 1
    script = command.revision(
        config(connection), message=message, autogenerate=True, rev_id=f"{number:04d}"
    )
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
