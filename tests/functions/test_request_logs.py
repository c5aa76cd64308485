"""On Lambda, each invocation logs one JSON line naming the route, the user and the AWS request id.

The handler runs in a fresh process that looks like Lambda (AWS_LAMBDA_FUNCTION_NAME set), fed
a recorded API Gateway event and a context carrying the request id, as the runtime does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import Person

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "tests" / "events"

_INVOKE = """
import json, sys
from functions import me

class Context:
    function_name = "ironclad-todo-me"
    aws_request_id = "7d0b4e34-7c7a-4f4e-9f55-1c1f2c3d4e5f"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self):
        return 29_000

for name in sys.argv[1:]:
    event = json.loads(open(name).read())
    me.handler(event, Context())
"""


def test_each_invocation_logs_one_json_line_with_the_aws_request_id(ada: Person) -> None:
    env = {**os.environ, "AWS_LAMBDA_FUNCTION_NAME": "ironclad-todo-me"}
    env.pop("LOG_FORMAT", None)
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            _INVOKE,
            str(EVENTS / "me_get_bearer.json"),
            str(EVENTS / "me_get_anonymous.json"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    records = [json.loads(line) for line in completed.stdout.splitlines()]
    access = [r for r in records if r["logger"] == "ironclad.access"]
    assert [(r["route"], r["status"], r["user_id"]) for r in access] == [
        ("/api/me", 200, ada.id),
        ("/api/me", 401, None),
    ]
    for record in access:
        assert record["aws_request_id"] == "7d0b4e34-7c7a-4f4e-9f55-1c1f2c3d4e5f"
        assert record["method"] == "GET" and record["level"] == "INFO"
        assert record["request_id"] and record["duration_ms"] >= 0
    bearer = json.loads((EVENTS / "me_get_bearer.json").read_text())["headers"]["authorization"]
    assert bearer.split()[1] not in completed.stdout + completed.stderr
