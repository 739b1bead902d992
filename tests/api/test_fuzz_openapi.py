"""Schemathesis against the live ASGI app: no generated request makes the server fail.

Each operation in /openapi.json gets requests generated from its schema, valid ones
and invalid ones, sent with a city administrator's token (so they reach the handlers
instead of stopping at 401), on each engine. A 5xx, or an exception escaping the
app, fails the test and Hypothesis shrinks it to the smallest request that does it.

Schemathesis's own pytest loader for fixture-built schemas
(`schemathesis.pytest.from_fixture`) reads `request.node._nodeid`, which pytest 9
no longer has; so each operation runs its strategy under `given` here instead.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from civicgrid.api.app import create_app
from civicgrid.bootstrap import Container
from civicgrid.config import Settings
from tests.api.conftest import Accounts


def _operations() -> list[str]:
    """Every operation the app serves, read from its own OpenAPI document."""
    document = create_app(Settings(env="development")).openapi()
    return sorted(
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
    )


OPERATIONS = _operations()
MAX_EXAMPLES = 30


@pytest.fixture
def api_schema(city: Container) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(container=city))


def test_the_fuzzed_operations_are_those_schemathesis_finds(
    api_schema: schemathesis.BaseSchema,
) -> None:
    labels = [result.ok().label for result in api_schema.get_all_operations()]
    assert sorted(labels) == OPERATIONS


NO_INPUT = {"GET /healthz", "GET /api/v1/areas"}
"""Operations without parameters or body: nothing to make invalid, so only valid requests."""
CASES = [
    pytest.param(label, mode, id=f"{label}-{mode.value}")
    for label in OPERATIONS
    for mode in GenerationMode
    if not (label in NO_INPUT and mode is GenerationMode.NEGATIVE)
]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_no_generated_request_gets_a_server_error(
    api_schema: schemathesis.BaseSchema, accounts: Accounts, label: str, mode: GenerationMode
) -> None:
    method, path = label.split(" ")
    operation = api_schema[path][method]
    headers = accounts.headers("city_admin")
    strategy = operation.as_strategy(generation_mode=mode, headers=headers)
    if "{code}" in path and mode is GenerationMode.POSITIVE:
        # Random codes mostly miss; half the requests go to a real street instead, so
        # generated queries and bodies reach the listing and editing code as well.
        real = operation.as_strategy(
            generation_mode=mode, headers=headers, path_parameters={"code": "410102001"}
        )
        strategy = st.one_of(strategy, real)

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None)
    def send(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    # `given` sits on an inner function so every example shares this test's fixtures
    # (its database and token); on the test itself Hypothesis refuses per-test fixtures.
    send()
