"""The Lambda package, built the README's way (`npm ci && npx osls package`), and what is in it.

The deployed architecture is arm64 and this machine may not be, so the arm64 package is checked
by reading it (every extension's ELF header, every module's bytecode, the CloudFormation
template), and the same build for x86_64 is unpacked and run: each handler is imported by
Python 3.13 from the package alone and serves an API Gateway event.

Both builds take about two minutes (npm registry and PyPI downloads included), so they run only
with LAMBDA_PACKAGE_TESTS=1 (CI sets it). They need npm and a Python 3.13 interpreter
(`python3.13`, or LAMBDA_PYTHON) and are skipped, saying so, without them.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import SCRATCH_URL

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "tests" / "events"
BETTER_AUTH_URL = os.environ["BETTER_AUTH_URL"]
FUNCTIONS = sorted(
    p.stem for p in (REPO / "functions").glob("*.py") if p.stem not in {"__init__", "__main__"}
)
SERVER_ONLY = ("uvicorn", "uvloop", "watchfiles", "httptools", "websockets")
ELF_MACHINES = {183: "aarch64", 62: "x86_64"}


def _python_313() -> str | None:
    """The path of the Python 3.13 the build uses (LAMBDA_PYTHON, else python3.13), if any."""
    candidate = os.environ.get("LAMBDA_PYTHON") or "python3.13"
    # pyenv installs (as on the project's machines) answer to python3.13 once it is selected.
    env = {**os.environ, "PYENV_VERSION": os.environ.get("PYENV_VERSION", "3.13.0")}
    script = "import sys; print(sys.version_info[:2] == (3, 13), sys.executable)"
    try:
        found = subprocess.run(
            [candidate, "-c", script], env=env, capture_output=True, text=True, timeout=30
        )
    except OSError:
        return None
    fits, _, executable = found.stdout.strip().partition(" ")
    return executable if found.returncode == 0 and fits == "True" else None


@dataclass
class Packages:
    arm64: Path  # the unpacked artifact of `npx osls package`
    x86_64: Path  # the same build for x86_64, unpacked
    template: dict[str, Any]
    python: str


def _unpack(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(into)
    return into


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory, scratch_database: str
) -> Iterator[Packages]:
    if os.environ.get("LAMBDA_PACKAGE_TESTS") != "1":
        pytest.skip("builds the Lambda package (about 2 minutes): set LAMBDA_PACKAGE_TESTS=1")
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the Lambda package is built by `npx osls package`")
    python = _python_313()
    if python is None:
        pytest.skip("no Python 3.13 (python3.13 or LAMBDA_PYTHON): the runtime's, needed to build")
    work = tmp_path_factory.mktemp("lambda")
    service = work / "service"
    service.mkdir()
    for name in ("serverless.yml", "package.json", "package-lock.json", "pyproject.toml"):
        shutil.copy(REPO / name, service / name)
    for folder in (".ci", "functions", "shared"):
        shutil.copytree(
            REPO / folder, service / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    env = {
        **os.environ,
        "DATABASE_URL": SCRATCH_URL,
        "BETTER_AUTH_URL": BETTER_AUTH_URL,
        "LAMBDA_SNAPSTART": "true",
        "LAMBDA_PYTHON": python,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("CORS_ORIGINS", None)
    run = {"cwd": service, "env": env, "check": True, "timeout": 600}
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], **run)  # type: ignore[call-overload]
    subprocess.run(["npx", "osls", "package"], **run)  # type: ignore[call-overload]
    x86_zip = work / "x86_64.zip"
    subprocess.run(  # type: ignore[call-overload]
        [python, ".ci/lambda_artifact.py", "--architecture", "x86_64", "--output", str(x86_zip)],
        **run,
    )
    built = service / ".serverless"
    yield Packages(
        arm64=_unpack(built / "ironclad-todo.zip", work / "arm64"),
        x86_64=_unpack(x86_zip, work / "x86_64"),
        template=json.loads((built / "cloudformation-template-update-stack.json").read_text()),
        python=python,
    )


def _elf_machine(path: Path) -> str:
    header = path.read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and header[4] == 2, f"{path} is not a 64-bit ELF file"
    (machine,) = struct.unpack("<H", header[18:20])
    return ELF_MACHINES.get(machine, str(machine))


def test_every_extension_is_built_for_arm64_and_cpython_313(packages: Packages) -> None:
    extensions = sorted(packages.arm64.rglob("*.so"))
    names = {p.relative_to(packages.arm64).parts[0] for p in extensions}
    assert {"asyncpg", "pydantic_core", "cryptography", "sqlalchemy", "greenlet"} <= names
    for extension in extensions:
        assert _elf_machine(extension) == "aarch64", extension
        assert extension.name.endswith((".cpython-313-aarch64-linux-gnu.so", ".abi3.so")), extension
    for extension in packages.x86_64.rglob("*.so"):
        assert _elf_machine(extension) == "x86_64", extension


def test_the_package_leaves_the_web_server_out(packages: Packages) -> None:
    top_level = {p.name for p in packages.arm64.iterdir()}
    assert {"functions", "shared", "mangum", "starlette"} <= top_level
    assert not top_level & set(SERVER_ONLY)


def _bytecode_magic(python: str) -> bytes:
    script = "import importlib.util, sys; sys.stdout.write(importlib.util.MAGIC_NUMBER.hex())"
    return bytes.fromhex(subprocess.check_output([python, "-c", script], text=True))


def test_every_module_is_precompiled_for_python_313(packages: Packages) -> None:
    magic = _bytecode_magic(packages.python)
    sources = sorted(packages.arm64.rglob("*.py"))
    assert len(sources) > 500
    for source in sources:
        compiled = source.parent / "__pycache__" / f"{source.stem}.cpython-313.pyc"
        assert compiled.exists(), source
        header = compiled.read_bytes()[:8]
        # Hash-based and never checked against the source: valid whatever the files' times.
        assert header[:4] == magic and struct.unpack("<I", header[4:8])[0] == 0b01, compiled


def test_the_template_publishes_snapstart_versions_and_sends_preflights_to_the_app(
    packages: Packages,
) -> None:
    resources = packages.template["Resources"]
    functions = {k: v for k, v in resources.items() if v["Type"] == "AWS::Lambda::Function"}
    assert len(functions) == len(FUNCTIONS) - 1  # app.py's whole-API handler is not deployed
    for function in functions.values():
        properties = function["Properties"]
        assert properties["SnapStart"] == {"ApplyOn": "PublishedVersions"}
        assert properties["Architectures"] == ["arm64"] and properties["Runtime"] == "python3.13"
        assert properties["Environment"]["Variables"]["CORS_ORIGINS"] == BETTER_AUTH_URL
    aliases = [v for v in resources.values() if v["Type"] == "AWS::Lambda::Alias"]
    assert len(aliases) == len(functions)
    assert {a["Properties"]["Name"] for a in aliases} == {"snapstart"}
    # The routes invoke the SnapStart alias, not $LATEST (which never uses the snapshot).
    integrations = [v for v in resources.values() if v["Type"] == "AWS::ApiGatewayV2::Integration"]
    assert integrations and all(
        json.dumps(i["Properties"]["IntegrationUri"]).endswith('"snapstart"]]}')
        for i in integrations
    )

    api = next(v for v in resources.values() if v["Type"] == "AWS::ApiGatewayV2::Api")
    assert "CorsConfiguration" not in api["Properties"]
    routes = {
        v["Properties"]["RouteKey"]: v["Properties"]["Target"]
        for v in resources.values()
        if v["Type"] == "AWS::ApiGatewayV2::Route"
    }
    assert json.dumps(routes["OPTIONS /{proxy+}"]) == json.dumps(routes["GET /health"])


_SERVE = """
import importlib, importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
for server in %r:
    assert importlib.util.find_spec(server) is None, server

class Context:
    function_name = "ironclad-todo"
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self):
        return 29_000

module = importlib.import_module("functions." + sys.argv[2])
assert module.__file__.startswith(sys.argv[1]), module.__file__
result = module.handler(json.loads(sys.argv[3]), Context())
print(json.dumps({"status": result["statusCode"], "headers": result["headers"]}))
"""


def _serve(packages: Packages, function: str, event: dict[str, Any]) -> dict[str, Any]:
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": SCRATCH_URL,
        "BETTER_AUTH_SECRET": os.environ["BETTER_AUTH_SECRET"],
        "BETTER_AUTH_URL": BETTER_AUTH_URL,
        "DATABASE_NULLPOOL": "1",
    }
    completed = subprocess.run(
        # -I -S: nothing from this machine's site-packages, only the package and the stdlib.
        [
            packages.python,
            "-I",
            "-S",
            "-c",
            _SERVE % (SERVER_ONLY,),
            str(packages.x86_64),
            function,
            json.dumps(event),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return {**json.loads(completed.stdout.splitlines()[-1]), "log": completed.stderr}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_handler_imports_from_the_package_and_answers_a_preflight(
    packages: Packages, function: str
) -> None:
    event = json.loads((EVENTS / "preflight_tasks_create.json").read_text())
    event["headers"]["origin"] = BETTER_AUTH_URL
    served = _serve(packages, function, event)
    assert served["status"] == 200
    assert served["headers"]["access-control-allow-origin"] == BETTER_AUTH_URL


def test_a_packaged_handler_serves_a_signed_in_request_from_postgresql(packages: Packages) -> None:
    event = json.loads((EVENTS / "me_get_bearer.json").read_text())
    served = _serve(packages, "me", event)
    assert served["status"] == 200, served["log"]

