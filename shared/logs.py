"""Log lines: one formatter for every line the service writes, uvicorn's included.

JSON by default (one object per line, for a platform's log search), readable text with
`LOG_FORMAT=text`. Either way one record is one line: JSON escapes control characters, and
the text formatter escapes them itself, so a newline in an untrusted value cannot forge a line.
"""

from __future__ import annotations

import contextvars
import logging
import logging.config
import os
import re
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from shared.config import ConfigError

LOG_FORMATS = ("json", "text")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Set for the duration of a request, so every line logged while serving it names it.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
# uvicorn adds a copy of its message with terminal colour codes; the plain one is enough.
_DROPPED = ("color_message",)
# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", *_DROPPED}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(text: str) -> str:
    """Control characters (newlines included) as visible escapes: `\\n`, `\\x1b`, ..."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to records logged while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message key=value ...`, every untrusted character escaped.

    A traceback follows on indented lines: a real record always starts with its time, so an
    exception message cannot pass for one.
    """

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        fields = " ".join(
            f"{key}={_escape(str(value))}"
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_")
        )
        line = f"{when} {record.levelname} {record.name} {_escape(record.getMessage())}"
        if fields:
            line = f"{line} {fields}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            lines = record.exc_text.splitlines()
            line += "".join(f"\n    {_escape(part)}" for part in lines)
        return line


def build_formatter(log_format: str = "json") -> logging.Formatter:
    """The service's formatter for `log_format` (`json` or `text`)."""
    if log_format == "text":
        return TextFormatter()
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        reserved_attrs=[*RESERVED_ATTRS, *_DROPPED],
        timestamp="time",
    )


def log_settings() -> tuple[str, str]:
    """LOG_LEVEL and LOG_FORMAT from the environment, checked."""
    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    log_format = os.environ.get("LOG_FORMAT", "json").strip().lower() or "json"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    return level, log_format


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` document: every logger through one stdout handler.

    uvicorn applies it in each worker process it starts, so the workers log alike.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"service": {"()": build_formatter, "log_format": log_format}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "service",
                "filters": ["request_id"],
            }
        },
        "root": {"level": level, "handlers": ["stdout"]},
        # uvicorn's own loggers hand their records to the root handler instead of printing them
        # in their own format.
        "loggers": {
            name: {"handlers": [], "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


def configure_logging() -> dict[str, Any]:
    """Route every log line through the service's formatter; returns the config applied."""
    config = logging_config(*log_settings())
    logging.config.dictConfig(config)
    return config
