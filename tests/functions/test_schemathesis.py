"""Schemathesis over /openapi.json, in process against the ASGI app, signed in as Ada.

What `schemathesis run` does, through its Python API: every operation, every check, all of its
phases (the documented examples, boundary coverage, fuzzing, and the stateful phase that
follows links from one response to the next request), a fixed seed and a bounded number of
examples. Zero failures: the document says what the API does, and no input gets a 500.

(`schemathesis.pytest.from_fixture`, the pytest integration, cannot run under pytest 9; the
engine is what the command line itself drives.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from conftest import Person
from schemathesis.engine import Status, events, from_schema
from schemathesis.python import asgi as schemathesis_asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance

SEED = 20261125
MAX_EXAMPLES = 10
# Answers to schema-valid requests that depend on state no schema can describe. Each is the
# API's documented behaviour, so the tool is wrong to call it a rejection of valid data:
STATEFUL_REJECTIONS = {
    # 412: an If-Match that is not the task's current ETag (the tool cannot know the ETag).
    (412, "precondition_failed"),
    # 422: an Idempotency-Key already used with another body (the status the IETF draft
    # on Idempotency-Key gives); the tool reuses its generated keys across bodies.
    (422, "idempotency_key_reused"),
    # 422: a cursor this list did not issue (a cursor is opaque; any string fits its schema).
    (422, "invalid_cursor"),
}
# 422 validation errors about other data of the person's: a categoryId or task id that is not
# theirs, an `until` before the stored dueDate, a recurrence on a task with no dueDate, or
# tags that would pass 20 once added to a task's own.
STATEFUL_MESSAGES = (
    "No such category of yours.",
    "No such task of yours.",
    "Must not be before the dueDate.",
    "A recurring task needs a dueDate.",
    "would have more than 20",
)


def _stateful_rejection(response: Any) -> bool:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    if (response.status_code, error.get("code")) in STATEFUL_REJECTIONS:
        return True
    details = error.get("details") or []
    return (
        response.status_code == 422
        and error.get("code") == "validation_error"
        and bool(details)
        and all(any(m in d.get("message", "") for m in STATEFUL_MESSAGES) for d in details)
    )


@schemathesis.check
def positive_data_acceptance_given_state(ctx: Any, response: Any, case: Any) -> bool | None:
    """The built-in positive_data_acceptance, less the answers in STATEFUL_REJECTIONS."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if _stateful_rejection(response):
            return None
        raise


def _config(person: Person) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": person.headers,
            # Every operation is tried as the signed-in person (`me`), not a random user id.
            "parameters": {"userId": "me"},
            "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
            # Every check, the built-in positive_data_acceptance replaced by the copy above.
            "checks": {"enabled": True, "positive_data_acceptance": {"enabled": False}},
            "workers": 1,
            "operations": [
                {
                    # The coverage phase sends one request per value of an enum, and these take
                    # a time zone (the TimeZone enum: ~600 names, twice): 1,200+ requests each.
                    # Fuzzing and the stateful phase still try them.
                    "include-operation-id": ["list_tasks", "task_stats", "post_chat"],
                    "phases": {"coverage": {"enabled": False}},
                }
            ],
        }
    )


@pytest.fixture(scope="module")
def api_schema(scratch_database: str, ada: Person) -> Iterator[Any]:
    from functions.app import create_container_app

    app = create_container_app()
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(ada))
    # The app's lifespan (and with it its database engine) ends with this module.
    schemathesis_asgi.shutdown_lifespans()


def _failures(finished: events.ScenarioFinished) -> list[str]:
    found = []
    for case_id, checks in finished.recorder.checks.items():
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                failure = check.failure_info.failure
                interaction = finished.recorder.interactions.get(case_id)
                answer = ""
                if interaction is not None and interaction.response is not None:
                    response = interaction.response
                    answer = f"{response.status_code} {response.content[:300]!r}"
                found.append(
                    f"{finished.phase.value} {finished.label}: {check.name}: {failure.title}\n"
                    f"    {failure.message}\n    {check.failure_info.code_sample}\n    -> {answer}"
                )
    return found


def test_schemathesis_finds_nothing(api_schema: Any, capsys: pytest.CaptureFixture[str]) -> None:
    problems: list[str] = []
    cases = 0
    operations: set[str] = set()
    phases: set[str] = set()
    per_phase: dict[str, int] = {}
    phase_time: dict[str, float] = {}
    for event in from_schema(api_schema).execute():
        if isinstance(event, events.ScenarioFinished):
            phases.add(event.phase.value)
            if event.label:
                operations.add(event.label)
            cases += len(event.recorder.cases)
            per_phase[event.phase.value] = per_phase.get(event.phase.value, 0) + len(
                event.recorder.cases
            )
            phase_time[event.phase.value] = (
                phase_time.get(event.phase.value, 0.0) + event.elapsed_time
            )
            problems += _failures(event)
            if event.status == Status.ERROR:
                problems.append(f"{event.phase.value} {event.label}: errored")
        elif isinstance(event, events.NonFatalError):
            problems.append(f"{event.phase} {event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            problems.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            problems += [f"after run: {f.title}: {f.message}" for f in event.failures]
            summary = (
                f"schemathesis: {len(operations)} operations, {cases} test cases, "
                f"phases {sorted(phases)}, {len(problems)} failures, "
                f"{event.running_time:.1f} s"
            )
    with capsys.disabled():
        print("\n" + summary, per_phase, {k: round(v, 1) for k, v in phase_time.items()})
    assert not problems, "\n".join(problems)
