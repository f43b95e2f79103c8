"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

Every operation gets generated valid and invalid requests (as an admin, so no request is
turned away at the door); the checks: no 5xx, only documented status codes and content
types, responses that match their schemas, invalid input refused, a correct ``Allow`` on
405. Left out: "schema-valid request accepted" — a schema cannot say that an expiry date
must follow the effective date or that a street must exist in the district, and those are
refused with 422 and a Chinese reason by design. What the full ``st run`` found is in
BENCHMARKS.md ("API load").

(schemathesis' own pytest plugin reads a private pytest attribute that pytest 9 removed,
so the operations are driven through its Python API with Hypothesis directly.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation

from tests.api_support import issue_tokens

pytestmark = pytest.mark.slow
pytest_plugins = ("tests.api_fixtures",)

EXAMPLES = 10


def _labels() -> list[str]:
    # the schema does not depend on settings or data: an app that is never started has it
    from api.app import create_app

    paths = create_app(assistant_parts=()).openapi()["paths"]
    return [f"{method.upper()} {path}" for path, ops in paths.items() for method in ops]


@pytest.fixture(scope="module")
def fuzz_target(desk_home) -> Iterator[tuple[object, str]]:
    """The app's schema (full app, assistant loaded, on the module's KB) and an admin token."""
    from schemathesis.python.asgi import shutdown_lifespans

    from api.app import create_app
    from kb.db import get_database

    token = issue_tokens(get_database(), ("admin",))["admin"]
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app()), token
    shutdown_lifespans()  # schemathesis started the app's lifespan: release the index now


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", _labels())
def test_operation_conforms_to_the_schema(fuzz_target, label: str, mode: GenerationMode) -> None:
    schema, token = fuzz_target
    operation = schema.find_operation_by_label(label)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        # a case that deliberately breaks the headers (e.g. drops Authorization) is sent as is
        broken_headers = case.meta is not None and case.meta.is_negative_at(
            ParameterLocation.HEADER
        )
        case.call_and_validate(
            headers=None if broken_headers else {"Authorization": f"Bearer {token}"},
            excluded_checks=[positive_data_acceptance],
        )

    run()
