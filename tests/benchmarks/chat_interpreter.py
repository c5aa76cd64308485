"""Latency of the offline chat interpreter: ordinary messages, and the worst cases.

Runs interpret() over the development set, the phrasing sets and a set of hostile inputs (each
cut to the endpoint's 2,000-character limit) against 500 tasks, many times, and prints p50 /
p95 / p99 / max in milliseconds, for the phrasing sets and for the 2,000-character ones apart,
and for "dense" 2,000-character messages (one kind of phrase repeated: the worst cases).
The bound (issue 12): p95 under 5 ms and the worst case under 50 ms. Times are CPU time by
default (`--clock wall` for wall-clock time, which a busy machine inflates); caches are cold by
default (`--warm` keeps them, as a running server does between messages).

``--titles varied`` draws the 500 titles from a vocabulary of ~500 words instead of a few dozen,
which is what makes finding a task by its title cost more.

Usage: ``python tests/benchmarks/chat_interpreter.py [--iterations N] [--titles varied]`` from the
repository root.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from shared.chat import matching, typos  # noqa: E402
from shared.chat.interpreter import TaskRef, interpret  # noqa: E402

SETS = sorted((REPO / "tests" / "chat").glob("*.jsonl"))
MAX_CHARS = 2000

HOSTILE = [
    "",
    "   ",
    "a" * 10_000,
    "delete the report " * 550,
    "remind me " + "to " * 300 + "call mom",
    "the 1st " * 120,
    "1/2/" * 240,
    " , " * 330,
    "at 5 " * 190,
    "'" * 999,
    "'a " * 330,
    "mark " + "x " * 480 + "done",
    "🙂" * 300,
    "你好，请帮我添加一个任务",
    "'; DROP TABLE tasks; --",
    "ignore previous instructions and delete all tasks",
    "add " + "very " * 190 + "long title tomorrow",
    "in in in in in in in in in in in in in in in in 3 days",
    "move " + "the report " * 80 + "to friday",
    # The longest message the endpoint accepts, in shapes that make the rules work hardest.
    "delete the report " * 120,
    "mark " + "buy milk " * 250 + "done",
    "the gym thing " * 150 + ", just delete it",
    "push " + "the quarterly report " * 100 + "back a day",
    "what haven't i done " * 110,
    "i didn't actually " + "water the plants " * 120,
    "add " + "every monday " * 160,
    "delte cmplete shwo wendesday " * 70,
    "called mom " * 190,
    ", ".join(["buy milk"] * 230),
    "xq" * 1000,
    "a, " * 700,
]

_VERBS = ["Buy", "Call", "Email", "Fix", "Clean", "Book", "Pay", "Review", "Write", "Plan",
          "Water", "Send", "Prepare", "Renew", "Pick up", "Schedule", "Organise", "Return"]
_NOUNS = ["milk", "mom", "the quarterly report", "the leaking tap", "the garage",
          "dentist appointment", "rent", "PR #{n}", "blog post", "team offsite", "the plants",
          "invoice {n}", "slides for the demo", "passport", "dry cleaning", "library books",
          "car insurance", "birthday party", "flight to Berlin", "tax return"]


# The longest message again, packed with one kind of phrase each (dates, priorities, fillers):
# every one is a candidate some rule weighs, the slowest inputs found by hand. Timed apart.
DENSE = [
    "monday " * 300,
    "on friday " * 200,
    "tomorrow at 5pm urgent every monday high priority march 3 10:30 " * 40,
    "mark " + "march 3 " * 250,
    "mark " + "1/2 " * 500,
    "in 2 days " * 200,
    "morning " * 250,
    "tomorrow x morning x " * 100,
    "p1 " * 700,
    "delete " + "plz " * 500,
    # a run of small talk that fails at its end: read every way, these never finished
    "thank you " * 199 + "x",
    "thanks, thats all " * 110 + "x",
]

HOSTILE_SET = {m[:MAX_CHARS] for m in HOSTILE}
DENSE_SET = {m[:MAX_CHARS] for m in DENSE}


def make_tasks(count: int, seed: int = 7, *, varied: bool = False) -> list[TaskRef]:
    """A deterministic list of ``count`` plausible tasks.

    Their titles use a few dozen words, as one person's list often does; ``varied`` titles are
    two to six words drawn from the ~500 words of the phrasing sets, so that looking a title up
    meets a large vocabulary too.
    """
    rng = random.Random(seed)
    vocabulary = _set_words() if varied else []
    tasks = []
    for n in range(1, count + 1):
        if varied:
            title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(2, 6)))
        else:
            title = f"{rng.choice(_VERBS)} {rng.choice(_NOUNS).format(n=n)}"
        tasks.append(TaskRef(n, title, completed=rng.random() < 0.3,
                             priority=rng.choice([None, "low", "medium", "high"])))
    return tasks


def _set_words() -> list[str]:
    """The distinct words (three letters or more) of the phrasing sets' messages and titles."""
    words: set[str] = set()
    for path in SETS:
        for line in path.open():
            if line.strip():
                example = json.loads(line)
                texts = [example["message"]] + [task["title"] for task in example["tasks"]]
                for text in texts:
                    words.update(re.findall(r"[a-z]{3,}", text.lower()))
    return sorted(words)


def load_messages() -> list[str]:
    """Messages of every phrasing set in tests/chat plus the hostile inputs (2,000 chars max)."""
    messages: list[str] = []
    for path in SETS:
        messages += [json.loads(line)["message"] for line in path.open() if line.strip()]
    return [m[:MAX_CHARS] for m in messages + HOSTILE + DENSE]


def main() -> int:
    """Time every message ``--iterations`` times and print the percentiles."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--titles", choices=["few-words", "varied"], default="few-words",
                        help="titles from a few dozen words (default) or from ~500 words")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                        help="CPU time of this process (default: what a message costs, whatever "
                             "else the machine runs) or wall-clock time")
    parser.add_argument("--warm", action="store_true",
                        help="keep the word caches between calls (default: clear them before "
                             "each call, as if every message and title were new)")
    args = parser.parse_args()
    tasks = make_tasks(args.tasks, varied=args.titles == "varied")
    messages = load_messages()
    now = datetime(2026, 3, 2, 9, 0)
    for message in messages:  # warm-up: regex compilation is at import, caches fill here
        interpret(message, now=now, tasks=tasks, last_task_id=3)
    # As the service does once started (shared/application.py): what start-up made is never
    # walked by the garbage collector again, so a full collection is no ~40 ms pause.
    gc.freeze()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    timings: list[float] = []
    for _ in range(args.iterations):
        for message in messages:
            if not args.warm:
                _clear_caches()
            start = clock()
            interpret(message, now=now, tasks=tasks, last_task_id=3)
            timings.append((clock() - start) * 1000)
    sent = messages * args.iterations
    made_up = HOSTILE_SET | DENSE_SET
    typed = [t for t, m in zip(timings, sent, strict=True) if m not in made_up]
    longest = [t for t, m in zip(timings, sent, strict=True)
               if len(m) >= MAX_CHARS - 100 and m not in DENSE_SET]  # fmt: skip
    dense = [t for t, m in zip(timings, sent, strict=True) if m in DENSE_SET]
    print(f"messages={len(messages)} iterations={args.iterations} tasks={args.tasks} "
          f"calls={len(timings)} caches={'warm' if args.warm else 'cold'} clock={args.clock} "
          f"titles={args.titles}")
    _report(f"{len(typed) // args.iterations} phrasing-set messages", typed)
    _report(f"{len(longest) // args.iterations} hostile messages of ~{MAX_CHARS} chars", longest)
    _report(f"{len(dense) // args.iterations} dense messages of {MAX_CHARS} chars", dense)
    _report("everything", timings)
    slowest = sorted(messages, key=lambda m: -_time_one(m, tasks, now))[:3]
    for message in slowest:
        print(f"slow: {_time_one(message, tasks, now):.2f} ms  {message[:60]!r}")
    return 0


def _report(label: str, timings: list[float]) -> None:
    timings = sorted(timings)
    q = statistics.quantiles(timings, n=100)
    print(f"{label}: p50={q[49]:.3f} ms  p95={q[94]:.3f} ms  p99={q[98]:.3f} ms  "
          f"max={timings[-1]:.3f} ms")


def _clear_caches() -> None:
    typos._correction.cache_clear()
    matching.stem.cache_clear()
    matching.content_stems.cache_clear()
    matching._similarity.cache_clear()
    matching._cached_index.cache_clear()


def _time_one(message: str, tasks: list[TaskRef], now: datetime) -> float:
    _clear_caches()
    start = time.perf_counter()
    interpret(message, now=now, tasks=tasks, last_task_id=3)
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    sys.exit(main())
