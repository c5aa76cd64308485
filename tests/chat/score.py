#!/usr/bin/env python3
# ruff: noqa  (a verbatim copy of the project's scorer, kept as it came: see README.md here)
"""Score chat-command predictions against expectations.

Usage: score.py EXAMPLES.jsonl PREDICTIONS.jsonl
EXAMPLES: one object per line with "message" and "expect": {"tool", "args"}.
PREDICTIONS: one object per line, same order: {"tool": ..., "args": {...}}.

A prediction counts when the tool matches and every slot matches:
- title/description: compared case-insensitively, whitespace collapsed, surrounding quotes and
  trailing punctuation stripped;
- due: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (seconds and a zone, if given, are ignored);
- taskId, priority, status, category, repeat: exact.
A slot that the expectation leaves out must be absent or null in the prediction
(list_tasks always names its status). For the tool "none" the args are not compared.
Prints each miss, then 'accuracy: N/M (P%)' as its last line.
"""
import json
import re
import sys

SLOTS = ("title", "description", "due", "priority", "status", "category", "taskId", "repeat")


def norm(slot, value):
    if value is None:
        return None
    if slot in ("title", "description"):
        text = re.sub(r"\s+", " ", str(value)).strip().strip("'\"").rstrip(".!?,;:").strip()
        return text.casefold()
    if slot == "due":
        return str(value)[:16]
    return value


def matches(expect, got):
    if not isinstance(got, dict) or got.get("tool") != expect["tool"]:
        return False
    if expect["tool"] == "none":
        return True
    args = got.get("args") or {}
    return all(norm(s, expect["args"].get(s)) == norm(s, args.get(s)) for s in SLOTS)


def main(examples_path, predictions_path):
    examples = [json.loads(l) for l in open(examples_path) if l.strip()]
    predictions = [json.loads(l) for l in open(predictions_path) if l.strip()]
    if len(predictions) != len(examples):
        print(f"{len(predictions)} predictions for {len(examples)} examples")
    hits = 0
    for example, got in zip(examples, predictions):
        if matches(example["expect"], got):
            hits += 1
        else:
            print(f"miss: {example['message']!r}\n  expected {json.dumps(example['expect'])}\n  got      {json.dumps(got)}")
    total = len(examples)
    print(f"accuracy: {hits}/{total} ({100 * hits / max(total, 1):.1f}%)")
    return 0 if hits == total else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
