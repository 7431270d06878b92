"""``zle params``: checking parameter files against the safety inequality, and suggesting
the least conservative liquidation ratio (issue 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from simulation.files import load_config
from zle.main import cli
from zle.params import inequality_holds, least_liquidation_ratio

PARAMS = Path(__file__).resolve().parents[2] / "scenarios" / "params"
SAFE = PARAMS / "gen3-safe.toml"
UNSAFE = PARAMS / "gen3-unsafe.toml"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["params", *args])
    return result.exit_code, result.output


@pytest.mark.covers("PARAM-FILES")
def test_example_files_load() -> None:
    assert load_config(SAFE, "gen3") == PRESETS["gen3"]
    unsafe = load_config(UNSAFE, "gen3")
    assert unsafe.oracle.max_step == 15 * RAY // 100
    assert inequality_holds(PRESETS["gen3"]) and not inequality_holds(unsafe)


@pytest.mark.covers("ASM-SAFETY-INEQUALITY", "KICK-BACKED")
def test_safe_file_holds() -> None:
    code, output = _run("check", str(SAFE))
    assert code == 0, output
    assert "closed form: L (1 - s) f = 1.1025: holds" in output
    assert "KICK-BACKED with this file's parameters" in output and ": proved" in output
    assert "the zero-loss safety inequality (a) holds" in output
    assert "ASM-SAFETY-INEQUALITY (b)" in output and "closed form: 0.980000: holds" in output
    assert "POL buys a backed stage whole at expiry" in output


@pytest.mark.covers("ASM-SAFETY-INEQUALITY", "BUFFER-SIZING")
def test_unsafe_file_counterexample_and_buffer() -> None:
    code, output = _run("check", str(UNSAFE))
    assert code == 1, output
    assert "closed form: L (1 - s) f = 0.95625: FAILS" in output
    assert ": counterexample" in output
    assert "counterexample (the solver's witness, replayed through the engine):" in output
    assert "ReportOracle(" in output and "Kick(" in output
    assert "unbacked auction:" in output and "short by" in output
    # 1 - 1.25 * 0.85 * 0.9 = 4.375 % of the debt, maximised by the solver
    assert "worst shortfall 43,750.000000 quote = 4.375 % of the debt" in output
    assert "closed form: 1.500000: FAILS" in output
    assert "the reference can pass the floor before expiry" in output
    assert "POL_WOULD_OVERPAY" in output


@pytest.mark.covers("BUFFER-SIZING")
def test_gen1_gap_buffer(tmp_path: Path) -> None:
    presets = tmp_path / "gen1.toml"
    presets.write_text("[params]\ndust = 1_000\n\n[params.gen1]\n")
    code, output = _run("check", "--policy", "gen1", "--gap", "30", str(presets))
    assert code == 1, output
    assert "worst shortfall 191,919.191919 quote" in output


MALFORMED = {
    "unknown": (
        '[params.gen3]\nliquidation_ratio = "125%"\nliquidation_ration = 1.3\n',
        ":3: params.gen3.liquidation_ration: unknown key (valid keys: ",
    ),
    "range": (
        "[params]\ndust = 1_000\n\n[params.gen3]\nfloor_ratio = 1.5\n",
        ":5: params.gen3.floor_ratio: = 1.5: must be in (0, 1)",
    ),
    "toml": ("[params.oracle]\nmax_step = = 2\n", ":2: toml: "),
}


@pytest.mark.covers("PARAM-FILES")
@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_file_exit_2(tmp_path: Path, kind: str) -> None:
    text, expected = MALFORMED[kind]
    path = tmp_path / f"{kind}.toml"
    path.write_text(text)
    code, output = _run("check", str(path))
    assert code == 2, output
    assert f"{path}{expected}" in output
    assert "valid gen3 parameters" not in output and "KICK-BACKED" not in output


def test_least_ratio_is_the_inequality_minimum() -> None:
    config = load_config(UNSAFE, "gen3")  # 15 %: the inequality binds, not the backstop
    ratio, binds = least_liquidation_ratio(config)
    assert binds == "the safety inequality"
    p = config.policy
    lhs = (RAY - config.oracle.max_step) * p.floor_ratio  # type: ignore[union-attr]
    assert ratio * lhs >= (RAY + RAY // 10**9) * RAY * RAY > (ratio - 1) * lhs


@pytest.mark.covers("ASM-SAFETY-INEQUALITY")
def test_suggest_below_preset_and_confirmed() -> None:
    code, output = _run("suggest", "--max-step", "2")
    assert code == 0, output
    line = next(x for x in output.splitlines() if x.startswith("least liquidation_ratio:"))
    ratio = int(line.split("(")[1].split()[0])
    assert RAY < ratio < 125 * RAY // 100
    assert "confirmation: KICK-BACKED" in output and ": proved" in output


@pytest.mark.covers("BUFFER-SIZING")
def test_buffer_sizing_does_not_depend_on_what_ran_before() -> None:
    """In a process that had run nothing else, Z3's optimiser once gave up on this very
    problem that took it 0.02 s after other proofs: the optimiser now runs in a context
    of its own. A fresh interpreter is the case that failed."""
    program = (
        "from pathlib import Path\n"
        "from proofs.obligations.buffer import worst_kick_shortfall\n"
        "from simulation.files import load_config\n"
        f"config = load_config(Path({str(UNSAFE)!r}), 'gen3')\n"
        "print(worst_kick_shortfall(config).value)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == 43_750 * WAD * RAY
