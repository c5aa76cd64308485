"""Build the Lambda deployment package: our code and its dependencies, for the function's
architecture and Python, with bytecode compiled for that Python.

Run by the osls plugin beside it (`npx osls package`), under the Lambda runtime's Python (3.13):

    python3.13 .ci/lambda_artifact.py --architecture arm64 --output .serverless/ironclad-todo.zip

pip installs wheels built for the target (manylinux, aarch64 or x86_64, CPython 3.13) whatever
machine runs the build, so no Docker is needed; a dependency without such a wheel fails the
build instead of slipping in an extension for the wrong machine. The zip is reproducible: the
same inputs give the same bytes, so an unchanged service deploys no new version.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLATFORMS = {"arm64": "aarch64", "x86_64": "x86_64"}
# Only the container runs a web server; on Lambda, API Gateway and Mangum take its place.
SERVER_ONLY = {"uvicorn", "uvloop", "watchfiles", "httptools", "websockets"}
# Lambda's python3.13 runs on Amazon Linux 2023 (glibc 2.34): any manylinux wheel up to that.
GLIBC_TAGS = ("manylinux_2_34", "manylinux_2_28", "manylinux2014")
# 1980-01-01, the earliest time a zip can hold: every entry gets it, so the bytes are repeatable.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Nothing imports these at run time (source maps, type stubs, C and Cython sources); the source
# maps alone are most of the Swagger UI package.
DROPPED = re.compile(r"(\.map|\.pyi|\.pyx|\.pxd|\.[ch]|py\.typed)$")


def requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def runtime_requirements() -> list[str]:
    """pyproject.toml's dependencies, less the ones only the container's server needs."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [r for r in project["dependencies"] if requirement_name(r) not in SERVER_ONLY]


def install_dependencies(target: Path, architecture: str, python: str) -> None:
    machine = PLATFORMS[architecture]
    platforms = [f"--platform={tag}_{machine}" for tag in GLIBC_TAGS]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--target",
            str(target),
            *platforms,
            "--only-binary=:all:",
            "--implementation=cp",
            f"--python-version={python}",
            *runtime_requirements(),
        ],
        check=True,
    )


def copy_code(target: Path) -> None:
    """functions/ and shared/ with their data files (the migrations' template), no bytecode."""
    for package in ("functions", "shared"):
        shutil.copytree(
            REPO / package,
            target / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )


def compile_bytecode(target: Path) -> None:
    """Compile every module with this interpreter, which must be the runtime's Python.

    Lambda's /var/task is read-only, so a module without matching bytecode is compiled again
    on every cold start. Hash-based, unchecked .pyc files stay valid whatever the files'
    times become when Lambda unpacks the zip.
    """
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            "-j0",
            "--invalidation-mode",
            "unchecked-hash",
            str(target),
        ],
        check=True,
    )


def write_zip(source: Path, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(source.rglob("*")):
            if path.is_dir() or DROPPED.search(path.name):
                continue
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Readable by the runtime's user, whoever built the zip.
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--architecture", choices=sorted(PLATFORMS), default="arm64")
    parser.add_argument("--python", default="3.13", help="the runtime's Python, e.g. 3.13")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != args.python:
        sys.exit(
            f"lambda_artifact: run me with Python {args.python}, the runtime's, so that the "
            f"bytecode fits it (this is {running}): e.g. python{args.python} {sys.argv[0]}, or "
            "set LAMBDA_PYTHON for `npx osls package`"
        )
    with tempfile.TemporaryDirectory(prefix="lambda-artifact-") as scratch:
        build = Path(scratch)
        install_dependencies(build, args.architecture, args.python)
        copy_code(build)
        compile_bytecode(build)
        write_zip(build, args.output)
    print(f"lambda_artifact: wrote {args.output} ({args.architecture}, Python {args.python})")


if __name__ == "__main__":
    main()
