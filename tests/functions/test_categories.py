"""Categories over HTTP: CRUD, case-insensitive unique names, deletion keeping tasks."""

from __future__ import annotations

import uuid

import httpx


def _name() -> str:
    return f"Work {uuid.uuid4().hex[:8]}"


def _code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


def test_category_crud(http, ada) -> None:
    name = _name()
    created = http.post(
        ada.url("/categories"), json={"name": name, "color": "#FF8800"}, headers=ada.headers
    )
    assert created.status_code == 201
    category = created.json()
    assert created.headers["location"] == f"/api/{ada.id}/categories/{category['id']}"
    assert (
        category["name"] == name and category["color"] == "#FF8800" and category["userId"] == ada.id
    )

    url = ada.url(f"/categories/{category['id']}")
    assert http.get(url, headers=ada.headers).json() == category
    listed = http.get(ada.url("/categories"), headers=ada.headers).json()["items"]
    assert category in listed

    patched = http.patch(url, json={"color": "#000000"}, headers=ada.headers).json()
    assert patched["name"] == name and patched["color"] == "#000000"
    replaced = http.put(url, json={"name": name + " renamed"}, headers=ada.headers).json()
    assert replaced["name"] == name + " renamed" and replaced["color"] is None

    assert http.delete(url, headers=ada.headers).status_code == 204
    assert http.get(url, headers=ada.headers).status_code == 404


def test_names_are_unique_per_person_regardless_of_case(http, ada, grace) -> None:
    name = _name()
    assert (
        http.post(ada.url("/categories"), json={"name": name}, headers=ada.headers).status_code
        == 201
    )
    duplicate = http.post(ada.url("/categories"), json={"name": name.upper()}, headers=ada.headers)
    assert duplicate.status_code == 409 and _code(duplicate) == "conflict"
    # Another person may use the same name.
    assert (
        http.post(grace.url("/categories"), json={"name": name}, headers=grace.headers).status_code
        == 201
    )

    other = http.post(ada.url("/categories"), json={"name": _name()}, headers=ada.headers).json()
    rename = http.patch(
        ada.url(f"/categories/{other['id']}"),
        json={"name": f"  {name.lower()} "},
        headers=ada.headers,
    )
    assert rename.status_code == 409
    # Renaming to a different casing of its own name is fine.
    same = http.patch(
        ada.url(f"/categories/{other['id']}"),
        json={"name": other["name"].upper()},
        headers=ada.headers,
    )
    assert same.status_code == 200


def test_invalid_categories_are_422(http, ada) -> None:
    for body in (
        {},
        {"name": ""},
        {"name": "x" * 51},
        {"name": "ok", "color": "red"},
        {"name": None},
    ):
        response = http.post(ada.url("/categories"), json=body, headers=ada.headers)
        assert response.status_code == 422, body
        assert _code(response) == "validation_error"


def test_deleting_a_category_keeps_its_tasks(http, ada) -> None:
    category = http.post(ada.url("/categories"), json={"name": _name()}, headers=ada.headers).json()
    task = http.post(
        ada.url("/tasks"),
        json={"title": "keep me", "categoryId": category["id"]},
        headers=ada.headers,
    ).json()
    assert (
        http.delete(ada.url(f"/categories/{category['id']}"), headers=ada.headers).status_code
        == 204
    )
    kept = http.get(ada.url(f"/tasks/{task['id']}"), headers=ada.headers)
    assert kept.status_code == 200
    assert kept.json()["categoryId"] is None


def test_another_persons_category_is_404(http, ada, grace) -> None:
    graces = http.post(
        grace.url("/categories"), json={"name": _name()}, headers=grace.headers
    ).json()
    url = ada.url(f"/categories/{graces['id']}")
    for response in (
        http.get(url, headers=ada.headers),
        http.patch(url, json={"name": "mine"}, headers=ada.headers),
        http.put(url, json={"name": "mine"}, headers=ada.headers),
        http.delete(url, headers=ada.headers),
    ):
        assert response.status_code == 404
        assert _code(response) == "not_found"
    assert http.get(grace.url("/categories"), headers=ada.headers).status_code == 403
    assert (
        http.get(grace.url(f"/categories/{graces['id']}"), headers=grace.headers).json()["name"]
        == graces["name"]
    )
