"""Wire models of the chat endpoint and of conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from shared.pagination import Page
from shared.schemas import ApiModel, EntityId, QueryModel, RequestModel
from shared.timezones import TimeZoneName

MAX_MESSAGE_CHARS = 2000


def storable_text(value: object) -> object:
    """Text PostgreSQL can store: NUL characters dropped, lone surrogates replaced.

    JSON may carry both (`\\u0000`, `\\ud800`), and either would make the insert fail.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\x00", "")
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# The before-validator sits last so that it runs first, ahead of the length checks.
ChatText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS),
    BeforeValidator(storable_text),
    # The document says so too: something besides white space (and the NULs that are dropped).
    Field(json_schema_extra={"pattern": "[^\\s\\u0000]"}),
]


class ChatRequest(RequestModel):
    """One message from the person; without conversationId a new conversation starts."""

    message: ChatText = Field(
        description="What the person typed: 1 to 2,000 characters once surrounding space is "
        "trimmed (an empty or whitespace-only message is a 422)."
    )
    conversation_id: EntityId | None = None
    timezone: TimeZoneName | None = Field(
        default=None,
        description="The person's IANA time zone; falls back to the X-Timezone header, then UTC.",
    )


class ToolCallRead(ApiModel):
    """One action the assistant took, with what the service answered."""

    tool: str
    args: dict[str, Any]
    result: dict[str, Any]


class ChatResponse(ApiModel):
    conversation_id: int
    response: str
    tool_calls: list[ToolCallRead]


class ConversationRead(ApiModel):
    id: int
    title: str
    created_at: datetime
    updated_at: datetime


class ConversationListQuery(QueryModel):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: Annotated[str, StringConstraints(max_length=500)] | None = None


# Conversations, the most recently active first.
ConversationPage = Page[ConversationRead]


class MessageRead(ApiModel):
    id: int
    role: Literal["user", "assistant"]
    content: str
    tool_calls: list[ToolCallRead]
    created_at: datetime


class ConversationDetail(ConversationRead):
    """A conversation and its messages, oldest first."""

    messages: list[MessageRead]
