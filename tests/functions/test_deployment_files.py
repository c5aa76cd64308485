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
    # Required, as in the container; CORS_ORIGINS defaults to it, as the README says.
    assert environment["BETTER_AUTH_URL"] == "${env:BETTER_AUTH_URL}"
    assert environment["CORS_ORIGINS"] == "${env:CORS_ORIGINS, env:BETTER_AUTH_URL}"
    # API Gateway must not answer preflights itself: they go to the app (see below).
    assert "cors" not in config["provider"].get("httpApi", {})

    modules = sorted(
        p.stem
        for p in (REPO / "functions").glob("*.py")
        if p.stem not in {"__init__", "__main__", "app"}
    )
    assert sorted(config["functions"]) == modules
    for name in modules:
        module = importlib.import_module(f"functions.{name}")
        declared = config["functions"][name]
        assert declared["handler"] == f"functions/{name}.handler"
        assert declared["snapStart"] == "${self:custom.snapStart}"
        events = {(e["httpApi"]["method"], e["httpApi"]["path"]) for e in declared["events"]}
        expected = {(op.method, _http_api_path(op.path)) for op in module.operations}
        if name == "health":
            # Every CORS preflight goes to one function; the app's CORS layer answers it.
            expected.add(("OPTIONS", "/{proxy+}"))
        assert events == expected, name


def test_the_composed_app_serves_every_function_module() -> None:
    composed = {(op.method, op.path) for op in app.operations}
    for path in (REPO / "functions").glob("*.py"):
        if path.stem in {"__init__", "__main__", "app"}:
            continue
        module = importlib.import_module(f"functions.{path.stem}")
        assert {(op.method, op.path) for op in module.operations} <= composed, path.stem


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines()]
    return [
        (line.split(" ", 1)[0], line.split(" ", 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_dockerfile_serves_through_the_entry_point_as_uid_1000() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    steps = _instructions(dockerfile)
    kinds = [kind for kind, _ in steps]
    assert steps[0] == ("FROM", "python:3.13-slim")
    assert ("USER", "1000") in steps and ("EXPOSE", "7860") in steps
    # The service's own entry point, so PORT, WEB_CONCURRENCY, LOG_* and its checks apply.
    assert steps[-1] == ("CMD", '["python", "-m", "functions"]')
    healthcheck = dict(steps)["HEALTHCHECK"]
    assert "/health" in healthcheck and "PORT" in healthcheck
    # Dependencies are installed from pyproject.toml alone, before the code is copied.
    copies = [args for kind, args in steps if kind == "COPY"]
    assert copies[0] == "pyproject.toml ./"
    install = next(i for i, (kind, args) in enumerate(steps) if "pip install" in args)
    first_code_copy = kinds.index("COPY", kinds.index("COPY") + 1)
    assert install < first_code_copy
    assert "pip install ." not in dockerfile  # nothing built in /app: no egg-info, no build/


def test_dockerignore_keeps_secrets_and_clutter_out_of_the_build_context() -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # Everything is excluded, then only what the image copies is let back in.
    assert patterns[0] == "*"
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    assert allowed == {"pyproject.toml", "functions", "shared"}


def test_build_output_is_not_committed() -> None:
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert {"node_modules/", ".serverless/", "data/", ".venv/"} <= set(ignored)
