"""The exit-code table of the README, command by command: 0 ok, 1 a finding, 2 bad input.

Where reaching a finding for real costs minutes (a failed proof, a surviving mutant, a
fuzzing divergence), the work function is replaced by one that reports it: what is
tested is the command's answer to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from crosscheck.record import record_model
from crosscheck.vectors import generate
from crosscheck.vectors.case import ListSource, VectorCase
from crosscheck.vectors.constructed import ConstructedCases
from crosscheck.vectors.examples import crash_path
from proofs.report import Record
from tests.simulation.conftest import SMALL
from zle.main import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def zle(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def record(passed: bool, requirement: str = "ACT-FUND-POL") -> Record:
    return Record(
        name=f"{requirement}/gen3/x",
        requirement_ids=(requirement,),
        policy="gen3",
        task="t",
        expect="proved",
        verdict="proved" if passed else "unknown",
        passed=passed,
        paths=1,
        rlimit=1,
        seconds=0.0,
        explore_rlimit=0,
        explore_seconds=0.0,
        task_obligations=1,
        detail="",
        witness=None,
    )


@pytest.fixture(scope="module")
def trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = crash_path("gen3")
    path = tmp_path_factory.mktemp("trace") / "crash.jsonl"
    record_model(path, case.config, case.pre, case.actions)
    return path


@pytest.fixture(scope="module")
def vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Operation vectors of take (where the toy implementation rounds the wrong way)."""
    cases = [c for c in ConstructedCases().cases() if isinstance(c, VectorCase)]
    takes = tuple(c for c in cases if c.handler == "take")
    directory = tmp_path_factory.mktemp("vectors") / "v"
    generate(directory, [ListSource("takes", takes)], [])
    return directory


def _diverging(trace: Path, tmp_path: Path) -> Path:
    lines = trace.read_text().splitlines()
    step = json.loads(lines[1])
    step["action"] = {"AdvanceTime": {"seconds": "1"}}
    step.pop("refused", None)
    step["accepted"] = {"events": [], "changes": {"time": "999"}}
    lines[1] = json.dumps(step)
    out = tmp_path / "diverging.jsonl"
    out.write_text("\n".join(lines) + "\n")
    return out


def test_prove(monkeypatch: pytest.MonkeyPatch) -> None:
    assert zle("prove", "--only", "ACT-FUND-POL", "--jobs", "1").exit_code == 0
    monkeypatch.setattr("zle.prove.run_all", lambda obligations, **kw: [record(False)])
    assert zle("prove", "--only", "ACT-FUND-POL").exit_code == 1
    assert zle("prove", "--only", "NO-SUCH-ID").exit_code == 2
    assert zle("prove", "--only", "").exit_code == 2
    assert zle("prove", "--jobs", "0").exit_code == 2


def test_mutants(monkeypatch: pytest.MonkeyPatch) -> None:
    from proofs.mutants.matrix import Report

    empty = Report(scope="killers", outcomes=(), baseline={}, requirements={}, seconds=0.0)
    monkeypatch.setattr("zle.mutants.run_matrix", lambda mutants, **kw: empty)
    assert zle("mutants", "--only", "supply-cash-not-credited").exit_code == 0
    monkeypatch.setattr(Report, "ok", property(lambda self: False))
    assert zle("mutants", "--only", "supply-cash-not-credited").exit_code == 1
    assert zle("mutants", "--only", "no-such-mutant").exit_code == 2
    assert zle("mutants", "--timeout", "-1").exit_code == 2


def test_simulate(tmp_path: Path) -> None:
    scenario = tmp_path / "small.toml"
    scenario.write_text(SMALL)
    assert zle("simulate", str(scenario), "--policy", "gen3").exit_code == 0
    scenario.write_text(SMALL.replace("gap = 0.35", "gap = 1.35"))
    assert zle("simulate", str(scenario)).exit_code == 2
    assert zle("simulate", "no-such-scenario").exit_code == 2


def test_replay(trace: Path, tmp_path: Path) -> None:
    assert zle("replay", str(trace)).exit_code == 0
    assert zle("replay", str(_diverging(trace, tmp_path))).exit_code == 1
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{}\n")
    assert zle("replay", str(broken)).exit_code == 2


def test_vectors_generate(tmp_path: Path) -> None:
    assert zle("vectors", "generate", str(tmp_path / "v")).exit_code == 0
    (tmp_path / "mine.txt").write_text("x")
    assert zle("vectors", "generate", str(tmp_path)).exit_code == 2


def test_vectors_check(vectors: Path) -> None:
    assert (
        zle("vectors", "check", str(vectors), "--impl", "crosscheck.adapter:model").exit_code == 0
    )
    toy = "tests.crosscheck.toy_divergent:make"
    assert zle("vectors", "check", str(vectors), "--impl", toy).exit_code == 1
    assert zle("vectors", "check", str(vectors), "--impl", "nowhere:make").exit_code == 2


def test_fuzz(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = str(tmp_path / "d.jsonl")
    model = ["--impl", "crosscheck.adapter:model", "--out", out]
    assert zle("fuzz", *model, "--steps", "10", "--policy", "gen1").exit_code == 0
    from crosscheck import fuzz as fuzz_module
    from crosscheck.changes import FieldDiff

    def diverges(implementation: Any, policy: str, **kw: Any) -> fuzz_module.FuzzReport:
        start = crash_path(policy).pre
        found = fuzz_module.ShrunkDivergence(policy, start, (), (FieldDiff("x", 1, 2),))
        return fuzz_module.FuzzReport(policy, 1, 1, found, Path(out))

    monkeypatch.setattr(fuzz_module, "fuzz", diverges)
    monkeypatch.setattr(fuzz_module, "divergence_json", lambda d: {"actions": [{}]})
    assert zle("fuzz", *model, "--policy", "gen1").exit_code == 1
    assert zle("fuzz", "--impl", "nowhere:make").exit_code == 2


def test_params(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    safe = tmp_path / "safe.toml"
    safe.write_text("[params]\ndust = 1_000\n\n[params.gen3]\n")
    from proofs.obligation import Verdict

    class Found:
        def __init__(self, verdict: Verdict) -> None:
            self.verdict, self.paths, self.seconds, self.explore_seconds = verdict, 1, 0.0, 0.0
            self.witness, self.detail = None, ""

    answers: dict[str, Callable[..., Found]] = {
        "proved": lambda config, slide=False: Found(Verdict.PROVED),
        "unknown": lambda config, slide=False: Found(Verdict.UNKNOWN),
    }
    monkeypatch.setattr("zle.params.prove_kick_backed", answers["proved"])
    assert zle("params", "check", str(safe)).exit_code == 0
    assert zle("params", "suggest", "--max-step", "2").exit_code == 0
    monkeypatch.setattr("zle.params.prove_kick_backed", answers["unknown"])
    assert zle("params", "check", str(safe)).exit_code == 1
    assert zle("params", "suggest", "--max-step", "2").exit_code == 1
    bad = tmp_path / "bad.toml"
    bad.write_text("[params.gen3]\nfloor_ratio = 2\n")
    assert zle("params", "check", str(bad)).exit_code == 2
    assert zle("params", "suggest", str(bad), "--max-step", "2").exit_code == 2
    assert zle("params", "suggest", "--max-step", "٢").exit_code == 2


def test_the_readme_states_the_table() -> None:
    text = README.read_text(encoding="utf-8")
    for line in (
        "| 0 | ok",
        "| 1 | a finding",
        "| 2 | bad input",
    ):
        assert line in text, line


def test_version_help_and_python_m_zle() -> None:
    assert zle("--version").output.startswith("zle, version ")
    assert "Usage:" in zle("-h").output and "Usage:" in zle("prove", "-h").output
    result = subprocess.run(
        [sys.executable, "-m", "zle", "--help"], capture_output=True, text=True, check=True
    )
    assert "Exit status of every command" in result.stdout
