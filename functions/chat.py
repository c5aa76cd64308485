"""Chat under /api/{userId}/chat, and its conversations under /api/{userId}/conversations."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from shared.application import lambda_handler
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
from shared.database import session_scope
from shared.http import authorize_owner, json_response, path_id, read_json, read_query
from shared.models import Conversation, Message
from shared.routing import Operation, build_routes
from shared.timezones import TIMEZONE_HEADER, caller_zone

CHAT = "/api/{user_id}/chat"
CONVERSATIONS = "/api/{user_id}/conversations"
CONVERSATION = CONVERSATIONS + "/{conversation_id}"


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


async def post_chat(request: Request) -> Response:
    """Send a message; the assistant acts on the person's tasks and replies."""
    principal = await authorize_owner(request)
    body = await read_json(request, ChatRequest)
    zone = caller_zone(request, body.timezone)
    result = await service.chat(
        user_id=principal.user.id,
        message=body.message,
        conversation_id=body.conversation_id,
        zone=zone,
    )
    return json_response(
        ChatResponse(
            conversation_id=result.conversation_id,
            response=result.response,
            tool_calls=[ToolCallRead.model_validate(c) for c in result.tool_calls],
        )
    )


async def list_conversations(request: Request) -> Response:
    """The person's conversations, the most recently active first."""
    principal = await authorize_owner(request)
    query = read_query(request, ConversationListQuery)
    async with session_scope() as db:
        found, next_cursor = await service.list_conversations(
            db, user_id=principal.user.id, limit=query.limit, cursor=query.cursor
        )
        return json_response(
            ConversationPage(items=[_conversation(c) for c in found], next_cursor=next_cursor)
        )


async def get_conversation(request: Request) -> Response:
    """One conversation with its messages, oldest first."""
    principal = await authorize_owner(request)
    conversation_id = path_id(request, "conversation_id")
    async with session_scope() as db:
        conversation, messages = await service.get_conversation(
            db, user_id=principal.user.id, conversation_id=conversation_id
        )
        return json_response(
            ConversationDetail(
                **_conversation(conversation).model_dump(),
                messages=[_message(m) for m in messages],
            )
        )


async def delete_conversation(request: Request) -> Response:
    """Delete a conversation and its messages (204); the tasks it touched stay."""
    principal = await authorize_owner(request)
    conversation_id = path_id(request, "conversation_id")
    async with session_scope() as db:
        await service.delete_conversation(
            db, user_id=principal.user.id, conversation_id=conversation_id
        )
    return Response(status_code=204)


TAG = "chat"
operations = [
    Operation(
        "POST",
        CHAT,
        post_chat,
        "Manage your tasks in plain English",
        TAG,
        body=ChatRequest,
        response=ChatResponse,
        errors=(404,),
        request_headers={
            TIMEZONE_HEADER: "Your IANA time zone, when the body gives none (default UTC)."
        },
    ),
    Operation(
        "GET",
        CONVERSATIONS,
        list_conversations,
        "List your chat conversations",
        TAG,
        query=ConversationListQuery,
        response=ConversationPage,
    ),
    Operation(
        "GET",
        CONVERSATION,
        get_conversation,
        "Get a conversation and its messages",
        TAG,
        response=ConversationDetail,
        errors=(404,),
    ),
    Operation(
        "DELETE",
        CONVERSATION,
        delete_conversation,
        "Delete a conversation",
        TAG,
        status_code=204,
        errors=(404,),
    ),
]
routes = build_routes(operations)
handler = lambda_handler(routes)
