"""Better Auth password hashes: the library's own vectors verify, and ours round-trip."""

from typing import Any

import pytest
from conftest import VECTORS

from shared.passwords import hash_password, verify_password


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    return VECTORS


def _stored_hash(vectors: dict[str, Any], user_id: str) -> str:
    account = next(a for a in vectors["rows"]["account"] if a["userId"] == user_id)
    assert account["providerId"] == "credential"
    stored: str = account["password"]
    return stored


@pytest.mark.parametrize("index", [0, 1])
def test_vector_passwords_verify(vectors: dict[str, Any], index: int) -> None:
    user = vectors["users"][index]
    stored = _stored_hash(vectors, user["user"]["id"])
    assert verify_password(user["password"], stored)


@pytest.mark.parametrize("index", [0, 1])
def test_vector_wrong_password_fails(vectors: dict[str, Any], index: int) -> None:
    user = vectors["users"][index]
    stored = _stored_hash(vectors, user["user"]["id"])
    assert not verify_password(user["password"] + "x", stored)
    assert not verify_password("", stored)
    other = vectors["users"][1 - index]["password"]
    assert not verify_password(other, stored)


def test_fresh_hash_round_trips() -> None:
    stored = hash_password("pässwörd ﬁ")
    salt_hex, key_hex = stored.split(":")
    assert len(salt_hex) == 32 and len(key_hex) == 128
    assert verify_password("pässwörd ﬁ", stored)
    # NFKC folds the "ﬁ" ligature to "fi", as Better Auth does before hashing.
    assert verify_password("pässwörd fi", stored)
    assert not verify_password("pässwörd f", stored)


def test_salts_are_random() -> None:
    assert hash_password("same") != hash_password("same")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        ":",
        "nocolon",
        "4e04f20d8510b633d8624c970c686892:",
        ":" + "ab" * 64,
        "4e04f20d8510b633d8624c970c686892:" + "ab" * 63,
        "4e04f20d8510b633d8624c970c686892:" + "zz" * 64,
        "not-hex-salt:" + "ab" * 64,
        "4e04f20d8510b633d8624c970c686892:" + "ab" * 64 + ":extra",
        "ä" * 32 + ":" + "ab" * 64,
        "a" * 10_000 + ":" + "ab" * 64,
        "４e04f20d8510b633d8624c970c686892:" + "ab" * 64,
    ],
)
def test_malformed_stored_values_are_false(stored: str) -> None:
    assert verify_password("correct-horse-9", stored) is False


def test_non_string_inputs_are_false() -> None:
    stored = hash_password("pw")
    assert verify_password(None, stored) is False  # type: ignore[arg-type]
    assert verify_password("pw", None) is False  # type: ignore[arg-type]
    assert verify_password("pw", stored.encode()) is False  # type: ignore[arg-type]


def test_unencodable_password_is_false() -> None:
    assert verify_password("\ud800", hash_password("pw")) is False
