"""The Vyper gen 2 auction house agrees with the model: every gen 2 vector, a fuzz run
under the preset and under random parameters, and a trace recorded from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosscheck.evm.adapter import EvmImplementation
from crosscheck.fuzz import fuzz
from tests.evm.conftest import MAPPING
from zle.main import cli

pytestmark = pytest.mark.xdist_group("evm")

FUZZ_STEPS = {"preset": 500, "random": 300}
"""The ci-sized fuzz: about 8 ms of EVM per step (apply, then every getter)."""


@pytest.mark.covers(
    "CONFORMANCE-VECTORS",
    "GEN2-DSS",
    "GEN2-BARK",
    "GEN2-STATUS",
    "GEN2-REDO-INCENTIVE",
    "CURVE-RPOW",
    "CURVE-LINEAR",
    "CURVE-STAIRSTEP",
    "CURVE-EXPONENTIAL",
)
def test_every_gen2_vector_passes(vectors_dir: Path) -> None:
    """``zle vectors check --impl evm:...``: exit 0; every gen 2 case passes (operations,
    the sequence, the curves); gen 1's and gen 3's are skipped, with the reason, and so
    are the system vectors (the harness runs one market)."""
    result = CliRunner().invoke(
        cli, ["vectors", "check", str(vectors_dir), "--impl", f"evm:{MAPPING}", "--json"]
    )
    assert result.exit_code == 0, result.output
    cases = json.loads(result.output)["cases"]
    gen2 = [c for c in cases if c["case"].startswith("gen2/")]
    assert [c for c in gen2 if not c["passed"]] == []
    assert {c["case"].split("/")[1] for c in gen2} == {"operations", "sequences", "curves"}
    systems = [c for c in cases if c["case"].split("/")[0] in ("isolated", "shared")]
    assert systems and all("systems = True" in c["skipped"] for c in systems)
    others = [c for c in cases if not c["case"].startswith("gen2/") and c not in systems]
    assert others and all("implements gen2, not gen" in c["skipped"] for c in others)


@pytest.mark.covers("DIFFERENTIAL-FUZZ")
@pytest.mark.parametrize("params", ["preset", "random"])
def test_fuzz_finds_no_divergence(contract: EvmImplementation, params: str, tmp_path: Path) -> None:
    out = tmp_path / "divergence.jsonl"
    report = fuzz(contract, "gen2", steps=FUZZ_STEPS[params], seed=3, out=out, params=params)  # type: ignore[arg-type]
    assert report.divergence is None, report.divergence
    assert report.steps >= FUZZ_STEPS[params] // 2 and not out.exists()


@pytest.mark.covers("TRACE-REPLAY")
def test_a_trace_recorded_from_the_contract_conforms(vectors_dir: Path, tmp_path: Path) -> None:
    source = vectors_dir / "gen2" / "sequences" / "crash_path" / "trace.jsonl"
    out = tmp_path / "contract.jsonl"
    runner = CliRunner()
    recorded = runner.invoke(
        cli, ["record", str(source), "--impl", f"evm:{MAPPING}", "--out", str(out), "--json"]
    )
    assert recorded.exit_code == 0, recorded.output
    assert json.loads(recorded.output)["steps"] == 51
    header = json.loads(out.read_text().splitlines()[0])
    assert header["producer"].startswith("zle record --impl evm:")
    replayed = runner.invoke(cli, ["replay", str(out), "--json"])
    assert replayed.exit_code == 0, replayed.output


def test_fuzz_skips_the_policies_the_contract_lacks() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["fuzz", "--impl", f"evm:{MAPPING}", "--policy", "gen3"])
    assert result.exit_code == 2 and "implements gen2 only" in result.output


def test_the_deployable_contract_runs_the_gas_benchmark_crash() -> None:
    """contracts/auction_house.vy itself (no loaders), from its constructor's genesis:
    the benchmark's crash agrees with the model at every step (``measure`` checks)."""
    from benchmarks.contract_gas import CONTRACTS, CURVES, MEASURED, measure
    from crosscheck.evm.mapping import read_mapping

    mapping = read_mapping(MAPPING)
    house = EvmImplementation(mapping, source=CONTRACTS / "auction_house.vy", loaders=False)
    gas = measure(house, CURVES["linear"])
    assert set(gas) == set(MEASURED)
    assert all(0 < execution < 1_000_000 and paid > 21_000 for execution, paid in gas.values())
