"""Stateful schema fuzzing (issue 9): schemathesis links operations whose inputs match other
operations' outputs (inferred from the schema: a created customer's id feeds its detail, edit,
contacts, batch verbs…) and walks random sequences of calls as an administrator and as a rep,
with the same checks as the per-operation fuzzing. Quick in ``make test``, longer in ``make fuzz``."""

import os

import pytest
from hypothesis import HealthCheck, settings

from shoal.gates.tests.test_schema_fuzz import CHECKS, DEEP, fuzz_world, in_process, schema  # noqa: F401

STEPS = int(os.environ.get("SHOAL_FUZZ_STATEFUL_RUNS", "60" if DEEP else "15"))


@pytest.mark.parametrize("actor", ["admin", "sales_rep"])
def test_linked_sequences_of_calls_stay_within_the_schema(actor, fuzz_world, db, in_process, record_property):  # noqa: F811
    machine = schema.as_state_machine()
    calls = []
    headers = {"Authorization": f"Token {fuzz_world.tokens[actor]}"}

    class Workflow(machine):
        def get_call_kwargs(self, case):
            calls.append(1)
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=(), **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Workflow.run(
        settings=settings(
            max_examples=STEPS,
            stateful_step_count=8 if DEEP else 5,
            deadline=None,
            derandomize=not DEEP,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    record_property("fuzz_examples", len(calls))
