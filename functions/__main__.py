"""`python -m functions`: the container's entry point, serving functions/app.py with uvicorn.

It checks the settings before anything builds an app from them (the app is built on its first
event), so a bad setting stops start-up with one line instead of a traceback.
"""

from __future__ import annotations

import os
import sys

from shared.config import ConfigError, get_settings
from shared.logs import configure_logging


def _cpu_count() -> int:
    """CPUs this process may run on (a container's cpuset), at least 1."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    return len(os.sched_getaffinity(0)) or 1


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def main() -> None:
    """Serve the app: HOST:PORT (0.0.0.0:7860, a Hugging Face Space's port), WEB_CONCURRENCY
    worker processes (default: one per usable CPU), every log line in the service's format.

    Bad settings stop it before it listens, with one line saying which and why.
    """
    try:
        log_config = configure_logging()
        get_settings()
        port = _positive_int("PORT", 7860)
        workers = _positive_int("WEB_CONCURRENCY", _cpu_count())
    except ConfigError as error:
        sys.exit(f"ironclad-todo: configuration error: {error}")
    import uvicorn  # only the container needs the server; Lambda packages leave it out

    uvicorn.run(
        "functions.app:app",
        host=os.environ.get("HOST", "0.0.0.0"),
        port=port,
        workers=workers,
        # X-Forwarded-For/-Proto are believed only from these peers: a platform's proxy, never
        # an arbitrary client that wants to appear as someone else in the logs.
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        log_config=log_config,
        log_level=str(log_config["root"]["level"]).lower(),
        # RequestLogMiddleware writes the one line per request.
        access_log=False,
    )


if __name__ == "__main__":
    main()
