"""Print one ``{"tool", "args"}`` prediction per example of a dev.jsonl-style file.

Usage: ``python -m shared.chat.predict EXAMPLES.jsonl > PREDICTIONS.jsonl``. Each example gives
``now`` (local time), ``timezone``, ``tasks`` and ``message``; an optional ``last_task_id`` is
passed on for follow-up phrasings.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from .interpreter import Interpretation, TaskRef, interpret

__all__ = ["predict", "predict_lines", "tasks_from_json"]


def tasks_from_json(items: Iterable[dict[str, Any]]) -> list[TaskRef]:
    """Build :class:`TaskRef` objects from the ``tasks`` field of an example."""
    return [
        TaskRef(
            id=int(item["id"]),
            title=str(item.get("title", "")),
            completed=bool(item.get("completed", False)),
            priority=item.get("priority"),
            due=item.get("due"),
        )
        for item in items
    ]


def predict(example: dict[str, Any]) -> Interpretation:
    """Interpret one example record."""
    now = datetime.fromisoformat(str(example["now"])).replace(tzinfo=None)
    last = example.get("last_task_id")
    return interpret(
        str(example.get("message", "")),
        now=now,
        tasks=tasks_from_json(example.get("tasks", [])),
        last_task_id=int(last) if last is not None else None,
    )


def predict_lines(lines: Iterable[str]) -> Iterator[str]:
    """Yield one JSON prediction line per non-blank example line."""
    for line in lines:
        if line.strip():
            result = predict(json.loads(line))
            yield json.dumps({"tool": result.tool, "args": result.args}, ensure_ascii=False)


def main(argv: list[str]) -> int:
    """Entry point: predict every example of the file named in ``argv``."""
    if len(argv) != 1:
        print("usage: python -m shared.chat.predict EXAMPLES.jsonl", file=sys.stderr)
        return 2
    with Path(argv[0]).open(encoding="utf-8") as handle:
        for line in predict_lines(handle):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
