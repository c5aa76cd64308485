"""The embedded default's secrets: a private database file, a private secret file made in one step,
a pre-existing secret file trusted only when it is this user's alone, and a log without secrets.

Each start-up runs `python -m functions` or the user CLI as a real process, with umask 0 so that
any mode not set at creation would show.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from service_process import env_without_settings

REPO = Path(__file__).resolve().parents[2]
SECRET = "a-development-secret-of-enough-length-0123456789"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _embedded_env(sqlite_path: Path) -> dict[str, str]:
    env = env_without_settings(sqlite_path)
    # Refused settings stop start-up before it listens; a good one would serve, so never let it.
    env["PORT"] = "not-a-port"
    return env


def _start(sqlite_path: Path) -> subprocess.CompletedProcess[str]:
    """Start the server on the embedded default; it stops at the deliberately bad PORT."""
    return subprocess.run(
        [sys.executable, "-m", "functions"],
        cwd=REPO,
        env=_embedded_env(sqlite_path),
        capture_output=True,
        text=True,
        timeout=60,
        umask=0,
    )


def _configuration_error(completed: subprocess.CompletedProcess[str]) -> str:
    assert completed.returncode == 1, completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("ironclad-todo: configuration error:")
    return lines[0]


def test_a_first_run_makes_the_database_directory_file_and_secret_private(tmp_path: Path) -> None:
    sqlite_path = tmp_path / "data" / "todo.sqlite3"
    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "shared.users_cli",
            "create",
            "--email",
            "ada@example.com",
            "--name",
            "Ada",
            "--password",
            "a long enough password",
            "--json",
        ],
        cwd=REPO,
        env=_embedded_env(sqlite_path),
        capture_output=True,
        text=True,
        timeout=60,
        umask=0,
    )
    assert created.returncode == 0, created.stderr
    assert _mode(sqlite_path.parent) == 0o700
    assert _mode(sqlite_path) == 0o600
    secret_file = sqlite_path.with_name("todo.sqlite3.secret")
    assert _mode(secret_file) == 0o600
    # Whatever SQLite keeps beside the database (journal, WAL) is as private as the database.
    for side_file in sqlite_path.parent.iterdir():
        assert _mode(side_file) == 0o600, side_file
    secret = secret_file.read_text()
    assert len(secret) >= 32
    # The log says where the secret is, never what it is.
    assert str(secret_file) in created.stderr
    assert secret not in created.stderr + created.stdout


def test_a_database_file_left_readable_by_others_is_made_private(tmp_path: Path) -> None:
    sqlite_path = tmp_path / "todo.sqlite3"
    sqlite_path.touch(mode=0o644)
    sqlite_path.chmod(0o644)
    _configuration_error(_start(sqlite_path))  # stopped only by the bad PORT
    assert _mode(sqlite_path) == 0o600


def test_an_existing_private_secret_file_is_used(tmp_path: Path) -> None:
    sqlite_path = tmp_path / "todo.sqlite3"
    secret_file = tmp_path / "todo.sqlite3.secret"
    secret_file.write_text(SECRET + "\n")
    secret_file.chmod(0o600)
    script = "from shared.config import get_settings; print(get_settings().better_auth_secret)"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=_embedded_env(sqlite_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == SECRET
    assert SECRET not in completed.stderr


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o602])
def test_a_secret_file_others_can_read_or_write_stops_start_up(tmp_path: Path, mode: int) -> None:
    sqlite_path = tmp_path / "todo.sqlite3"
    secret_file = tmp_path / "todo.sqlite3.secret"
    secret_file.write_text(SECRET)
    secret_file.chmod(mode)
    line = _configuration_error(_start(sqlite_path))
    assert line == (
        f"ironclad-todo: configuration error: the development secret file {secret_file} is "
        f"open to other users (mode {mode:04o}): run chmod 600 {secret_file}, or delete "
        f"{secret_file} to generate a new one, or set BETTER_AUTH_SECRET"
    )
    assert SECRET not in line


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_secret_file_owned_by_someone_else_stops_start_up(tmp_path: Path) -> None:
    sqlite_path = tmp_path / "todo.sqlite3"
    secret_file = tmp_path / "todo.sqlite3.secret"
    secret_file.write_text(SECRET)
    secret_file.chmod(0o600)
    os.chown(secret_file, 65534, 65534)
    line = _configuration_error(_start(sqlite_path))
    assert line == (
        f"ironclad-todo: configuration error: the development secret file {secret_file} "
        f"belongs to user id 65534, not to this service's user ({os.geteuid()}), so someone "
        f"else may know it: delete {secret_file} to generate a new one, or set "
        "BETTER_AUTH_SECRET"
    )


def test_a_secret_file_that_is_a_symbolic_link_stops_start_up(tmp_path: Path) -> None:
    sqlite_path = tmp_path / "todo.sqlite3"
    target = tmp_path / "elsewhere"
    target.write_text(SECRET)
    target.chmod(0o600)
    secret_file = tmp_path / "todo.sqlite3.secret"
    secret_file.symlink_to(target)
    line = _configuration_error(_start(sqlite_path))
    assert f"the development secret file {secret_file} is a symbolic link" in line


def test_an_empty_secret_file_stops_start_up(tmp_path: Path) -> None:
    sqlite_path = tmp_path / "todo.sqlite3"
    secret_file = tmp_path / "todo.sqlite3.secret"
    secret_file.touch(mode=0o600)
    line = _configuration_error(_start(sqlite_path))
    assert f"the development secret file {secret_file} is empty" in line
