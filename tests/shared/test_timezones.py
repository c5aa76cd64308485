"""One time-zone type: the same names accepted, and the same refusal, wherever a zone is given."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import Person
from pydantic import TypeAdapter, ValidationError

from shared.timezones import TimeZoneName

ZONE_NAME: TypeAdapter[str] = TypeAdapter(TimeZoneName)
NOT_A_ZONE = "Not an IANA time zone name, e.g. Europe/Paris."
REFUSED = ["Mars/Olympus_Mons", "../../etc/passwd", "", "   ", "Europe/" + "x" * 64]


def test_names_are_trimmed_and_checked() -> None:
    assert ZONE_NAME.validate_python("  Europe/Paris ") == "Europe/Paris"
    assert ZONE_NAME.validate_python("UTC") == "UTC"
    for name in REFUSED:
        with pytest.raises(ValidationError) as refused:
            ZONE_NAME.validate_python(name)
        assert refused.value.errors()[0]["msg"] == f"Value error, {NOT_A_ZONE}", name


def _tasks_query(http: httpx.Client, ada: Person, name: str) -> httpx.Response:
    return http.get(ada.url("/tasks/stats"), headers=ada.headers, params={"timezone": name})


def _tasks_header(http: httpx.Client, ada: Person, name: str) -> httpx.Response:
    # HTTP drops the space around a header's value before anyone sees it.
    return http.get(ada.url("/tasks/stats"), headers={**ada.headers, "X-Timezone": name.strip()})


def _chat_body(http: httpx.Client, ada: Person, name: str) -> httpx.Response:
    return http.post(
        ada.url("/chat"), headers=ada.headers, json={"message": "hi", "timezone": name}
    )


def _chat_header(http: httpx.Client, ada: Person, name: str) -> httpx.Response:
    return http.post(
        ada.url("/chat"),
        headers={**ada.headers, "X-Timezone": name.strip()},
        json={"message": "hi"},
    )


PLACES: list[tuple[Any, str]] = [
    (_tasks_query, "query.timezone"),
    (_tasks_header, "header.X-Timezone"),
    (_chat_body, "body.timezone"),
    (_chat_header, "header.X-Timezone"),
]


@pytest.mark.parametrize(("send", "field"), PLACES)
def test_every_place_refuses_alike(http: httpx.Client, ada: Person, send: Any, field: str) -> None:
    for name in REFUSED:
        response = send(http, ada, name)
        assert response.status_code == 422, (name, response.text)
        assert response.json()["error"]["details"] == [
            {"field": field, "path": field.split("."), "message": NOT_A_ZONE}
        ], name


@pytest.mark.parametrize(("send", "field"), PLACES)
def test_every_place_accepts_a_padded_name(
    http: httpx.Client, ada: Person, send: Any, field: str
) -> None:
    assert send(http, ada, " Europe/Paris ").status_code == 200
