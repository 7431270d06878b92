"""zle replay: conforming traces pass, the first divergence is pinned to its step and
fields, malformed files are named by line and never raise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crosscheck import replay as replay_module
from crosscheck import wire
from crosscheck.record import record_implementation
from crosscheck.replay import replay
from crosscheck.trace import open_trace
from crosscheck.vectors.examples import crash_path
from tests.crosscheck.conftest import write_crash_trace
from tests.crosscheck.toy_divergent import make as make_toy
from zle.main import cli


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(cli, ["replay", *args])


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def write_lines(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.mark.covers("TRACE-REPLAY")
def test_the_models_own_trace_conforms(crash_trace: Path) -> None:
    result = run_cli(str(crash_trace), "--json", "--check-every", "1")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["conforms"] and report["steps"] == 51 and report["checkpoints"] == 5
    assert report["violations"] == []


@pytest.mark.covers("TRACE-REPLAY")
@pytest.mark.parametrize("policy", ["gen1", "gen2"])
def test_every_policy_replays(tmp_path: Path, policy: str) -> None:
    trace = write_crash_trace(tmp_path / "t.jsonl", policy)
    assert run_cli(str(trace), "--validate", "sample").exit_code == 0


@pytest.mark.covers("TRACE-REPLAY")
def test_toy_implementation_diverges_at_the_rounded_take(tmp_path: Path) -> None:
    case = crash_path("gen3")
    actions = [wire.encode_action(a) for a in case.actions]  # type: ignore[arg-type]
    # a partial take, at a price that is not a whole number: the toy rounds its payment down
    actions[-2]["Take"]["amount"] = str(10**18 + 1)
    actions.insert(-2, {"AdvanceTime": {"seconds": "7"}})
    trace = tmp_path / "toy.jsonl"
    record_implementation(
        trace,
        make_toy(),
        wire.encode_config(case.config),
        wire.encode_state(case.pre),
        actions,
        producer="toy",
    )
    result = run_cli(str(trace), "--json")
    assert result.exit_code == 1
    divergence = json.loads(result.output)["divergence"]
    take_step = len(actions) - 1
    assert divergence["step"] == take_step and divergence["line"] == take_step + 1
    assert "Take" in divergence["action"]
    paths = [d["path"] for d in divergence["diffs"]]
    assert paths[0] == "events[0].Taken.paid"
    assert {"pool.cash", "auctions[0].debt", "exposure"} <= set(paths)
    first = divergence["diffs"][0]
    assert int(first["expected"]) == int(first["recorded"]) + 1


@pytest.mark.covers("TRACE-REPLAY")
def test_a_missed_change_and_an_extra_change_are_divergences(crash_trace: Path) -> None:
    records = lines(crash_trace)
    records[1]["accepted"]["changes"]["pool"].pop("cash")
    records[2]["accepted"]["changes"]["time"] = "5"
    result = run_cli(str(write_lines(crash_trace, records)), "--json")
    diffs = json.loads(result.output)["divergence"]["diffs"]
    assert result.exit_code == 1
    assert diffs == [
        {"path": "pool.cash", "expected": "1000000000000000000000000", "recorded": "0"}
    ]


@pytest.mark.covers("TRACE-REPLAY")
def test_outcome_and_error_divergences(crash_trace: Path) -> None:
    records = lines(crash_trace)
    records[1] = {"step": 1, "action": records[1]["action"], "refused": {"error": "ZERO_AMOUNT"}}
    result = run_cli(str(write_lines(crash_trace, records)), "--json")
    diffs = json.loads(result.output)["divergence"]["diffs"]
    assert diffs[0] == {
        "path": "outcome",
        "expected": "accepted",
        "recorded": "refused: ZERO_AMOUNT",
    }


@pytest.mark.covers("TRACE-REPLAY")
def test_same_value_writes_are_not_divergences(crash_trace: Path) -> None:
    records = lines(crash_trace)
    records[1]["accepted"]["changes"]["buffers"] = {"insurance": "0"}
    assert run_cli(str(write_lines(crash_trace, records))).exit_code == 0


@pytest.mark.covers("TRACE-REPLAY")
def test_checkpoint_divergence(crash_trace: Path) -> None:
    records = lines(crash_trace)
    checkpoint = next(i for i, r in enumerate(records) if "checkpoint" in r)
    records[checkpoint]["state"]["lp_shares"]["eve"] = "1"
    result = run_cli(str(write_lines(crash_trace, records)), "--json")
    divergence = json.loads(result.output)["divergence"]
    assert divergence["action"] is None and divergence["step"] == 10
    assert divergence["diffs"] == [{"path": 'lp_shares["eve"]', "recorded": "1"}]


@pytest.mark.covers("TRACE-REPLAY")
def test_out_of_range_action_arguments_are_refused_not_malformed(crash_trace: Path) -> None:
    records = lines(crash_trace)[:1]
    for n, amount in enumerate(["-1", str(2**256)], start=1):
        records.append(
            {
                "step": n,
                "action": {"SupplyLiquidity": {"lp": "x", "amount": amount}},
                "refused": {"error": "AMOUNT_OUT_OF_RANGE", "detail": "action.amount"},
            }
        )
    assert run_cli(str(write_lines(crash_trace, records))).exit_code == 0


def _malformed(path: Path, text: str) -> tuple[int, str]:
    path.write_text(text)
    result = run_cli(str(path))
    return result.exit_code, result.output


@pytest.mark.covers("TRACE-FORMAT", "TRACE-REPLAY")
@pytest.mark.parametrize(
    ("edit", "line", "words"),
    [
        (lambda t: t[: len(t) - 40], 57, "truncated"),
        (lambda t: "\n".join(t.splitlines()[1:]) + "\n", 1, "missing header"),
        (lambda t: "", 1, "empty file"),
        (lambda t: t.replace('"seconds":"600"', '"seconds":600', 1), 8, "is not of type 'string'"),
        (lambda t: t.replace('"seconds":"600"', '"seconds":"-600"', 1), None, None),
        (lambda t: t.replace('"time":"600"', '"time":"-600"', 1), 8, "not a uint256"),
        (lambda t: t.replace('"time":"600"', f'"time":"{2**256}"', 1), 8, "not a uint256"),
        (lambda t: t.replace('"AdvanceTime"', '"AdvanceTimes"', 1), 8, "unknown action kind"),
        (lambda t: t.replace('"TimeAdvanced"', '"TimeMoved"', 1), 8, "unknown event kind"),
        (lambda t: t.replace('"step":3,', '"step":4,', 1), 4, "step 4 where step 3"),
        (lambda t: t.replace('"dust":"1000000000000000000000"', '"dust":"-5"', 1), 1, "header"),
        (
            lambda t: t.replace(
                '"floor_ratio":"900000000000000000000000000"', '"floor_ratio":"0"', 1
            ),
            1,
            "invalid parameters",
        ),
        (lambda t: t + t.splitlines()[0] + "\n", 58, "a second header"),
        (lambda t: t.replace("\n", "\n\n", 3), 2, "blank line"),
        (lambda t: t.replace('"accepted"', '"acepted"', 1), 2, "'acepted' was unexpected"),
        (lambda t: t.replace('{"step":1,', '[{"step":1,', 1), 2, "not valid JSON"),
    ],
)
def test_malformed_traces_exit_2_with_line_and_reason(
    crash_trace: Path, edit: Any, line: int | None, words: str | None
) -> None:
    code, output = _malformed(crash_trace, edit(crash_trace.read_text()))
    if line is None:  # a negative action argument is well-formed: the model refuses it
        assert code == 1 and "AMOUNT_OUT_OF_RANGE" in output
        return
    assert code == 2, output
    assert "Traceback" not in output
    assert f":{line}:" in output or f"line {line}" in output, output
    assert words is not None and words in output, output


@pytest.mark.covers("TRACE-REPLAY")
def test_dangling_reference_in_the_initial_state_is_malformed(crash_trace: Path) -> None:
    records = lines(crash_trace)
    records[0]["state"]["auctions"] = {
        "0": {
            k: "0"
            for k in [
                "position",
                "lot",
                "debt",
                "fee",
                "top",
                "floor",
                "tic",
                "anchor",
                "incentives_paid",
                "resets",
            ]
        }
        | {"backed": True, "position": "7"}
    }
    records[0]["state"]["next_auction"] = "1"
    code, output = _malformed(crash_trace, "".join(json.dumps(r) + "\n" for r in records))
    assert code == 2 and "position 7 does not exist" in output


@pytest.mark.covers("TRACE-REPLAY")
def test_an_unreadable_file_is_malformed(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / "absent.jsonl"))
    assert result.exit_code == 2


@pytest.mark.covers("TRACE-REPLAY")
def test_invariant_violations_are_reported_with_their_first_step(
    crash_trace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake(state: Any) -> tuple[str, ...]:
        return ("BALANCE-SHEET",) if state.time >= 3_000 else ()

    monkeypatch.setattr(replay_module, "violated_invariants", fake)
    reader, stream = open_trace(crash_trace)
    with stream:
        report = replay(reader.header, reader, check_every=20)
    # time reaches 3,000 at the fifth AdvanceTime(600): step 6 + 2 * 4 + 1 = 15
    assert [(v.step, v.requirement) for v in report.violations] == [(15, "BALANCE-SHEET")]


@pytest.mark.covers("TRACE-REPLAY")
def test_an_inconsistent_initial_state_is_reported_at_step_0(crash_trace: Path) -> None:
    records = lines(crash_trace)
    records[0]["state"]["ledger"]["quote_in"] = "1"
    result = run_cli(str(write_lines(crash_trace, records)), "--json")
    violations = json.loads(result.output)["violations"]
    assert {"step": 0, "requirement": "CONSERVE-QUOTE"} in violations


@pytest.mark.covers("TRACE-REPLAY")
@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r["accepted"].pop("events"),
        lambda r: r["accepted"]["changes"].__setitem__("time", "0600"),
        lambda r: r["accepted"]["events"][0]["TimeAdvanced"].__setitem__("time", 600),
    ],
)
def test_sampled_validation_still_reports_malformed_records(crash_trace: Path, edit: Any) -> None:
    records = lines(crash_trace)
    edit(records[7])  # step 7 is not among the sampled records (1, 65, ...)
    result = run_cli(str(write_lines(crash_trace, records)), "--validate", "sample")
    assert result.exit_code == 2, result.output
    assert "line 8" in result.output or ":8:" in result.output


@pytest.mark.covers("TRACE-FORMAT", "ORACLE-REFERENCE")
def test_a_version_1_trace_is_refused_with_the_reason(crash_trace: Path, tmp_path: Path) -> None:
    """Version 1 predates the per-time reference clamp (config.oracle.step_period): its
    reference moved max_step on every report, so it cannot conform; replay says why."""
    records = lines(crash_trace)
    records[0]["zle_trace"] = 1
    del records[0]["config"]["oracle"]["step_period"]
    result = run_cli(str(write_lines(tmp_path / "v1.jsonl", records)))
    assert result.exit_code == 2
    assert "trace format version 1 is not supported" in result.output
    assert "step_period" in result.output
