"""Schema migrations (Alembic) for this service's own tables, applied at start-up.

Start-up (`shared.database.ensure_schema`) asks `schema_is_current()` in one SELECT and runs
`bring_up_to_date(engine)` when the answer is no; `python -m shared.migrations` applies,
shows, writes and undoes revisions by hand. Better Auth's tables belong to Better Auth: they
are verified, never migrated.
"""

from shared.migrations.startup import (
    SCHEMA_LOCK_ID,
    bring_up_to_date,
    migrate_and_verify,
    schema_is_current,
)
from shared.migrations.verify import SchemaMismatchError

__all__ = [
    "SCHEMA_LOCK_ID",
    "SchemaMismatchError",
    "bring_up_to_date",
    "migrate_and_verify",
    "schema_is_current",
]
