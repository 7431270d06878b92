"""Conformance vectors: stable layout, every refusal code the engine can give, the branches
they reach, the MakerDAO curves, and the checker finding a divergent implementation."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosscheck import schema
from crosscheck.adapter import ModelImplementation
from crosscheck.vectors import check_vectors
from crosscheck.vectors.curves import curve_cases
from crosscheck.vectors.reach import ENGINE_FILES
from model.actions import ACTION_KINDS
from model.curves.abaci import linear_decrease, rpow, stairstep_exponential_decrease
from model.errors import SYSTEM_CODES, RefusalCode
from model.numbers import RAY
from tests.crosscheck.toy_divergent import make as make_toy
from zle.main import cli

UNREACHABLE = {
    RefusalCode.INVALID_FIELD: "the wire form cannot carry a field of the wrong type",
    RefusalCode.UNDERFLOW: "a backstop in sub(): every guard checks before subtracting",
    RefusalCode.DIVISION_BY_ZERO: "every divisor is guarded, or fixed > 0 by validate(config)",
}
"""Refusal codes no vector reaches, and why (the symbolic explorer may prove it)."""

BRANCH_FLOOR = 0.90
"""Share of the engine's branches the vectors must reach (measured: 270 of 292)."""


def outcomes(directory: Path) -> dict[str, set[tuple[str, str]]]:
    """For each policy: (action directory, outcome label) of every operation vector."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for meta in directory.glob("*/operations/*/*/meta.json"):
        policy, _, handler = meta.parts[-5:-2]
        found[policy].add((handler, json.loads(meta.read_text())["outcome"]))
    return found


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_layout_is_policy_runner_handler_case(vectors_dir: Path) -> None:
    manifest = json.loads((vectors_dir / "manifest.json").read_text())
    assert manifest["zle_vectors"] == 2 and manifest["trace_format"] == schema.FORMAT_VERSION
    for case in vectors_dir.glob("*/operations/*/*/"):
        files = {p.name for p in case.iterdir()}
        assert {"config.json", "pre.json", "action.json", "meta.json"} <= files
        accepted = {"post.json", "events.json"} <= files and "refusal.json" not in files
        refused = "refusal.json" in files and not files & {"post.json", "events.json"}
        assert accepted or refused, case
        name = case.relative_to(vectors_dir).as_posix()
        outcome = json.loads((case / "meta.json").read_text())["outcome"]
        assert manifest["cases"][name] == outcome
    cases = {p.relative_to(vectors_dir).as_posix() for p in vectors_dir.glob("*/*/*/*/")}
    cases |= {p.relative_to(vectors_dir).as_posix() for p in vectors_dir.glob("*/sequences/*/")}
    assert set(manifest["cases"]) == cases
    assert sorted(p.name for p in vectors_dir.iterdir()) == [
        "gen1",
        "gen2",
        "gen3",
        "isolated",
        "manifest.json",
        "shared",
    ]


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_every_refusal_code_is_reached(vectors_dir: Path) -> None:
    reached = {
        label.removeprefix("refused: ")
        for found in outcomes(vectors_dir).values()
        for _, label in found
    }
    single_market = (code for code in RefusalCode if code not in SYSTEM_CODES)
    missing = {code for code in single_market if code.value not in reached}
    assert missing == set(UNREACHABLE), missing


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_every_action_has_accepted_and_refused_vectors_under_every_policy(
    vectors_dir: Path,
) -> None:
    for policy, found in outcomes(vectors_dir).items():
        handlers = {h for h, _ in found}
        assert len(handlers) == len(ACTION_KINDS), (policy, handlers)
        for handler in handlers:
            labels = {label for h, label in found if h == handler}
            if handler != "open_position":  # its guard never refuses
                assert any(label.startswith("refused") for label in labels), (policy, handler)
            supported = labels != {"refused: UNSUPPORTED_ACTION"} and labels != {
                "refused: UNSUPPORTED_ACTION",
                "refused: AMOUNT_OUT_OF_RANGE",
            }
            if supported:
                assert "accepted" in labels, (policy, handler)


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_vectors_reach_the_engines_branches(vectors_dir: Path, tmp_path: Path) -> None:
    data, report = tmp_path / "coverage.data", tmp_path / "coverage.json"
    include = ",".join(ENGINE_FILES)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "run",
            "--branch",
            f"--data-file={data}",
            f"--include={include}",
            "-m",
            "crosscheck.vectors.reach",
            str(vectors_dir),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", f"--data-file={data}", "-o", str(report), "-q"],
        check=True,
    )
    totals = json.loads(report.read_text())["totals"]
    share = totals["covered_branches"] / totals["num_branches"]
    print(f"vectors reach {totals['covered_branches']} of {totals['num_branches']} branches")
    assert share >= BRANCH_FLOOR


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_the_model_passes_its_own_vectors(vectors_dir: Path) -> None:
    results = list(check_vectors(vectors_dir, ModelImplementation()))
    assert [r.to_json() for r in results if not r.passed] == []
    assert len(results) > 400


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_vectors_find_the_toy_divergence(vectors_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "vectors",
            "check",
            str(vectors_dir),
            "--impl",
            "tests.crosscheck.toy_divergent:make",
            "--json",
        ],
    )
    assert result.exit_code == 1
    document = json.loads(result.output)
    cases = document["cases"]
    summary = document["summary"]
    # one object per case, as --help promises, passed or not
    assert len(cases) == summary["passed"] + summary["failed"] + summary["skipped"]
    assert {"case", "passed"} <= set(cases[0])
    failures = [c for c in cases if not c["passed"]]
    assert summary["failed"] == len(failures) > 0
    names = {f["case"] for f in failures}
    assert "gen3/operations/take/take_rounds_up" in names
    assert "gen2/operations/take/take_rounds_up" in names
    for failure in failures:
        first = failure["diffs"][0]
        assert first["path"].endswith(("Taken.paid", "PolPurchased.paid")), failure
        assert int(first["expected"]) == int(first["recorded"]) + 1
    assert all("/take/" in n or "/end_auction/" in n or "/sequences/" in n for n in names)
    _ = make_toy


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_malformed_vector_directories_exit_2(vectors_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    impl = ["--impl", "crosscheck.adapter:model"]
    assert runner.invoke(cli, ["vectors", "check", str(tmp_path), *impl]).exit_code == 2
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(
        vectors_dir / "gen1" / "operations" / "repay", broken / "gen1" / "operations" / "repay"
    )
    shutil.copy(vectors_dir / "manifest.json", broken)
    action = next(broken.glob("*/*/*/*/action.json"))
    action.write_text('{"Repay": {"payer": "a", "position": "0", "amount": 5}}')
    result = runner.invoke(cli, ["vectors", "check", str(broken), *impl])
    assert (
        result.exit_code == 2
        and "action.json" in result.output
        and "Traceback" not in result.output
    )
    assert (
        runner.invoke(cli, ["vectors", "check", str(broken), "--impl", "nowhere:x"]).exit_code == 2
    )


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_generate_refuses_to_replace_a_directory_that_is_not_vectors(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["vectors", "generate", str(tmp_path)])
    assert result.exit_code == 2 and (tmp_path / "notes.txt").exists()


@pytest.mark.covers("CURVE-LINEAR", "CURVE-STAIRSTEP", "CURVE-EXPONENTIAL", "CURVE-RPOW")
def test_curve_vectors(vectors_dir: Path) -> None:
    cases = {(c.function, c.name): c.to_json() for c in curve_cases()}
    top = 1_820 * RAY
    assert cases[("linear_decrease", "half")]["output"] == str(top // 2)
    assert cases[("linear_decrease", "at_tau")]["output"] == "0"
    assert cases[("linear_decrease", "overflow_top")]["error"] == "OVERFLOW"
    step = cases[("stairstep_exponential_decrease", "dur_90")]["output"]
    assert (
        step
        == str(top * 99 // 100)
        == str(stairstep_exponential_decrease(top, 90, 90, RAY * 99 // 100))
    )
    assert cases[("stairstep_exponential_decrease", "step_zero")]["error"] == "DIVISION_BY_ZERO"
    assert cases[("exponential_decrease", "overflow_cut")]["error"] == "OVERFLOW"
    assert cases[("rpow", "half_up")]["output"] == str(rpow(3, 2, 2)) == "5"
    assert cases[("rpow", "square_overflow")]["error"] == "OVERFLOW"
    assert linear_decrease(7, 1, 3) == int(cases[("linear_decrease", "rounds_down")]["output"])
    written = list(vectors_dir.glob("gen2/curves/*/*/case.json"))
    assert len(written) == len(cases)
    for path in written:
        assert json.loads(path.read_text()) == cases[(path.parts[-3], path.parts[-2])]


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_generation_is_atomic(tmp_path: Path) -> None:
    from crosscheck.vectors import generate
    from crosscheck.vectors.case import ListSource
    from crosscheck.vectors.constructed import ConstructedCases

    class Failing:
        name = "failing"

        def cases(self) -> list[object]:
            raise RuntimeError("a source fails half-way")

    good = ListSource("constructed", tuple(ConstructedCases().cases())[:3])
    target = tmp_path / "v"
    with pytest.raises(RuntimeError):
        generate(target, [good, Failing()], [])  # type: ignore[list-item]
    assert list(tmp_path.iterdir()) == []
    generate(target, [good], [])
    first = sorted(p.name for p in target.rglob("*"))
    with pytest.raises(RuntimeError):
        generate(target, [good, Failing()], [])  # type: ignore[list-item]
    assert sorted(p.name for p in target.rglob("*")) == first
    assert [p.name for p in tmp_path.iterdir()] == ["v"]
