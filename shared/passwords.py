"""Password hashing compatible with Better Auth's email-and-password credentials.

Better Auth stores ``salt_hex + ":" + key_hex`` in ``account.password`` where
``key = scrypt(NFKC(password), salt=salt_hex.encode(), N=16384, r=16, p=1, dkLen=64)``.
Note the salt fed to scrypt is the *hex text* of the salt, not its raw bytes:
that is what the library does, so we must do the same to interoperate.

scrypt with these parameters takes tens of milliseconds of CPU; call these
functions through ``asyncio.to_thread`` from async code.
"""

import hashlib
import hmac
import re
import secrets
import unicodedata

_N = 16384
_R = 16
_P = 1
_KEY_LEN = 64
_SALT_BYTES = 16
# scrypt needs 128 * N * r * p = 32 MiB; OpenSSL refuses unless maxmem exceeds that.
_MAXMEM = 64 * 1024 * 1024

_HEX = re.compile(r"[0-9a-fA-F]+")
# Bounds the work an oversized or corrupt stored value can cause.
_MAX_SALT_CHARS = 256


def _derive(password: str, salt_hex: str) -> bytes:
    return hashlib.scrypt(
        unicodedata.normalize("NFKC", password).encode("utf-8"),
        salt=salt_hex.encode("ascii"),
        n=_N,
        r=_R,
        p=_P,
        dklen=_KEY_LEN,
        maxmem=_MAXMEM,
    )


def hash_password(password: str) -> str:
    """Hash ``password`` the way Better Auth does, with a fresh random 16-byte salt.

    Returns ``"<32 hex salt>:<128 hex key>"``, ready for ``account.password``.
    """
    salt_hex = secrets.token_hex(_SALT_BYTES)
    return f"{salt_hex}:{_derive(password, salt_hex).hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Return True when ``password`` matches a Better Auth ``stored`` hash.

    Never raises: a malformed ``stored`` value (or non-string input) is simply
    a mismatch. The key comparison is constant-time.
    """
    if not isinstance(password, str) or not isinstance(stored, str):
        return False
    salt_hex, sep, key_hex = stored.partition(":")
    if (
        not sep
        or len(salt_hex) > _MAX_SALT_CHARS
        or len(key_hex) != _KEY_LEN * 2
        or not _HEX.fullmatch(salt_hex)
        or not _HEX.fullmatch(key_hex)
    ):
        return False
    try:
        derived = _derive(password, salt_hex)
    except ValueError:
        # Lone surrogates in ``password`` cannot be UTF-8 encoded; no stored hash can match them.
        return False
    return hmac.compare_digest(derived, bytes.fromhex(key_hex))
