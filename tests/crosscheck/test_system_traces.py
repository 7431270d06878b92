"""System traces (format version 3): the schema derived from the model, a one-market
system trace that says what its version 2 trace says, replay and record through
``system_step``, and the system vectors per topology."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from immutables import Map

from crosscheck import system_schema, system_wire
from crosscheck.record import record_model, record_system_model
from crosscheck.trace import open_trace
from crosscheck.vectors import generate
from crosscheck.vectors.case import ListSource
from crosscheck.vectors.examples import crash_path
from crosscheck.vectors.systems import system_cases
from model.numbers import RAY, UINT256_MAX
from model.system import SystemConfig, Topology, compose
from zle.main import cli


def lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def write_lines(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture(scope="module")
def vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("systems") / "v"
    generate(directory, [ListSource("systems", tuple(system_cases()))], [])
    return directory


def trace_of(vectors: Path, topology: str, case: str) -> Path:
    return vectors / topology / "sequences" / case / "trace.jsonl"


# --- the format ------------------------------------------------------------------------------


@pytest.mark.covers("TRACE-SYSTEM-FORMAT")
def test_published_system_schema_is_the_one_derived_from_the_model() -> None:
    published = json.loads(system_schema.SCHEMA_PATH.read_text())
    assert published == system_schema.build_schema(), (
        "spec/system-trace.schema.json is stale: "
        "python -m crosscheck.system_schema > spec/system-trace.schema.json"
    )


@pytest.mark.covers("TRACE-SYSTEM-FORMAT", "TRACE-SYSTEM-REPLAY")
def test_a_one_market_system_trace_says_what_its_version_2_trace_says(tmp_path: Path) -> None:
    case = crash_path("gen3")
    record_model(tmp_path / "v2.jsonl", case.config, case.pre, case.actions)
    config = SystemConfig(Topology.ISOLATED, UINT256_MAX, RAY, 10**9)
    system = compose(config, Map({"ETH": case.pre}))
    wrapped = [
        system_wire.decode_action_strict({"OnMarket": {"market": "ETH", "action": a}})
        for a in (r["action"] for r in lines(tmp_path / "v2.jsonl")[1:])
    ]
    record_system_model(tmp_path / "v3.jsonl", system, wrapped)
    v2, v3 = lines(tmp_path / "v2.jsonl"), lines(tmp_path / "v3.jsonl")
    assert v3[0]["config"]["markets"] == {"ETH": v2[0]["config"]}
    assert v3[0]["state"]["markets"] == {"ETH": v2[0]["state"]}
    assert len(v2) == len(v3) and any("refused" in r for r in v2)
    for one, many in zip(v2[1:], v3[1:], strict=True):
        if "refused" in one:
            assert many["refused"] == one["refused"]
            continue
        body = many["accepted"]
        events = [e["OnMarketEvent"]["event"] for e in body["events"]]
        assert events == one["accepted"]["events"]
        assert body["changes"] == {"markets": {"ETH": one["accepted"]["changes"]}}
    for name in ("v2.jsonl", "v3.jsonl"):
        result = CliRunner().invoke(cli, ["replay", str(tmp_path / name), "--json", "-"])
        report = json.loads(result.output)
        assert result.exit_code == 0 and report["steps"] == len(v2) - 1, result.output
        assert report["violations"] == []


# --- malformed system traces: one line naming the line and the field, exit 2 ----------------


def _unknown_market_state(h: Any) -> None:
    h["state"]["markets"]["SOL"] = h["state"]["markets"]["LUNA"]


def _bad_topology(h: Any) -> None:
    h["config"]["topology"] = "MIXED"


def _venue_of_unknown_market(h: Any) -> None:
    h["state"]["venue_of"]["SOL"] = "solana"


def _cap_of_unknown_market(h: Any) -> None:
    h["state"]["backstop"]["caps"]["SOL"] = "1"


def _message_id_not_below_next(h: Any) -> None:
    message = {"source": "terra", "destination": "ethereum", "amount": "1", "sent_at": "0"}
    h["state"]["messages"]["0"] = message


def _halted_unknown_venue(h: Any) -> None:
    h["state"]["halted"] = ["solana"]


def _bad_market_parameters(h: Any) -> None:
    h["config"]["markets"]["ETH"]["oracle"]["step_period"] = "0"


def _market_without_state(h: Any) -> None:
    del h["state"]["markets"]["ETH"]


HEADER_FAULTS = {
    _unknown_market_state: "1: header at state/markets/SOL: unknown market",
    _bad_topology: "1: header at config/topology",
    _venue_of_unknown_market: "1: header at state/venue_of/SOL: unknown market",
    _cap_of_unknown_market: "1: header at state/backstop/caps/SOL: unknown market",
    _message_id_not_below_next: "1: header at state/messages/0: id is not below",
    _halted_unknown_venue: "1: header at state/halted/solana: unknown venue",
    _bad_market_parameters: "1: header at config/markets/ETH: invalid parameters",
    _market_without_state: "1: header at state/markets: market ETH is configured",
}


def _replay_fails(path: Path) -> str:
    result = CliRunner().invoke(cli, ["replay", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    return result.output


@pytest.mark.covers("TRACE-SYSTEM-FORMAT")
@pytest.mark.parametrize("fault", list(HEADER_FAULTS), ids=lambda f: f.__name__.strip("_"))
def test_a_malformed_system_header_is_named(vectors: Path, tmp_path: Path, fault: Any) -> None:
    records = lines(trace_of(vectors, "isolated", "routing"))
    fault(records[0])
    output = _replay_fails(write_lines(tmp_path / "t.jsonl", records))
    assert f"t.jsonl:{HEADER_FAULTS[fault]}" in " ".join(output.split()), output


@pytest.mark.covers("TRACE-SYSTEM-FORMAT")
def test_a_duplicate_market_is_malformed(vectors: Path, tmp_path: Path) -> None:
    text = trace_of(vectors, "isolated", "routing").read_text()
    header, rest = text.split("\n", 1)
    eth = header.index('"ETH":{"oracle"')
    end = header.index(',"LUNA":{"oracle"')
    duplicated = header[:end] + "," + header[eth:end] + header[end:]
    (tmp_path / "t.jsonl").write_text(duplicated + "\n" + rest)
    assert "t.jsonl:1:" in _replay_fails(tmp_path / "t.jsonl")


@pytest.mark.covers("TRACE-SYSTEM-FORMAT")
@pytest.mark.parametrize(
    ("action", "where"),
    [
        ({"Borrow": {"owner": "bob", "position": "0", "amount": "1"}}, "action"),
        ({"OnMarket": {"market": "ETH", "action": {"Borrow": {"owner": "bob"}}}}, "action"),
        ({"Tick": {"seconds": "1", "extra": "1"}}, "action"),
        ({"OnMarket": {"market": 7, "action": {"Tick": {"seconds": "1"}}}}, "action"),
    ],
)
def test_a_malformed_system_step_is_named(
    vectors: Path, tmp_path: Path, action: object, where: str
) -> None:
    records = lines(trace_of(vectors, "isolated", "routing"))
    records[3]["action"] = action
    output = _replay_fails(write_lines(tmp_path / "t.jsonl", records))
    assert "t.jsonl:4: step at " in output and where in output, output


@pytest.mark.covers("TRACE-SYSTEM-FORMAT")
def test_a_version_it_does_not_know_is_refused_naming_both_it_reads(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "t.jsonl", [{"zle_trace": 4, "config": {}, "state": {}}])
    output = _replay_fails(path)
    assert "version 4 is not supported" in output and "2 (one market) and 3" in output


# --- replay and record ---------------------------------------------------------------------


@pytest.mark.covers("TRACE-SYSTEM-REPLAY")
def test_a_divergence_names_the_market_and_the_field(vectors: Path, tmp_path: Path) -> None:
    records = lines(trace_of(vectors, "isolated", "shortfall_in_a"))
    step = next(r for r in records if "accepted" in r and "Liquidate" in json.dumps(r["action"]))
    step["accepted"]["changes"]["markets"]["LUNA"]["pool"]["cash"] = "1"
    result = CliRunner().invoke(
        cli, ["replay", str(write_lines(tmp_path / "t.jsonl", records)), "--json", "-"]
    )
    assert result.exit_code == 1, result.output
    (diff,) = json.loads(result.output)["divergence"]["diffs"]
    assert diff["path"] == 'markets["LUNA"].pool.cash' and diff["recorded"] == "1"


@pytest.mark.covers("TRACE-SYSTEM-REPLAY")
def test_a_refusal_code_and_a_checkpoint_are_compared(vectors: Path, tmp_path: Path) -> None:
    whole = str(trace_of(vectors, "shared", "messages"))
    assert CliRunner().invoke(cli, ["replay", whole, "--jobs", "2"]).exit_code == 0  # one core
    records = lines(trace_of(vectors, "shared", "messages"))
    early = next(r for r in records if r.get("refused", {}).get("error") == "MESSAGE_TOO_EARLY")
    early["refused"] = {"error": "VENUE_HALTED"}
    result = CliRunner().invoke(cli, ["replay", str(write_lines(tmp_path / "a.jsonl", records))])
    assert result.exit_code == 1 and "MESSAGE_TOO_EARLY" in result.output
    records = lines(trace_of(vectors, "shared", "messages"))
    records[-1]["state"]["clock"] = "1"
    result = CliRunner().invoke(cli, ["replay", str(write_lines(tmp_path / "b.jsonl", records))])
    assert result.exit_code == 1 and "clock" in result.output


@pytest.mark.covers("TRACE-SYSTEM-REPLAY")
def test_replay_checks_the_system_invariants(vectors: Path, tmp_path: Path) -> None:
    """A header whose system layer does not add up (quote in that is nowhere) conforms
    step by step but breaks SYS-CONSERVE-QUOTE from the initial state."""
    records = lines(trace_of(vectors, "isolated", "routing"))
    records[0]["state"]["ledger"]["quote_in"] = "1"
    records = records[:-1]  # the checkpoint carries the ledger too
    path = write_lines(tmp_path / "t.jsonl", records)
    report = json.loads(CliRunner().invoke(cli, ["replay", str(path), "--json", "-"]).output)
    assert report["conforms"] and report["violations"] == [
        {"step": 0, "requirement": "SYS-CONSERVE-QUOTE"}
    ]
    quiet = CliRunner().invoke(cli, ["replay", str(path), "--check-every", "0", "--json", "-"])
    assert json.loads(quiet.output)["violations"] == []


@pytest.mark.covers("TRACE-SYSTEM-REPLAY")
def test_record_runs_a_system_trace_through_an_implementation_of_systems(
    vectors: Path, tmp_path: Path
) -> None:
    source = str(trace_of(vectors, "shared", "backstop_up_to_cap"))
    out = tmp_path / "mine.jsonl"
    args = ["record", source, "--out", str(out), "--no-progress"]
    assert CliRunner().invoke(cli, [*args, "--impl", "crosscheck.adapter:model"]).exit_code == 0
    assert [r.get("step") for r in lines(out)] == [r.get("step") for r in lines(Path(source))[:-1]]
    assert CliRunner().invoke(cli, ["replay", str(out)]).exit_code == 0
    one_market = "tests.crosscheck.test_system_traces:one_market"
    result = CliRunner().invoke(cli, [*args, "--impl", one_market])
    assert result.exit_code == 2 and "systems = True" in result.output


def one_market() -> object:
    """An implementation of one market only (no ``systems`` attribute)."""
    from crosscheck.adapter import ModelImplementation

    class OneMarket:
        def __init__(self) -> None:
            self.inner = ModelImplementation()

        def reset(self, config: dict, state: dict) -> None:  # type: ignore[type-arg]
            self.inner.reset(config, state)

        def apply(self, action: dict) -> dict:  # type: ignore[type-arg]
            return self.inner.apply(action)

        def observe(self) -> dict:  # type: ignore[type-arg]
            return self.inner.observe()

    return OneMarket()


# --- the system vectors ----------------------------------------------------------------------


@pytest.mark.covers("CONFORMANCE-SYSTEM-VECTORS")
def test_system_vectors_regenerate_identically_and_conform(vectors: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, [ListSource("systems", tuple(system_cases()))], [])
    written = sorted(p.relative_to(vectors) for p in vectors.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for name in written:
        assert (vectors / name).read_bytes() == (again / name).read_bytes(), name
    manifest = json.loads((vectors / "manifest.json").read_text())
    expected = {
        "routing",
        "shortfall_in_a",
        "hole_refuses_kick_in_b",
        "shutdown",
        "backstop_up_to_cap",
        "messages",
    }
    for topology in ("isolated", "shared"):
        found = {c.split("/")[-1] for c in manifest["cases"] if c.startswith(f"{topology}/")}
        assert found == expected
        for case in expected:
            reader, stream = open_trace(trace_of(vectors, topology, case))
            stream.close()
            assert reader.system
    result = CliRunner().invoke(
        cli, ["vectors", "check", str(vectors), "--impl", "crosscheck.adapter:model", "--json", "-"]
    )
    assert result.exit_code == 0 and json.loads(result.output)["summary"]["passed"] == 12


@pytest.mark.covers("CONFORMANCE-SYSTEM-VECTORS")
@pytest.mark.parametrize("topology", ["isolated", "shared"])
def test_a_shortfall_in_luna_changes_nothing_in_eth(vectors: Path, topology: str) -> None:
    records = lines(trace_of(vectors, topology, "shortfall_in_a"))
    crash = [r for r in records[1:] if "LUNA" in json.dumps(r.get("action"))][-2:]
    for step in crash:
        changes = step["accepted"]["changes"]
        assert set(changes) == {"markets"} and set(changes["markets"]) == {"LUNA"}
    assert any(
        e["OnMarketEvent"]["event"].get("ShortfallCovered", {}).get("source") == "LPS"
        for e in crash[-1]["accepted"]["events"]
    )


@pytest.mark.covers("CONFORMANCE-SYSTEM-VECTORS")
def test_an_implementation_of_one_market_skips_the_system_vectors(vectors: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "vectors",
            "check",
            str(vectors),
            "--impl",
            "tests.crosscheck.test_system_traces:one_market",
            "--json",
            "-",
        ],
    )
    summary = json.loads(result.output)["summary"]
    assert result.exit_code == 0 and summary == {"passed": 0, "failed": 0, "skipped": 12}


@pytest.mark.covers("TRACE-SYSTEM-FORMAT")
def test_the_strict_system_action_decoder_accepts_exactly_what_the_schema_accepts() -> None:
    take = {"Take": {"bidder": "b", "auction": "0", "amount": "-5", "max_price": "1" * 80}}
    draw = {"DrawBackstop": {"caller": "k", "market": "ETH", "amount": "-1"}}
    variants = [
        {"OnMarket": {"market": "ETH", "action": take}},
        {"OnMarket": {"market": "ETH", "action": {"Take": {**take["Take"], "amount": 5}}}},
        {"OnMarket": {"market": "ETH", "action": take, "extra": "1"}},
        {"OnMarket": {"market": "ETH"}},
        {"OnMarket": {"market": ["ETH"], "action": take}},
        {"OnMarket": {"market": "ETH", "action": {"OnMarket": {"market": "ETH", "action": take}}}},
        draw,
        {"DrawBackstop": {**draw["DrawBackstop"], "amount": "01"}},
        {"DrawBackstop": {**draw["DrawBackstop"], "market": 1}},
        {"DrawBackstop": {**draw["DrawBackstop"], "amount": "1" * 81}},
        {"DeliverMessage": {"relayer": "r", "message": "-3"}},
        {"DeliverMessage": {"relayer": "r", "message": 3}},
        {"Tick": {"seconds": "1"}, "HaltVenue": {"venue": "v"}},
        {"HaltVenue": {"venue": "v"}},
        {"HaltVenue": {}},
        take,
        {"Nope": {}},
        [],
    ]
    for variant in variants:
        strict = system_wire.decode_action_strict(variant) is not None
        assert strict == (system_schema.check(variant, "system_action") is None), variant
