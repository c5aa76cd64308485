"""Tags on tasks: stored per task, compared case-insensitively, filtered and counted."""

from __future__ import annotations

import json

import httpx
from conftest import lambda_event
from tasks_support import make_task, marker, task_ids


def test_tags_round_trip_deduplicated_case_insensitively(http: httpx.Client, ada) -> None:
    task = make_task(http, ada, tags=["Work", " home ", "work", "Errand"])
    assert task["tags"] == ["Errand", "home", "Work"]
    fetched = http.get(ada.url(f"/tasks/{task['id']}"), headers=ada.headers).json()
    assert fetched["tags"] == ["Errand", "home", "Work"]


def test_patch_replaces_tags_and_respells(http: httpx.Client, ada) -> None:
    task = make_task(http, ada, tags=["alpha", "beta"])
    response = http.patch(
        ada.url(f"/tasks/{task['id']}"), headers=ada.headers, json={"tags": ["BETA", "gamma"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["tags"] == ["BETA", "gamma"]
    assert response.json()["version"] == task["version"] + 1
    cleared = http.patch(ada.url(f"/tasks/{task['id']}"), headers=ada.headers, json={"tags": []})
    assert cleared.json()["tags"] == []


def test_tag_validation(http: httpx.Client, ada) -> None:
    for tags in (["x" * 51], [""], [f"t{i}" for i in range(21)], "work", [3]):
        response = http.post(
            ada.url("/tasks"), headers=ada.headers, json={"title": "t", "tags": tags}
        )
        assert response.status_code == 422, (tags, response.text)
        assert response.json()["error"]["details"][0]["field"].startswith("body.tags")
    null = http.patch(
        ada.url(f"/tasks/{make_task(http, ada)['id']}"), headers=ada.headers, json={"tags": None}
    )
    assert null.status_code == 422


def test_filter_by_tags_requires_all(http: httpx.Client, ada) -> None:
    word = marker()
    both = make_task(http, ada, f"{word} both", tags=["Red", "Blue"])
    red = make_task(http, ada, f"{word} red", tags=["red"])
    make_task(http, ada, f"{word} none")
    one = http.get(ada.url("/tasks"), headers=ada.headers, params={"q": word, "tag": "RED"})
    assert sorted(task_ids(one)) == sorted([both["id"], red["id"]])
    two = http.get(
        ada.url("/tasks"),
        headers=ada.headers,
        params=[("q", word), ("tag", "red"), ("tag", "blue")],
    )
    assert task_ids(two) == [both["id"]]


def test_other_parameters_still_refuse_repeats(http: httpx.Client, ada) -> None:
    response = http.get(ada.url("/tasks"), headers=ada.headers, params=[("q", "a"), ("q", "b")])
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "query.q"


def test_tag_counts_skip_deleted_and_are_per_person(http: httpx.Client, ada, grace) -> None:
    tag = marker()
    first = make_task(http, ada, tags=[tag.upper()])
    make_task(http, ada, tags=[tag, "other"])
    gone = make_task(http, ada, tags=[tag])
    make_task(http, grace, tags=[tag])
    assert http.delete(ada.url(f"/tasks/{gone['id']}"), headers=ada.headers).status_code == 204
    items = http.get(ada.url("/tags"), headers=ada.headers).json()["items"]
    counted = [item for item in items if item["name"].lower() == tag]
    assert counted == [{"name": first["tags"][0], "count": 2}]
    names = [item["name"].lower() for item in items]
    assert names == sorted(names)


def test_tags_lambda_handler(http: httpx.Client, ada, lambda_context) -> None:
    from functions import tags

    tag = marker()
    make_task(http, ada, tags=[tag])
    result = tags.handler(lambda_event("GET", "/api/me/tags", headers=ada.headers), lambda_context)
    assert result["statusCode"] == 200
    assert {"name": tag, "count": 1} in json.loads(result["body"])["items"]


def test_tags_need_the_owner(http: httpx.Client, ada, grace) -> None:
    assert http.get(ada.url("/tags")).status_code == 401
    assert http.get(ada.url("/tags"), headers=grace.headers).status_code == 403
