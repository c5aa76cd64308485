"""Chat under /api/{userId}/chat, and its conversations under /api/{userId}/conversations."""

from __future__ import annotations

from starlette.responses import Response

from shared.application import lambda_handler
from shared.binding import Call
from shared.chat import service
from shared.chat.schemas import (
    ChatRequest,
    ChatResponse,
    ConversationDetail,
    ConversationListQuery,
    ConversationPage,
    ConversationRead,
    MessageRead,
    ToolCallRead,
)
from shared.http import json_response
from shared.models import Conversation, Message
from shared.routing import Router, build_routes
from shared.timezones import TIMEZONE_HEADER, caller_zone

CHAT = "/api/{user_id}/chat"
CONVERSATIONS = "/api/{user_id}/conversations"
CONVERSATION = CONVERSATIONS + "/{conversation_id}"

router = Router("chat")


def _conversation(conversation: Conversation) -> ConversationRead:
    return ConversationRead.model_validate(conversation, from_attributes=True)


def _message(message: Message) -> MessageRead:
    return MessageRead.model_validate(
        {
            "id": message.id,
            "role": message.role,
            "content": message.content,
            "tool_calls": message.tool_calls or [],
            "created_at": message.created_at,
        }
    )


# The chat service runs each message in transactions of its own.
@router.route(
    "POST",
    CHAT,
    "Manage your tasks in plain English",
    body=ChatRequest,
    response=ChatResponse,
    errors=(404,),
    request_headers={
        TIMEZONE_HEADER: "Your IANA time zone, when the body gives none (default UTC)."
    },
    session=None,
)
async def post_chat(call: Call[ChatRequest, None]) -> Response:
    """Send a message; the assistant acts on the person's tasks and replies."""
    result = await service.chat(
        user_id=call.user_id,
        message=call.body.message,
        conversation_id=call.body.conversation_id,
        zone=caller_zone(call.request, call.body.timezone),
    )
    return json_response(
        ChatResponse(
            conversation_id=result.conversation_id,
            response=result.response,
            tool_calls=[ToolCallRead.model_validate(c) for c in result.tool_calls],
        )
    )


@router.route(
    "GET",
    CONVERSATIONS,
    "List your chat conversations",
    query=ConversationListQuery,
    response=ConversationPage,
)
async def list_conversations(call: Call[None, ConversationListQuery]) -> Response:
    """The person's conversations, the most recently active first."""
    found, next_cursor = await service.list_conversations(
        call.db, user_id=call.user_id, limit=call.query.limit, cursor=call.query.cursor
    )
    return json_response(
        ConversationPage(items=[_conversation(c) for c in found], next_cursor=next_cursor)
    )


@router.route(
    "GET",
    CONVERSATION,
    "Get a conversation and its messages",
    response=ConversationDetail,
    errors=(404,),
)
async def get_conversation(call: Call[None, None]) -> Response:
    """One conversation with its messages, oldest first."""
    conversation, messages = await service.get_conversation(
        call.db, user_id=call.user_id, conversation_id=call.ids["conversation_id"]
    )
    return json_response(
        ConversationDetail(
            **_conversation(conversation).model_dump(),
            messages=[_message(m) for m in messages],
        )
    )


@router.route("DELETE", CONVERSATION, "Delete a conversation", status_code=204, errors=(404,))
async def delete_conversation(call: Call[None, None]) -> Response:
    """Delete a conversation and its messages (204); the tasks it touched stay."""
    await service.delete_conversation(
        call.db, user_id=call.user_id, conversation_id=call.ids["conversation_id"]
    )
    return Response(status_code=204)


operations = router.operations
routes = build_routes(operations)
handler = lambda_handler(routes)
