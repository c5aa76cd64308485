"""Short, friendly reply texts for every outcome of the interpreter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from .text import shorten

__all__ = ["HELP", "action_reply", "ambiguous_reply", "none_reply", "not_found_reply"]

HELP = (
    "I can add tasks (\"add call mom tomorrow at 5pm, high priority\"), list them (\"what's "
    "pending?\"), mark them done (\"I finished the report\"), change them (\"move task 3 to "
    "Friday\", \"make it urgent\", \"rename task 2 to Call dad\") and delete them (\"delete "
    "task 4\"), one task at a time."
)
_NONE_REPLIES = {
    "greeting": "Hi! " + HELP,
    "thanks": "You're welcome! Anything else for your list?",
    "ack": "OK. Tell me if you want to add, change or finish a task.",
    "bye": "Bye! Your tasks will be here when you come back.",
    "cancel": "OK, I've left your tasks as they are.",
    "help": HELP,
    "empty": "I didn't catch anything there. " + HELP,
    "too_long": "That message is too long for me. Please send one short command, "
    "like \"add buy milk tomorrow\".",
    "not_english": "Sorry, I only understand English todo commands, like \"add buy milk "
    "tomorrow\" or \"show my tasks\".",
    "refuse": "I can only manage your tasks, one at a time, so I haven't changed anything.",
    "bulk": "I can only change or delete one task at a time, so I haven't touched anything. "
    "Tell me which task, for example \"delete task 3\".",
    "need_title": "What should the new task say? For example: \"add buy milk tomorrow\".",
    "need_title_value": "What should the new title be? For example: \"rename task 2 to Call "
    "dad\".",
    "need_date": "When should it be moved to? For example: \"move {subject} to Friday\".",
    "reopen": "I can't reopen a finished task yet; you could add it again as a new task.",
    "need_last": "Which task do you mean? Give me its number or some words from its title.",
    "unknown": "Sorry, I'm not sure what you'd like me to do. " + HELP,
}
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]  # fmt: skip


def _when(due: str) -> str:
    try:
        if "T" in due:
            moment = datetime.fromisoformat(due)
            day = moment.date()
            clock = f" at {moment:%H:%M}"
        else:
            day, clock = date.fromisoformat(due), ""
    except ValueError:
        return due
    weekday, month = _WEEKDAY_NAMES[day.weekday()], _MONTH_NAMES[day.month - 1]
    return f"{weekday} {day.day} {month} {day.year}{clock}"


def _task_name(task_id: int, titles: Mapping[int, str]) -> str:
    title = titles.get(task_id)
    return f'task {task_id} "{shorten(title)}"' if title else f"task {task_id}"


def none_reply(reason: str, subject: str = "") -> str:
    """Reply for a message that leads to no tool call."""
    text = _NONE_REPLIES.get(reason, _NONE_REPLIES["unknown"])
    return text.replace("{subject}", shorten(subject, 40) or "it")


def not_found_reply(phrase: str) -> str:
    """Reply when no task title fits the words used."""
    return (
        f'I couldn\'t find a task matching "{shorten(phrase, 50)}". Say "show my tasks" to see '
        "them with their numbers."
    )


def ambiguous_reply(candidates: Sequence[int], titles: Mapping[int, str]) -> str:
    """Question naming the tasks that fit equally well."""
    names = [f'#{i} "{shorten(titles.get(i, ""), 40)}"' for i in candidates[:5]]
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    return f"Which one do you mean: {listed}?"


def action_reply(tool: str, args: Mapping[str, Any], titles: Mapping[int, str]) -> str:
    """Describe the tool call about to be made."""
    if tool == "add_task":
        parts = [f'I\'ll add "{shorten(str(args["title"]))}"']
        if args.get("due"):
            parts.append(f"due {_when(str(args['due']))}")
        if args.get("priority"):
            parts.append(f"with {args['priority']} priority")
        if args.get("category"):
            parts.append(f"in {args['category']}")
        return ", ".join(parts) + "."
    if tool == "list_tasks":
        status = args.get("status", "all")
        label = {"pending": "pending tasks", "completed": "completed tasks"}.get(
            str(status), "tasks"
        )
        return f"Here are your {label}."
    task = _task_name(int(args.get("taskId", 0)), titles)
    if tool == "complete_task":
        return f"I'll mark {task} as done."
    if tool == "delete_task":
        return f"I'll delete {task}."
    changes = []
    if "title" in args:
        changes.append(f'rename it to "{shorten(str(args["title"]))}"')
    if "due" in args:
        changes.append(f"set the due date to {_when(str(args['due']))}")
    if "priority" in args:
        changes.append(f"set the priority to {args['priority']}")
    if "description" in args:
        changes.append(f'set the description to "{shorten(str(args["description"]))}"')
    return f"I'll update {task}: " + ", ".join(changes) + "."
