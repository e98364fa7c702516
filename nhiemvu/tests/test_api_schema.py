"""schemathesis over the whole API schema: no server error, no response outside the schema.

Stateless: every operation with generated valid and invalid inputs. Stateful: sequences of
calls chained through the values responses return (task and document codes, cursors).
Runs through the WSGI application against the test database, with keys of several roles.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, settings

from nhiemvu.test import Province, api_key, register

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The key the next call sends: each test makes its own (the database is rolled back after it).
CURRENT: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class KeyAuth:
    """Schemathesis' own auth hook, so its auth checks know which credentials are real."""

    def get(self, case: Any, context: Any) -> str:
        return CURRENT.get("key", "nv_none_yet")  # asked once while collecting, too

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


EXAMPLES = 25
# Every check runs, configured by the project's schemathesis.toml (found from the working
# directory): a schema-valid request is accepted or refused for a reason no schema can state.


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    """As Django's test client does: a finished WSGI request must not close the connection
    that holds the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def keys(db: Any) -> dict[str, str]:
    p = Province()
    register(p)
    # A limit far above what the runs send: 429s would stand in for real answers.
    fast = 1_000_000
    keys = {
        "office": api_key(p.office_org, role="office", rate_per_minute=fast),
        "lead": api_key(p.agency_a, rate_per_minute=fast),
        "read": api_key(p.agency_b, scope="read", rate_per_minute=fast),
    }
    # Cases are generated (and their auth set) after the fixtures and before the test body.
    CURRENT["key"] = keys["office"]
    return keys


@pytest.fixture
def statuses(request: Any) -> Any:
    """The answers one operation gave across its examples. A list operation (no path
    parameter) must have succeeded at least once: the key really worked, this was no run of
    401s passing for a pass."""
    seen: list[int] = []
    yield seen
    name = request.node.name.partition("[")[2].rstrip("]")  # "GET /api/v1/tasks"
    if name.startswith("GET") and "{" not in name:
        assert any(200 <= code < 300 for code in seen), (name, sorted(set(seen)))


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_stateless(case: Any, keys: dict[str, str], statuses: list[int]) -> None:
    # As the office (the key the auth hook gave the case), then as the lead agency's system.
    statuses.append(case.call_and_validate().status_code)
    lead = {"Authorization": f"Bearer {keys['lead']}"}
    statuses.append(case.call_and_validate(headers=lead).status_code)


@pytest.mark.django_db
def test_stateful(keys: dict[str, str]) -> None:
    """Chains of calls following the links between operations (a list's codes into the detail
    and the actions, a document's tasks into the task operations)."""
    machine = schema.as_state_machine()

    CURRENT["key"] = keys["office"]
    answered: list[tuple[str, int]] = []

    class Stateful(machine):  # type: ignore[misc, valid-type]
        # Each generated sequence starts from the same database: its writes are rolled back,
        # so hypothesis can replay and shrink a failing sequence faithfully.
        def setup(self) -> None:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def after_call(self, response: Any, case: Any) -> None:
            answered.append((f"{case.method} {case.path}", response.status_code))

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response)

    Stateful.run(
        settings=settings(
            max_examples=30,
            deadline=None,
            stateful_step_count=6,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )
    # The chains reached real objects: a task or a document opened through a returned code.
    reached = {op for op, code in answered if code == 200 and "{code}" in op}
    assert reached, sorted(set(answered))
