"""The trace decoder is strict: every malformed line is a one-line error naming the line
(exit 2), never a traceback and never a false "conforms" (issue 11's campaign found each
of these passing or crashing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crosscheck.strict_json import BadJson, strict_loads
from zle.main import cli

LINE = 8
"""Line 8 of the crash trace is step 7, ``AdvanceTime(600)``, far from any sampled line."""


def edited(trace: Path, line: int, old: str, new: str) -> Path:
    text = trace.read_text().splitlines(keepends=True)
    assert old in text[line - 1], text[line - 1]
    text[line - 1] = text[line - 1].replace(old, new, 1)
    trace.write_text("".join(text))
    return trace


def replaced(trace: Path, line: int, new: str) -> Path:
    text = trace.read_text().splitlines(keepends=True)
    text[line - 1] = new + "\n"
    trace.write_text("".join(text))
    return trace


def malformed(trace: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["replay", str(trace), *args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return result.output


CASES = {
    "duplicate key": (
        lambda t: edited(t, LINE, '{"step":7,', '{"step":7,"step":7,'),
        "duplicate key 'step'",
    ),
    "integer of 5,000 digits": (
        lambda t: edited(t, LINE, '{"step":7,', '{"step":' + "1" * 5000 + ","),
        "too large",
    ),
    "deep nesting": (lambda t: replaced(t, LINE, "[" * 100_000 + "]" * 100_000), "nested"),
    "a float where an integer string belongs": (
        lambda t: edited(t, LINE, '"seconds":"600"', '"seconds":60.9'),
        "seconds",
    ),
    "Infinity": (
        lambda t: edited(t, LINE, '"seconds":"600"', '"seconds":Infinity'),
        "Infinity",
    ),
    "a lone surrogate in an id": (
        lambda t: edited(t, 5, '"owner":"bob"', '"owner":"\\ud800"'),
        "surrogate",
    ),
}


@pytest.mark.covers("TRACE-REPLAY", "TRACE-FORMAT")
@pytest.mark.parametrize("validate", ["all", "sample", "schema"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_malformed_line_is_named_never_a_traceback(
    crash_trace: Path, case: str, validate: str
) -> None:
    edit, words = CASES[case]
    output = malformed(edit(crash_trace), "--validate", validate)
    line = 5 if "surrogate" in case else LINE
    assert f":{line}:" in output or f"line {line}" in output, output
    assert words in output, output


@pytest.mark.covers("TRACE-FORMAT")
def test_canonical_lines_take_the_fast_path_and_others_are_still_exact() -> None:
    assert strict_loads(b'{"a":"1","b":[1,2]}\n') == {"a": "1", "b": [1, 2]}
    assert strict_loads(b'{ "a" : "1" }') == {"a": "1"}  # not canonical: the exact path
    for bad in (b'{"a":1, "a":2}', b"[NaN]", b'{"a":-Infinity}', b'"\\udc00"'):
        with pytest.raises(BadJson):
            strict_loads(bad)


@pytest.mark.covers("TRACE-FORMAT", "TRACE-REPLAY")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_the_models_own_records_are_schema_valid(policy: str) -> None:
    """What makes agreeing with the model a validation: every step record the model
    itself would write (events and changes included) passes the JSON Schema."""
    import random

    from crosscheck import schema, wire
    from crosscheck.fuzz import starting_states
    from crosscheck.replay import outcome_json
    from crosscheck.strategies import RandomChooser, next_action
    from model.engine import step

    chooser = RandomChooser(random.Random(policy))
    validator = schema.compiled("step")
    for start in starting_states(policy):
        state = start
        for number in range(1, 400):
            action = next_action(chooser, state, adversarial=number % 3 == 0)
            outcome = step(state, action)
            record = {
                "step": number,
                "action": wire.encode_action(action),  # type: ignore[arg-type]
                **outcome_json(outcome, state, action),
            }
            validator(record)
            state = outcome.state


@pytest.mark.covers("TRACE-FORMAT")
def test_the_strict_action_decoder_accepts_exactly_what_the_schema_accepts() -> None:
    from crosscheck import schema, wire

    good = {"Take": {"bidder": "b", "auction": "0", "amount": "-5", "max_price": "1" * 80}}
    variants = [
        good,
        {"Take": {**good["Take"], "amount": 5}},
        {"Take": {**good["Take"], "amount": "05"}},
        {"Take": {**good["Take"], "amount": "1" * 81}},
        {"Take": {**good["Take"], "amount": "5.0"}},
        {"Take": {**good["Take"], "bidder": 7}},
        {"Take": {**good["Take"], "extra": "1"}},
        {"Take": {k: v for k, v in good["Take"].items() if k != "amount"}},
        {"Take": good["Take"], "Redo": {"keeper": "k", "auction": "0"}},
        {"Nope": {}},
        {"AdvanceTime": {"seconds": "60.9"}},
        {"AdvanceTime": {"seconds": "-0"}},
        {"AdvanceTime": {"seconds": ""}},
        [],
        "Take",
    ]
    for variant in variants:
        strict = wire.decode_action_strict(variant) is not None
        assert strict == (schema.check(variant, "action") is None), variant
