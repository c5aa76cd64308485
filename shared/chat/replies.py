"""Short, friendly reply texts for every outcome of the interpreter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .text import shorten

__all__ = ["HELP", "ambiguous_reply", "none_reply", "not_found_reply"]

HELP = (
    "I can add tasks (\"add call mom tomorrow at 5pm, high priority\", \"water the plants every "
    "Monday\"), list them (\"what's pending?\", \"what have I finished?\"), mark them done "
    "(\"I finished the report\") or not done again (\"reopen task 4\"), change them (\"move "
    "task 3 to Friday\", \"push it back a day\", \"make it urgent\", \"make it repeat every "
    "week\", \"rename task 2 to Call dad\") and delete them (\"delete task 4\"), one task at a "
    "time."
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
    "errand": "I can't do that myself; I keep your task list. Say \"add ...\" and I'll put it "
    "on the list.",
    "need_last": "Which task do you mean? Give me its number or some words from its title.",
    "unknown": "Sorry, I'm not sure what you'd like me to do. " + HELP,
}
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
    """Question naming, by title, the tasks that fit about equally well."""
    names = [f"\u201c{shorten(titles.get(i, ''), 40)}\u201d (#{i})" for i in candidates[:5]]
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    return f"Which one do you mean: {listed}?"
