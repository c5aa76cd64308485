"""serverless.yml and the Dockerfile describe the same handlers the code declares."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import yaml

from functions import app

REPO = Path(__file__).resolve().parents[2]
OPENAPI_PATH = re.compile(r"{([a-z_]+)(?::[a-z]+)?}")


def _http_api_path(path: str) -> str:
    # API Gateway names path parameters without Starlette's convertors.
    return OPENAPI_PATH.sub(lambda m: "{" + m[1] + "}", path)


def test_serverless_declares_every_function_and_route() -> None:
    config = yaml.safe_load((REPO / "serverless.yml").read_text())
    assert config["provider"]["runtime"] == "python3.13"
    environment = config["provider"]["environment"]
    assert environment["DATABASE_URL"] == "${env:DATABASE_URL}"
    assert environment["BETTER_AUTH_SECRET"] == "${env:BETTER_AUTH_SECRET}"

    modules = sorted(
        p.stem for p in (REPO / "functions").glob("*.py") if p.stem not in {"__init__", "app"}
    )
    assert sorted(config["functions"]) == modules
    for name in modules:
        module = importlib.import_module(f"functions.{name}")
        declared = config["functions"][name]
        assert declared["handler"] == f"functions/{name}.handler"
        events = {(e["httpApi"]["method"], e["httpApi"]["path"]) for e in declared["events"]}
        expected = {(op.method, _http_api_path(op.path)) for op in module.operations}
        assert events == expected, name


def test_the_composed_app_serves_every_function_module() -> None:
    composed = {(op.method, op.path) for op in app.operations}
    for path in (REPO / "functions").glob("*.py"):
        if path.stem in {"__init__", "app"}:
            continue
        module = importlib.import_module(f"functions.{path.stem}")
        assert {(op.method, op.path) for op in module.operations} <= composed, path.stem


def test_dockerfile_serves_on_7860_as_uid_1000() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.13-slim" in dockerfile
    assert "USER 1000" in dockerfile
    assert (
        'CMD ["uvicorn", "functions.app:app", "--host", "0.0.0.0", "--port", "7860"' in dockerfile
    )
    assert "pip install ." in dockerfile
