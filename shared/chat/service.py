"""Chat: a person's message in, the right task tool run, a short reply out; and conversations.

One message takes three steps. The message is stored (and committed) first, so that the record
is honest whatever happens next; then the built-in interpreter, or the LLM when one is
configured, decides what to do, with no transaction open while a model may take seconds; then
the tools run and the reply is stored in one transaction, so the reply never claims something
that was rolled back.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.chat import llm
from shared.chat.interpreter import TaskRef, interpret
from shared.chat.tools import (
    ToolCall,
    ToolCallError,
    ToolContext,
    ToolOutcome,
    local_due_text,
    parse_call,
    run_tools,
)
from shared.database import session_scope
from shared.errors import ApiError, NotFoundError
from shared.models import Conversation, Message
from shared.pagination import Keyset, SortKey, paginate
from shared.tasks import service as task_service

logger = logging.getLogger("ironclad.chat")

HISTORY_MESSAGES = 12
INTERPRETER_THREADS = 1
TASK_REFS = 500
TITLE_CHARS = 80
CONVERSATIONS = Keyset(
    "conversations:-updatedAt",
    [
        SortKey(Conversation.updated_at, lambda c: c.updated_at, "instant", descending=True),
        SortKey(Conversation.id, lambda c: c.id, "int", descending=True, minimum=1),
    ],
)

FAILED_REPLY = "Sorry, something went wrong on my side and nothing was changed. Please try again."
NOT_UNDERSTOOD_REPLY = (
    "Sorry, I didn't understand that well enough to act on it. Try something like "
    "\u201cadd buy milk tomorrow\u201d, \u201cshow my tasks\u201d or \u201ccomplete task 3\u201d."
)


@dataclass(frozen=True)
class ChatResult:
    """What the endpoint answers: the conversation, the reply and the tools that ran."""

    conversation_id: int
    response: str
    tool_calls: list[dict[str, Any]]


@dataclass(frozen=True)
class _Decision:
    calls: list[ToolCall]
    reply: str


@dataclass(frozen=True)
class _Context:
    conversation_id: int
    history: list[tuple[str, str]]
    tasks: list[TaskRef]
    last_task_id: int | None


def _title(message: str) -> str:
    line = " ".join(message.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "\u2026"


async def _own_conversation(
    db: AsyncSession, *, user_id: str, conversation_id: int
) -> Conversation:
    conversation = await db.scalar(
        select(Conversation).where(
            Conversation.id == conversation_id, Conversation.user_id == user_id
        )
    )
    if conversation is None:
        raise NotFoundError("No such conversation.")
    return conversation


async def _task_refs(db: AsyncSession, *, user_id: str, zone: ZoneInfo) -> list[TaskRef]:
    """The person's most recent tasks, completed ones too, with their due dates in ``zone``."""
    rows = await task_service.recent_task_heads(db, user_id=user_id, limit=TASK_REFS)
    return [
        TaskRef(row.id, row.title, row.completed, row.priority,
                local_due_text(row.due_date, row.all_day, zone))  # fmt: skip
        for row in rows
    ]


async def _record_message(
    *, user_id: str, conversation_id: int | None, message: str, zone: ZoneInfo
) -> _Context:
    """Store the person's message (committed) and read what deciding on it needs."""
    now = clock.utcnow()
    async with session_scope() as db:
        if conversation_id is None:
            conversation = Conversation(
                user_id=user_id, title=_title(message), created_at=now, updated_at=now
            )
            db.add(conversation)
            await db.flush()
            history: list[tuple[str, str]] = []
        else:
            conversation = await _own_conversation(
                db, user_id=user_id, conversation_id=conversation_id
            )
            recent = await db.scalars(
                select(Message)
                .where(Message.conversation_id == conversation.id)
                .order_by(Message.id.desc())
                .limit(HISTORY_MESSAGES)
            )
            history = [(m.role, m.content) for m in reversed(list(recent))]
            conversation.updated_at = now
        db.add(
            Message(
                conversation_id=conversation.id,
                user_id=user_id,
                role="user",
                content=message,
                tool_calls=None,
                created_at=now,
            )
        )
        tasks = await _task_refs(db, user_id=user_id, zone=zone)
        # "It" only means a task that still exists.
        last = conversation.last_task_id
        last_task_id = last if any(t.id == last for t in tasks) else None
        return _Context(conversation.id, history, tasks, last_task_id)


def _interpret(message: str, *, now: datetime, context: _Context) -> _Decision:
    try:
        found = interpret(message, now=now, tasks=context.tasks, last_task_id=context.last_task_id)
    except Exception:
        # The interpreter is plain code over arbitrary text: a bug there must cost one reply,
        # not the request.
        logger.exception("the chat interpreter failed on a message")
        return _Decision([], NOT_UNDERSTOOD_REPLY)
    if found.tool == "none":
        return _Decision([], found.reply or NOT_UNDERSTOOD_REPLY)
    try:
        return _Decision([parse_call(found.tool, found.args)], found.reply)
    except ToolCallError as exc:
        # Usually a limit the interpreter does not know, such as a title over 200 characters.
        logger.info("an interpreted tool call was refused: %s", exc)
        return _Decision([], f"Sorry, I couldn't do that: {exc.problems}.")


async def _decide(message: str, *, now: datetime, zone_name: str, context: _Context) -> _Decision:
    """The LLM's decision when one is configured and answers usefully, else the interpreter's."""
    settings = llm.llm_settings()
    if settings is not None:
        prompt = llm.Prompt(
            message=message,
            history=context.history,
            now=now,
            zone_name=zone_name,
            tasks=context.tasks,
            last_task_id=context.last_task_id,
        )
        try:
            answer = await llm.ask(settings, prompt)
        except llm.LlmError as exc:
            logger.warning("LLM unusable, the built-in interpreter answers instead: %s", exc)
        else:
            return _Decision(answer.calls, answer.text)
    # Plain CPU work: on a worker thread, so that one long message never holds up the event loop
    # (and with it every other request this process serves). At most INTERPRETER_THREADS run at
    # once, so that a burst of chats cannot crowd the loop out of the interpreter lock either;
    # the rest wait their turn without blocking anything.
    loop = asyncio.get_running_loop()
    work = functools.partial(_interpret, message, now=now, context=context)
    return await loop.run_in_executor(_interpreters(), work)


@functools.cache
def _interpreters() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(INTERPRETER_THREADS, thread_name_prefix="chat-interpreter")


def _last_task_id(previous: int | None, outcomes: list[ToolOutcome]) -> int | None:
    last = previous
    for outcome in outcomes:
        if outcome.tool == "delete_task" and outcome.result.get("ok"):
            last = None
        elif outcome.task_id is not None:
            last = outcome.task_id
    return last


async def _record_reply(
    db: AsyncSession,
    *,
    user_id: str,
    context: _Context,
    reply: str,
    outcomes: list[ToolOutcome],
) -> None:
    # The conversation may have been deleted meanwhile; then there is nothing to reply in.
    conversation = await _own_conversation(
        db, user_id=user_id, conversation_id=context.conversation_id
    )
    now = clock.utcnow()
    conversation.last_task_id = _last_task_id(conversation.last_task_id, outcomes)
    conversation.updated_at = now
    db.add(
        Message(
            conversation_id=conversation.id,
            user_id=user_id,
            role="assistant",
            content=reply,
            tool_calls=[o.record() for o in outcomes],
            created_at=now,
        )
    )
    await db.flush()


async def chat(
    *, user_id: str, message: str, conversation_id: int | None, zone: ZoneInfo
) -> ChatResult:
    """Answer one message: store it, decide, run the tools, store and return the reply.

    Raises NotFoundError when conversation_id is not one of the person's conversations.
    """
    now = clock.utcnow().astimezone(zone)
    context = await _record_message(
        user_id=user_id, conversation_id=conversation_id, message=message, zone=zone
    )
    try:
        decision = await _decide(
            message, now=now.replace(tzinfo=None), zone_name=zone.key, context=context
        )
        async with session_scope() as db:
            tool_context = ToolContext(db=db, user_id=user_id, zone=zone, today=now.date())
            outcomes = await run_tools(tool_context, decision.calls)
            reply = "\n".join(o.summary for o in outcomes) if outcomes else decision.reply
            await _record_reply(
                db, user_id=user_id, context=context, reply=reply, outcomes=outcomes
            )
    except ApiError:
        raise
    except Exception:
        # Whatever broke was rolled back with the transaction; say so rather than answer 500.
        # If the database itself is gone this raises too, and the person gets the 503.
        logger.exception("answering a chat message failed")
        reply, outcomes = FAILED_REPLY, []
        async with session_scope() as db:
            await _record_reply(db, user_id=user_id, context=context, reply=reply, outcomes=[])
    return ChatResult(context.conversation_id, reply, [o.record() for o in outcomes])


# --- conversations ---


async def list_conversations(
    db: AsyncSession, *, user_id: str, limit: int, cursor: str | None
) -> tuple[list[Conversation], str | None]:
    """A page of the person's conversations, most recently active first, and the next cursor."""
    statement = select(Conversation).where(Conversation.user_id == user_id)
    return await paginate(db, statement, keyset=CONVERSATIONS, limit=limit, cursor=cursor)


async def get_conversation(
    db: AsyncSession, *, user_id: str, conversation_id: int
) -> tuple[Conversation, list[Message]]:
    """One of the person's conversations and its messages, oldest first (404 if not theirs)."""
    conversation = await _own_conversation(db, user_id=user_id, conversation_id=conversation_id)
    messages = await db.scalars(
        select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
    )
    return conversation, list(messages.all())


async def delete_conversation(db: AsyncSession, *, user_id: str, conversation_id: int) -> None:
    """Delete one of the person's conversations and its messages (404 if not theirs)."""
    conversation = await _own_conversation(db, user_id=user_id, conversation_id=conversation_id)
    # The foreign key cascades on PostgreSQL; SQLite keeps foreign keys off by default.
    await db.execute(delete(Message).where(Message.conversation_id == conversation.id))
    await db.delete(conversation)
    await db.flush()
