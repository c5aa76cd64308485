"""Better Auth JWT verification: real vectors, every allowed algorithm, and attacks."""

import base64
import hashlib
import hmac
import json
import random
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from conftest import VECTORS
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import get_default_algorithms

from shared.jwt_verify import (
    JwkRecord,
    JwksUrlLoader,
    JwtError,
    JwtVerifier,
    KeyLoader,
    KeySourceError,
    load_jwk,
    looks_like_jwt,
)

BASE_URL = "http://localhost:3000"
NOW = 1_800_000_000.0
ALGS = ["EdDSA", "ES256", "ES512", "RS256", "PS256"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value).encode())


class CountingLoader:
    """A KeyLoader over a dict that records every kid it is asked for."""

    def __init__(self, records: dict[str, JwkRecord] | None = None) -> None:
        self.records = dict(records or {})
        self.calls: list[str] = []

    async def __call__(self, kid: str) -> JwkRecord | None:
        self.calls.append(kid)
        return self.records.get(kid)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_verifier(loader: KeyLoader, now: float = NOW, audience: str = BASE_URL) -> JwtVerifier:
    return JwtVerifier(issuer=BASE_URL, audience=audience, load_key=loader, clock=Clock(now))


def claims(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sub": "user-1",
        "iss": BASE_URL,
        "aud": BASE_URL,
        "iat": int(NOW),
        "exp": int(NOW) + 900,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


# --- Better Auth's own vectors ---------------------------------------------------------


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    return VECTORS


@pytest.fixture
def vector_loader(vectors: dict[str, Any]) -> CountingLoader:
    rows = vectors["rows"]["jwks"]
    records = {r["id"]: load_jwk(r["publicKey"], r["alg"], r["crv"], r["id"]) for r in rows}
    return CountingLoader(records)


def vector_now(token: str) -> float:
    return float(jwt.decode(token, options={"verify_signature": False})["iat"]) + 60


@pytest.mark.parametrize("index", [0, 1])
async def test_vector_jwts_verify(
    vectors: dict[str, Any], vector_loader: CountingLoader, index: int
) -> None:
    user = vectors["users"][index]
    token = user["jwtToken"]
    verifier = make_verifier(vector_loader, now=vector_now(token))
    result = await verifier.verify(token)
    assert result["sub"] == user["user"]["id"]
    assert result["email"] == user["user"]["email"]


async def test_vector_jwt_rejected_after_expiry(
    vectors: dict[str, Any], vector_loader: CountingLoader
) -> None:
    token = vectors["users"][0]["jwtToken"]
    verifier = make_verifier(vector_loader, now=vector_now(token) + 15 * 60 + 31)
    with pytest.raises(JwtError, match="expired"):
        await verifier.verify(token)


async def test_vector_jwt_tampered_payload(
    vectors: dict[str, Any], vector_loader: CountingLoader
) -> None:
    ada, grace = vectors["users"]
    header, payload, signature = ada["jwtToken"].split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["sub"] = grace["user"]["id"]
    forged = f"{header}.{b64url_json(body)}.{signature}"
    verifier = make_verifier(vector_loader, now=vector_now(ada["jwtToken"]))
    with pytest.raises(JwtError, match="signature"):
        await verifier.verify(forged)


async def test_vector_jwt_tampered_signature(
    vectors: dict[str, Any], vector_loader: CountingLoader
) -> None:
    token = vectors["users"][0]["jwtToken"]
    header, payload, signature = token.split(".")
    # Flip a character well inside the signature: the last one may only carry padding bits.
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    verifier = make_verifier(vector_loader, now=vector_now(token))
    with pytest.raises(JwtError):
        await verifier.verify(f"{header}.{payload}.{flipped}")


def test_looks_like_jwt(vectors: dict[str, Any]) -> None:
    user = vectors["users"][0]
    assert looks_like_jwt(user["jwtToken"])
    assert not looks_like_jwt(user["bearer"])
    assert not looks_like_jwt(user["sessionToken"])
    assert not looks_like_jwt(user["cookieValue"])
    for junk in ["", "a.b.c", "...", "é.é.é", "x" * 20_000, user["jwtToken"] + ".x"]:
        assert not looks_like_jwt(junk)
    assert not looks_like_jwt(f"{b64url_json([1])}.e30.sig")
    assert not looks_like_jwt(f"{b64url_json({'typ': 'JWT'})}.e30.sig")
    assert not looks_like_jwt(None)  # type: ignore[arg-type]


# --- each allowed algorithm with keys made here ------------------------------------------


class SigningKey:
    def __init__(self, alg: str, private_key: Any) -> None:
        self.alg = alg
        self.private_key = private_key
        self.kid = f"kid-{alg}"
        self.public_jwk: dict[str, Any] = get_default_algorithms()[alg].to_jwk(
            private_key.public_key(), as_dict=True
        )

    def record(self, alg: str | None = "same", kid: str | None = None) -> JwkRecord:
        crv = self.public_jwk.get("crv")
        return JwkRecord(
            kid=kid or self.kid,
            public_jwk=self.public_jwk,
            alg=self.alg if alg == "same" else alg,
            crv=crv,
        )

    def sign(self, payload: dict[str, Any], alg: str | None = None, **header: Any) -> str:
        headers = {"kid": self.kid, **header}
        return jwt.encode(payload, self.private_key, algorithm=alg or self.alg, headers=headers)


def _generate(alg: str) -> Any:
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if alg == "ES512":
        return ec.generate_private_key(ec.SECP521R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def keys() -> dict[str, SigningKey]:
    return {alg: SigningKey(alg, _generate(alg)) for alg in ALGS}


def loader_for(*signing_keys: SigningKey) -> CountingLoader:
    return CountingLoader({k.kid: k.record() for k in signing_keys})


@pytest.mark.parametrize("alg", ALGS)
async def test_each_algorithm_verifies(keys: dict[str, SigningKey], alg: str) -> None:
    key = keys[alg]
    verifier = make_verifier(loader_for(key))
    assert (await verifier.verify(key.sign(claims())))["sub"] == "user-1"


@pytest.mark.parametrize("alg", ALGS)
async def test_load_jwk_round_trip(keys: dict[str, SigningKey], alg: str) -> None:
    key = keys[alg]
    record = load_jwk(json.dumps(key.public_jwk), alg, key.public_jwk.get("crv"), key.kid)
    verifier = make_verifier(CountingLoader({key.kid: record}))
    assert (await verifier.verify(key.sign(claims())))["sub"] == "user-1"


async def test_row_without_alg_means_eddsa(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    verifier = make_verifier(CountingLoader({key.kid: key.record(alg=None)}))
    assert (await verifier.verify(key.sign(claims())))["sub"] == "user-1"


async def test_rsa_row_without_alg_is_not_trusted(keys: dict[str, SigningKey]) -> None:
    key = keys["RS256"]
    verifier = make_verifier(CountingLoader({key.kid: key.record(alg=None)}))
    with pytest.raises(JwtError):
        await verifier.verify(key.sign(claims()))


async def test_audience_list_and_leeway_accepted(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    verifier = make_verifier(loader_for(key))
    token = key.sign(claims(aud=["other", BASE_URL], exp=int(NOW) - 20, nbf=int(NOW) + 20))
    assert (await verifier.verify(token))["sub"] == "user-1"


# --- attacks ----------------------------------------------------------------------------


async def test_alg_none_rejected(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    verifier = make_verifier(loader_for(key))
    unsigned = jwt.encode(claims(), "", algorithm="none", headers={"kid": key.kid})
    with pytest.raises(JwtError):
        await verifier.verify(unsigned)
    header = b64url_json({"alg": "none", "kid": key.kid})
    with pytest.raises(JwtError, match="alg"):
        await verifier.verify(f"{header}.{b64url_json(claims())}.AAAA")


def _hs256(secret: bytes, kid: str, payload: dict[str, Any]) -> str:
    signing_input = f"{b64url_json({'alg': 'HS256', 'kid': kid})}.{b64url_json(payload)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


@pytest.mark.parametrize("alg", ["EdDSA", "RS256"])
async def test_hs256_with_public_key_as_secret_rejected(
    keys: dict[str, SigningKey], alg: str
) -> None:
    key = keys[alg]
    verifier = make_verifier(loader_for(key))
    public = key.private_key.public_key()
    secrets = [
        json.dumps(key.public_jwk).encode(),
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    ]
    for secret in secrets:
        with pytest.raises(JwtError, match="alg"):
            await verifier.verify(_hs256(secret, key.kid, claims()))


@pytest.mark.parametrize(
    ("signer", "row"),
    [("RS256", "EdDSA"), ("EdDSA", "ES256"), ("ES256", "ES512"), ("ES512", "ES256")],
)
async def test_alg_switch_rejected(keys: dict[str, SigningKey], signer: str, row: str) -> None:
    # The token is validly signed by another key but names the row's kid.
    verifier = make_verifier(loader_for(keys[row]))
    token = keys[signer].sign(claims(), kid=keys[row].kid)
    with pytest.raises(JwtError):
        await verifier.verify(token)


async def test_ps256_token_against_rs256_row_rejected(keys: dict[str, SigningKey]) -> None:
    # Same RSA key, different padding: the row's alg wins.
    rsa_key = keys["RS256"]
    verifier = make_verifier(loader_for(rsa_key))
    with pytest.raises(JwtError, match="alg"):
        await verifier.verify(rsa_key.sign(claims(), alg="PS256"))


async def test_unknown_and_missing_kid_rejected(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    verifier = make_verifier(loader_for(key))
    with pytest.raises(JwtError, match="kid"):
        await verifier.verify(key.sign(claims(), kid="nope"))
    unkeyed = jwt.encode(claims(), key.private_key, algorithm="EdDSA")
    with pytest.raises(JwtError, match="kid"):
        await verifier.verify(unkeyed)
    for bad_kid in ["", 7, None, ["kid-EdDSA"], "k" * 300]:
        header = b64url_json({"alg": "EdDSA", "kid": bad_kid})
        with pytest.raises(JwtError):
            await verifier.verify(f"{header}.{b64url_json(claims())}.AAAA")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": int(NOW) - 31}, "expired"),
        ({"exp": int(NOW) - 3600}, "expired"),
        ({"nbf": int(NOW) + 31}, "nbf"),
        ({"iat": int(NOW) + 31}, "iat"),
        ({"iss": "https://evil.example"}, "issuer"),
        ({"iss": None}, "issuer"),
        ({"aud": "https://evil.example"}, "audience"),
        ({"aud": ["https://evil.example"]}, "audience"),
        ({"aud": None}, "audience"),
        ({"sub": None}, "subject"),
        ({"sub": ""}, "subject"),
        ({"sub": 42}, "subject"),
        ({"sub": ["user-1"]}, "subject"),
        ({"exp": None}, "exp"),
        ({"exp": "9999999999"}, "exp"),
        ({"exp": True}, "exp"),
        ({"nbf": "0"}, "nbf"),
    ],
)
async def test_bad_claims_rejected(
    keys: dict[str, SigningKey], overrides: dict[str, Any], reason: str
) -> None:
    key = keys["EdDSA"]
    verifier = make_verifier(loader_for(key))
    with pytest.raises(JwtError, match=reason):
        await verifier.verify(key.sign(claims(**overrides)))


def _sign_raw(key: SigningKey, payload: bytes) -> str:
    return jwt.api_jws.encode(payload, key.private_key, algorithm=key.alg, headers={"kid": key.kid})


@pytest.mark.parametrize(
    "payload",
    [
        b"[1, 2]",
        b'"a string"',
        b"not json",
        b'{"sub": "u", "iss": "http://localhost:3000", "aud": "http://localhost:3000", "exp": NaN}',
        b'{"sub": "u", "iss": "http://localhost:3000", "aud": "http://localhost:3000", '
        b'"exp": Infinity}',
    ],
)
async def test_signed_but_malformed_payload_rejected(
    keys: dict[str, SigningKey], payload: bytes
) -> None:
    key = keys["EdDSA"]
    verifier = make_verifier(loader_for(key))
    with pytest.raises(JwtError):
        await verifier.verify(_sign_raw(key, payload))


async def test_crit_header_rejected(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    verifier = make_verifier(loader_for(key))
    with pytest.raises(JwtError):
        await verifier.verify(key.sign(claims(), crit=["exp"], exp=1))


async def test_malformed_tokens_rejected(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    loader = loader_for(key)
    verifier = make_verifier(loader)
    good = key.sign(claims())
    header, payload, signature = good.split(".")
    huge = key.sign(claims(padding="x" * 20_000))
    bad = [
        "",
        " ",
        good[:-10],
        f"{header}.{payload}",
        f"{header}.{payload}.",
        good + ".extra",
        good + ".",
        f"{header}..{signature}",
        "a.b.c",
        "é" + good,
        good[:20] + "é" + good[21:],
        good + "\n",
        good.replace(".", "..", 1),
        f"{header}=.{payload}.{signature}",
        f"{b64url(b'not json')}.{payload}.{signature}",
        f"{b64url_json([1])}.{payload}.{signature}",
        f"{b64url_json({'kid': key.kid})}.{payload}.{signature}",
        f"{header}.{payload}.{signature[:-1]}",
        f"{header[:-1]}.{payload}.{signature}",
        huge,
        "x" * 20_000,
        "\x00.\x00.\x00",
        "eyJ" * 3000,
    ]
    for token in bad:
        with pytest.raises(JwtError):
            await verifier.verify(token)
    for not_a_string in [None, b"a.b.c", 42]:
        with pytest.raises(JwtError):
            await verifier.verify(not_a_string)  # type: ignore[arg-type]
    assert loader.calls.count("kid-EdDSA") <= 1
    assert len(huge) > 8 * 1024


async def test_oversized_token_rejected_before_lookup(keys: dict[str, SigningKey]) -> None:
    loader = loader_for(keys["EdDSA"])
    verifier = make_verifier(loader)
    with pytest.raises(JwtError, match="too long"):
        await verifier.verify(keys["EdDSA"].sign(claims(padding="x" * 20_000)))
    assert loader.calls == []


# --- key rows that must not be trusted -----------------------------------------------------


def test_load_jwk_rejects_malformed_rows(keys: dict[str, SigningKey]) -> None:
    ed = keys["EdDSA"].public_jwk
    with_private = ed25519.Ed25519PrivateKey.generate()
    private_jwk = get_default_algorithms()["EdDSA"].to_jwk(with_private, as_dict=True)
    weak_rsa = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    weak_jwk = get_default_algorithms()["RS256"].to_jwk(weak_rsa, as_dict=True)
    bad_rows = [
        ("not json", "EdDSA", "Ed25519"),
        ("[1]", "EdDSA", "Ed25519"),
        ("", None, None),
        (json.dumps(ed), "HS256", None),
        (json.dumps(ed), "none", None),
        (json.dumps(ed), "ES256", None),
        (json.dumps(ed), "EdDSA", "Ed448"),
        (json.dumps({**ed, "crv": "Ed448"}), "EdDSA", None),
        (json.dumps({**ed, "x": "short"}), "EdDSA", "Ed25519"),
        (json.dumps({**ed, "x": 5}), "EdDSA", "Ed25519"),
        (json.dumps({**ed, "alg": "ES256"}), "EdDSA", "Ed25519"),
        (json.dumps({**ed, "use": "enc"}), "EdDSA", "Ed25519"),
        (json.dumps(private_jwk), "EdDSA", "Ed25519"),
        (json.dumps(keys["ES256"].public_jwk), "ES512", "P-521"),
        (json.dumps(keys["ES512"].public_jwk), "ES256", "P-256"),
        (json.dumps(keys["RS256"].public_jwk), "EdDSA", None),
        (json.dumps(weak_jwk), "RS256", None),
        (json.dumps({"kty": "oct", "k": "c2VjcmV0"}), "EdDSA", None),
    ]
    for public_key_json, alg, crv in bad_rows:
        with pytest.raises(JwtError) as info:
            load_jwk(public_key_json, alg, crv, "kid")
        assert ed["x"] not in str(info.value)


async def test_unusable_key_from_loader_rejected(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    loader = CountingLoader({key.kid: key.record(alg="HS256")})
    verifier = make_verifier(loader)
    for _ in range(3):
        with pytest.raises(JwtError):
            await verifier.verify(key.sign(claims()))
    assert loader.calls == [key.kid]


async def test_loader_returning_another_kid_rejected(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    loader = CountingLoader({key.kid: key.record(kid="someone-else")})
    with pytest.raises(JwtError, match="kid"):
        await make_verifier(loader).verify(key.sign(claims()))


async def test_loader_failure_propagates(keys: dict[str, SigningKey]) -> None:
    async def broken(kid: str) -> JwkRecord | None:
        raise ConnectionError("database is down")

    verifier = JwtVerifier(issuer=BASE_URL, audience=BASE_URL, load_key=broken, clock=Clock(NOW))
    with pytest.raises(ConnectionError):
        await verifier.verify(keys["EdDSA"].sign(claims()))


# --- kid cache ----------------------------------------------------------------------------


async def test_known_kid_loaded_once(keys: dict[str, SigningKey]) -> None:
    key = keys["ES256"]
    loader = loader_for(key)
    verifier = make_verifier(loader)
    for user in ["a", "b", "c"]:
        assert (await verifier.verify(key.sign(claims(sub=user))))["sub"] == user
    assert loader.calls == [key.kid]


async def test_unknown_kid_looked_up_once_then_retried_after_ttl(
    keys: dict[str, SigningKey],
) -> None:
    key = keys["EdDSA"]
    loader = CountingLoader()
    clock = Clock(NOW)
    verifier = JwtVerifier(issuer=BASE_URL, audience=BASE_URL, load_key=loader, clock=clock)
    token = key.sign(claims())
    for _ in range(5):
        with pytest.raises(JwtError):
            await verifier.verify(token)
    assert loader.calls == [key.kid]

    # The key is rotated in; once the remembered miss has aged out it is found.
    loader.records[key.kid] = key.record()
    clock.now += 61
    token = key.sign(claims(iat=int(clock.now), exp=int(clock.now) + 900))
    assert (await verifier.verify(token))["sub"] == "user-1"
    assert loader.calls == [key.kid, key.kid]


async def test_miss_cache_is_bounded(keys: dict[str, SigningKey]) -> None:
    key = keys["EdDSA"]
    loader = CountingLoader()
    verifier = make_verifier(loader)
    kids = [f"random-{i}" for i in range(300)]
    for kid in kids:
        with pytest.raises(JwtError):
            await verifier.verify(key.sign(claims(), kid=kid))
    assert len(loader.calls) == 300
    # The newest misses are still remembered; the oldest were evicted and are asked again.
    with pytest.raises(JwtError):
        await verifier.verify(key.sign(claims(), kid=kids[-1]))
    assert len(loader.calls) == 300
    with pytest.raises(JwtError):
        await verifier.verify(key.sign(claims(), kid=kids[0]))
    assert len(loader.calls) == 301


# --- JWKS over HTTP -----------------------------------------------------------------------


class JwksServer:
    def __init__(self) -> None:
        self.status = 200
        self.body = b'{"keys": []}'
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/auth/jwks"


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join()


async def test_jwks_url_loader_verifies_vectors(
    vectors: dict[str, Any], jwks_server: JwksServer
) -> None:
    jwks_server.body = json.dumps(vectors["jwks"]).encode()
    clock = Clock(0.0)
    loader = JwksUrlLoader(jwks_server.url, timeout_seconds=5, clock=clock)
    for user in vectors["users"]:
        token = user["jwtToken"]
        verifier = JwtVerifier(
            issuer=BASE_URL, audience=BASE_URL, load_key=loader, clock=Clock(vector_now(token))
        )
        assert (await verifier.verify(token))["sub"] == user["user"]["id"]
    assert await loader("unknown-kid") is None
    assert jwks_server.requests == 1
    clock.now += 61
    assert await loader("unknown-kid") is None
    assert jwks_server.requests == 2


async def test_jwks_url_loader_mixed_keys(
    keys: dict[str, SigningKey], jwks_server: JwksServer
) -> None:
    jwks = [{**k.public_jwk, "kid": k.kid, "alg": k.alg} for k in keys.values()]
    jwks_server.body = json.dumps({"keys": [*jwks, "junk", {"kty": "OKP"}]}).encode()
    verifier = make_verifier(JwksUrlLoader(jwks_server.url))
    for key in keys.values():
        assert (await verifier.verify(key.sign(claims())))["sub"] == "user-1"
    assert jwks_server.requests == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, b"{}"), (200, b"not json"), (200, b"[]"), (200, b'{"keys": 1}'), (200, b"x" * 300_000)],
)
async def test_jwks_url_loader_failures(jwks_server: JwksServer, status: int, body: bytes) -> None:
    jwks_server.status = status
    jwks_server.body = body
    with pytest.raises(KeySourceError):
        await JwksUrlLoader(jwks_server.url)("kid")


async def test_jwks_url_loader_unreachable() -> None:
    with pytest.raises(KeySourceError):
        await JwksUrlLoader("http://127.0.0.1:9/jwks", timeout_seconds=2)("kid")


async def test_mutated_tokens_only_raise_jwt_error(keys: dict[str, SigningKey]) -> None:
    key = keys["ES256"]
    verifier = make_verifier(loader_for(key))
    good = key.sign(claims())
    alphabet = "AZaz09-_.=+/ é\x00"
    rng = random.Random(1234)
    for _ in range(500):
        chars = list(good)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            action = rng.choice(["replace", "delete", "insert"])
            if action == "replace":
                chars[position] = rng.choice(alphabet)
            elif action == "delete":
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        mutated = "".join(chars)
        if mutated == good:
            continue
        try:
            await verifier.verify(mutated)
        except JwtError:
            continue
        # A mutation may only survive if it did not change what was signed.
        assert jwt.decode(mutated, options={"verify_signature": False}) == claims()
