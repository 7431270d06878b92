"""The trace schema: derived from the model, published in spec/, exact on uint256."""

from __future__ import annotations

import json
import random

import pytest

from crosscheck import schema, wire
from crosscheck.vectors.examples import crash_path
from model.numbers import UINT256_MAX


@pytest.mark.covers("TRACE-FORMAT")
def test_published_schema_is_the_one_derived_from_the_model() -> None:
    published = json.loads(schema.SCHEMA_PATH.read_text())
    assert published == schema.build_schema(), (
        "spec/trace.schema.json is stale: python -m crosscheck.schema > spec/trace.schema.json"
    )


@pytest.mark.covers("TRACE-FORMAT")
@pytest.mark.parametrize(
    "value",
    [0, 1, 10**77 - 1, 10**77, 2**255, UINT256_MAX - 1, UINT256_MAX],
)
def test_uint256_accepts_the_whole_range(value: int) -> None:
    assert schema.check(str(value), "uint256") is None
    assert schema.check({"pool": {"cash": str(value)}}, "changes") is None


@pytest.mark.covers("TRACE-FORMAT")
@pytest.mark.parametrize(
    "text", [str(2**256), str(10**78 - 1), "-1", "01", "1.0", "1e3", " 1", "", "0x10"]
)
def test_uint256_rejects_everything_else(text: str) -> None:
    assert schema.check({"pool": {"cash": text}}, "changes") is not None


@pytest.mark.covers("TRACE-FORMAT")
def test_exact_uint256_pattern_agrees_with_the_format() -> None:
    pattern = __import__("re").compile(schema.uint256_pattern())
    rng = random.Random(3)
    for _ in range(2_000):
        value = rng.randrange(
            2**256 - 10 ** rng.randrange(1, 77), 2**256 + 10 ** rng.randrange(1, 77)
        )
        assert (
            bool(pattern.match(str(value)))
            == (value <= UINT256_MAX)
            == schema.is_uint256(str(value))
        )


@pytest.mark.covers("TRACE-FORMAT")
def test_every_model_value_round_trips_through_the_wire_form() -> None:
    case = crash_path("gen2")
    config = wire.encode_config(case.config)
    assert schema.check(config, "config") is None
    assert wire.decode_config(config) == case.config
    state = wire.encode_state(case.pre)
    assert schema.check(state, "state") is None
    assert wire.decode_state(state, case.config) == case.pre
    for action in case.actions:
        encoded = wire.encode_action(action)  # type: ignore[arg-type]
        assert schema.check(encoded, "action") is None
        assert wire.decode_action(encoded) == action


@pytest.mark.covers("TRACE-FORMAT")
def test_errors_name_the_place_and_the_problem() -> None:
    record = {"step": 1, "action": {"Borow": {}}, "refused": {"error": "DUST"}}
    assert "unknown action kind" in (schema.check(record, "step") or "")
    record = {
        "step": 1,
        "action": {"Borrow": {"owner": "a", "position": 1, "amount": "1"}},
        "refused": {"error": "DUST"},
    }
    assert "action/Borrow/position" in (schema.check(record, "step") or "")
