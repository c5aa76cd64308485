"""The local users CLI: rows exactly like Better Auth's, credentials that work on the live API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import DASHBOARD_ORIGIN, VECTORS, run_db
from sqlalchemy import select

from shared.auth import sign_session_token
from shared.config import get_settings
from shared.database import session_scope
from shared.models import Account, Session, User
from shared.passwords import verify_password
from shared.users import service as users

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "cli-password-42"


# The CLI writes to and reads from the scratch database.
pytestmark = pytest.mark.usefixtures("scratch_database")


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m shared.users_cli` with this run's environment (scratch DB, secret)."""
    return subprocess.run(
        [sys.executable, "-m", "shared.users_cli", *args],
        cwd=REPO,
        env=os.environ.copy(),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=60,
    )


def cli_json(*args: str, stdin: str | None = None) -> dict[str, Any]:
    result = cli(*args, "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def new_email() -> str:
    return f"cli-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture(scope="module")
def created() -> dict[str, Any]:
    return cli_json("create", "--email", new_email(), "--name", "Cli User", "--password", PASSWORD)


def test_create_prints_credentials_in_better_auths_formats(created: dict[str, Any]) -> None:
    secret = get_settings().better_auth_secret
    token = created["token"]
    assert len(token) == 32 and token.isascii() and token.isalnum()
    assert len(created["user"]["id"]) == 32 and created["user"]["id"].isalnum()
    assert created["bearer"] == sign_session_token(token, secret)
    assert created["cookie"] == (
        "better-auth.session_token=" + quote(created["bearer"], safe="!~*'()")
    )


def test_credentials_match_the_vectors() -> None:
    for person in VECTORS["users"]:
        credentials = users.session_credentials(person["sessionToken"], get_settings())
        assert credentials.bearer == person["bearer"]
        assert credentials.cookie_name == person["cookieName"]
        assert credentials.cookie_value == person["cookieValue"]


def test_https_base_url_uses_the_secure_cookie_name() -> None:
    settings = replace(get_settings(), better_auth_url="https://app.example")
    secure = users.session_credentials("t" * 32, settings)
    assert secure.cookie.startswith("__Secure-better-auth.session_token=")


def test_rows_are_written_like_better_auths(created: dict[str, Any]) -> None:
    user_id = created["user"]["id"]

    async def load() -> tuple[User, list[Account], list[Session]]:
        async with session_scope() as db:
            user = await db.get(User, user_id)
            accounts = list(await db.scalars(select(Account).where(Account.user_id == user_id)))
            sessions = list(await db.scalars(select(Session).where(Session.user_id == user_id)))
        assert user is not None
        return user, accounts, sessions

    user, accounts, sessions = run_db(load)
    assert (user.name, user.email_verified, user.image) == ("Cli User", False, None)
    assert user.email == created["user"]["email"]
    [account] = accounts
    assert (account.provider_id, account.account_id) == ("credential", user_id)
    assert account.password is not None and verify_password(PASSWORD, account.password)
    assert not verify_password(PASSWORD + "x", account.password)
    assert len(account.id) == 32 and account.id.isalnum()
    [session] = sessions
    assert session.token == created["token"]
    assert session.expires_at - session.created_at == timedelta(days=7)


def test_printed_credentials_work_on_the_live_api(
    http: httpx.Client, created: dict[str, Any]
) -> None:
    user_id = created["user"]["id"]
    for headers in (
        {"Authorization": f"Bearer {created['bearer']}"},
        {"Authorization": f"Bearer {created['token']}"},
        {"Cookie": created["cookie"]},
    ):
        response = http.get("/api/me", headers=headers)
        assert response.status_code == 200
        assert response.json()["id"] == user_id
    response = http.post(
        f"/api/{user_id}/tasks",
        json={"title": "made with the CLI's cookie"},
        headers={"Cookie": created["cookie"], "Origin": DASHBOARD_ORIGIN},
    )
    assert response.status_code == 201


def test_human_output_names_each_credential() -> None:
    result = cli("create", "--email", new_email(), "--name", "Human", "--password", PASSWORD)
    assert result.returncode == 0, result.stderr
    for label in ("Bearer token", "Cookie", "Session token", "better-auth.session_token="):
        assert label in result.stdout


def test_password_from_stdin() -> None:
    email = new_email()
    cli_json("create", "--email", email, "--name", "Piped", stdin=PASSWORD + "\n")
    signed_in = cli_json("sign-in", "--email", email, stdin=PASSWORD + "\n")
    assert signed_in["user"]["email"] == email


def test_sign_in_sessions_and_revoke(http: httpx.Client) -> None:
    email = new_email()
    first = cli_json(
        "create", "--email", email.upper(), "--name", "Revoker", "--password", PASSWORD
    )
    assert first["user"]["email"] == email

    wrong = cli("sign-in", "--email", email, "--password", "not-the-password")
    assert wrong.returncode == 1 and "wrong" in wrong.stderr
    second = cli_json("sign-in", "--email", email, "--password", PASSWORD)
    third = cli_json("sign-in", "--email", email, "--password", PASSWORD)

    listed = cli_json("sessions", "--email", email)
    ids = [s["id"] for s in listed["sessions"]]
    assert sorted(ids) == sorted(r["session"]["id"] for r in (first, second, third))
    assert all(s["active"] for s in listed["sessions"])
    assert first["token"] not in json.dumps(listed)

    def status(result: dict[str, Any]) -> int:
        headers = {"Authorization": f"Bearer {result['bearer']}"}
        return http.get("/api/me", headers=headers).status_code

    assert cli_json("revoke", "--email", email, "--token", second["cookie"].split("=", 1)[1]) == {
        "user": first["user"],
        "revoked": 1,
    }
    assert [status(r) for r in (first, second, third)] == [200, 401, 200]
    by_id = cli_json("revoke", "--email", email, "--session-id", third["session"]["id"])
    assert by_id["revoked"] == 1
    assert [status(r) for r in (first, second, third)] == [200, 401, 401]
    assert cli_json("revoke", "--email", email, "--all")["revoked"] == 1
    assert status(first) == 401
    assert cli_json("sessions", "--email", email)["sessions"] == []


def test_failures_exit_1_with_a_reason(created: dict[str, Any]) -> None:
    duplicate = cli(
        "create", "--email", created["user"]["email"], "--name", "Again", "--password", PASSWORD
    )
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    invalid = cli("create", "--email", "not-an-email", "--name", " ", "--password", "short")
    assert invalid.returncode == 1
    for field in ("email", "name", "password"):
        assert f"{field}:" in invalid.stderr
    unknown = cli("sessions", "--email", new_email())
    assert unknown.returncode == 1 and "No user" in unknown.stderr
    usage = cli("revoke", "--email", created["user"]["email"])
    assert usage.returncode == 2
