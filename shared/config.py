"""Settings read from the environment, once per process."""

from __future__ import annotations

import errno
import logging
import os
import secrets
import stat
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger("ironclad.config")

DEFAULT_SQLITE_PATH = Path("data") / "ironclad.sqlite3"
DEFAULT_BETTER_AUTH_URL = "http://localhost:3000"
# Better Auth itself refuses shorter secrets in production; a short one is guessable offline
# from any signed cookie.
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The environment cannot run the service as configured."""


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment."""

    database_url: str | None
    sqlite_path: Path
    database_nullpool: bool
    database_pool_size: int
    better_auth_secret: str
    better_auth_url: str
    jwks_url: str | None
    cors_origins: tuple[str, ...]
    max_body_bytes: int

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def trusted_origins(self) -> tuple[str, ...]:
        """Origins allowed to make cookie-authenticated changes: the dashboard and Better Auth.

        Better Auth always trusts its own base URL, so a change it would accept is accepted here.
        """
        return tuple(dict.fromkeys((*self.cors_origins, self.better_auth_url)))


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _origin(value: str, name: str) -> str:
    """`value` as a browser would send it in `Origin` (scheme://host[:port]), else ConfigError."""
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or port == -1
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ConfigError(
            f"{name} entry {value!r} is not an origin: give scheme://host[:port], "
            "e.g. https://app.example.com, without a path"
        )
    return value


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    if "*" in origins:
        # A wildcard cannot be combined with credentialed CORS, and every request here is
        # credentialed; refusing is safer than silently reflecting any origin.
        raise ConfigError("CORS_ORIGINS may not contain '*': list the dashboard origins instead")
    return tuple(_origin(o, "CORS_ORIGINS") for o in origins)


def _pool_size(raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"DATABASE_POOL_SIZE must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _prepare_embedded_database(sqlite_path: Path) -> None:
    """Create the SQLite file, and its directory if missing, private to this user (0600/0700).

    The file holds session tokens, which work as bearer tokens. SQLite gives its journal and
    WAL files the database file's mode, so they are private too. A file left readable by an
    earlier version is made private.
    """
    try:
        sqlite_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(sqlite_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            status = os.fstat(descriptor)
            if status.st_uid == os.geteuid() and status.st_mode & 0o077:
                os.fchmod(descriptor, 0o600)
                logger.warning("made the embedded database %s private (mode 0600)", sqlite_path)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise ConfigError(
            f"cannot create the embedded database {sqlite_path}: {error.strerror}; "
            "set SQLITE_PATH to a writable place"
        ) from error


def _development_secret(sqlite_path: Path) -> str:
    """A secret for the embedded database, kept beside it so sessions survive a restart.

    The file is created private in one step (never readable by others, even for an instant);
    an existing one is trusted only if this user owns it and nobody else can read or write it,
    since whoever knows or chose the secret can forge any session.
    """
    secret_file = sqlite_path.with_name(sqlite_path.name + ".secret")
    try:
        descriptor = os.open(
            secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600
        )
    except FileExistsError:
        return _read_secret_file(secret_file)
    except OSError as error:
        raise ConfigError(
            f"cannot create the development secret file {secret_file}: {error.strerror}"
        ) from error
    secret = secrets.token_urlsafe(32)
    with os.fdopen(descriptor, "w") as file:
        file.write(secret)
    logger.warning(
        "BETTER_AUTH_SECRET is not set: generated a development secret for the embedded "
        "database and kept it in %s (readable only by this user)",
        secret_file,
    )
    return secret


def _read_secret_file(secret_file: Path) -> str:
    """The secret in an existing file, or ConfigError saying why it cannot be trusted."""
    advice = f"delete {secret_file} to generate a new one, or set BETTER_AUTH_SECRET"
    # Another process may have just created it and not yet written the secret.
    for _ in range(20):
        try:
            descriptor = os.open(secret_file, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise ConfigError(
                    f"the development secret file {secret_file} is a symbolic link: {advice}"
                ) from error
            raise ConfigError(
                f"cannot read the development secret file {secret_file}: {error.strerror}"
            ) from error
        with os.fdopen(descriptor) as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise ConfigError(
                    f"the development secret file {secret_file} is not a regular file: {advice}"
                )
            if status.st_uid != os.geteuid():
                raise ConfigError(
                    f"the development secret file {secret_file} belongs to user id "
                    f"{status.st_uid}, not to this service's user ({os.geteuid()}), so someone "
                    f"else may know it: {advice}"
                )
            if status.st_mode & 0o077:
                raise ConfigError(
                    f"the development secret file {secret_file} is open to other users (mode "
                    f"{stat.S_IMODE(status.st_mode):04o}): run chmod 600 {secret_file}, or "
                    f"{advice}"
                )
            secret = file.read().strip()
        if secret:
            return secret
        time.sleep(0.05)
    raise ConfigError(f"the development secret file {secret_file} is empty: {advice}")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings; raise ConfigError when they cannot run the service."""
    database_url = os.environ.get("DATABASE_URL", "").strip() or None
    sqlite_path = Path(os.environ.get("SQLITE_PATH", str(DEFAULT_SQLITE_PATH)))
    secret = os.environ.get("BETTER_AUTH_SECRET", "").strip()
    if database_url is None:
        _prepare_embedded_database(sqlite_path)
    if not secret:
        if database_url is not None:
            raise ConfigError(
                "BETTER_AUTH_SECRET is not set: it must be the same secret the Better Auth "
                "front end uses, or no signed session cookie can be verified"
            )
        secret = _development_secret(sqlite_path)
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"BETTER_AUTH_SECRET is {len(secret)} characters long: it must have at least "
            f"{MIN_SECRET_LENGTH} (e.g. `openssl rand -base64 32`), as Better Auth requires"
        )
    auth_url = os.environ.get("BETTER_AUTH_URL", "").strip().rstrip("/")
    if not auth_url:
        if database_url is not None:
            # A wrong issuer would reject every JWT in production with nothing saying why.
            raise ConfigError(
                "BETTER_AUTH_URL is not set: it must be the Better Auth front end's base URL "
                "(JWTs are checked against it), e.g. https://app.example.com"
            )
        auth_url = DEFAULT_BETTER_AUTH_URL
    return Settings(
        database_url=database_url,
        sqlite_path=sqlite_path,
        database_nullpool=_flag("DATABASE_NULLPOOL"),
        database_pool_size=_pool_size(os.environ.get("DATABASE_POOL_SIZE", "10").strip()),
        better_auth_secret=secret,
        better_auth_url=auth_url,
        jwks_url=os.environ.get("BETTER_AUTH_JWKS_URL", "").strip() or None,
        # Unset or empty: the dashboard is served from the auth server's origin.
        cors_origins=_origins(os.environ.get("CORS_ORIGINS", "").strip() or auth_url),
        max_body_bytes=int(os.environ.get("MAX_BODY_BYTES", str(1024 * 1024))),
    )
