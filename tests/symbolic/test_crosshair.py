"""CrossHair on the model's contracts: a short, deterministic gate for ``make test``.

The pure helpers of ``model/`` carry PEP 316 contracts (``pre:`` / ``post:`` lines at
the end of their docstrings). ``make crosshair`` searches all of them with a long
timeout; here CrossHair checks the ones it settles in about a second each, fails on any
counterexample (printing CrossHair's own text), and proves that the gate has teeth: a
module of seeded false contracts must be refuted, and ``crosshair diffbehavior`` must
find an off-by-one port of ``mul_div_up`` and no difference in an equivalent one.
"Not confirmed" after a timeout is not a failure; a counterexample is.
"""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.symbolic import false_contracts

ROOT = Path(__file__).resolve().parents[2]

FAST = (
    "model/numbers/fixed_point.py",
    "model/curves/zero_loss.py",
    "model.curves.abaci.linear_decrease",
    "model/policies/gen3_zero_loss/kick.py",
    "model/policies/gen3_zero_loss/zones.py",
    "model/rules/auctions.py",
    "tests/symbolic/kernels.py",
)
"""Contracts CrossHair confirms over all paths in about a second each (``make crosshair``
also searches rpow, the exponential curves and ``cover_shortfall`` itself)."""

TIMEOUT = "5"
"""Seconds per condition: ample for the fast set, where every path is exhausted."""

POST = re.compile(r"^\s*post(\[[^\]]*\])?\s*:", re.MULTILINE)


def crosshair(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crosshair", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def postconditions(target: str) -> int:
    """How many ``post:`` lines CrossHair should report on for ``target``."""
    if target.endswith(".py"):
        return len(POST.findall((ROOT / target).read_text()))
    module, _, name = target.rpartition(".")
    return len(POST.findall(inspect.getdoc(getattr(importlib.import_module(module), name)) or ""))


@pytest.mark.covers(
    "NUM-ROUNDING",
    "CURVE-GEN3",
    "CURVE-LINEAR",
    "GEN3-ZONES",
    "GEN3-VOLATILITY-BUFFER",
    "ACT-TAKE",
    "ROUNDING-FAVOURS-PROTOCOL",
    "INCENTIVE-CAP",
    "LOSS-WATERFALL",
)
def test_the_fast_contracts_have_no_counterexample() -> None:
    result = crosshair(
        "check",
        "--analysis_kind=PEP316",
        f"--per_condition_timeout={TIMEOUT}",
        "--report_all",
        *FAST,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, result.stdout + result.stderr
    reported = [line for line in result.stdout.splitlines() if ": info:" in line]
    expected = sum(postconditions(target) for target in FAST)
    assert len(reported) == expected, (
        f"CrossHair reported on {len(reported)} postconditions, the sources hold {expected}:\n"
        + result.stdout
    )
    confirmed = sum("Confirmed over all paths" in line for line in reported)
    print(f"crosshair: {confirmed} of {expected} postconditions confirmed over all paths")


def test_a_seeded_false_contract_is_refuted() -> None:
    result = crosshair(
        "check",
        "--analysis_kind=PEP316",
        f"--per_condition_timeout={TIMEOUT}",
        "tests/symbolic/false_contracts.py",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    for name in false_contracts.SEEDED:
        assert f"false when calling {name}(" in result.stdout, result.stdout


def test_diffbehavior_finds_no_difference_in_an_equivalent_port() -> None:
    result = crosshair(
        "diffbehavior",
        "tests.symbolic.alternatives.model_mul_div_up",
        "tests.symbolic.alternatives.negated_floor_mul_div_up",
        f"--per_condition_timeout={TIMEOUT}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No differences found" in result.stdout
    print(result.stdout)


def test_diffbehavior_finds_an_off_by_one_port() -> None:
    result = crosshair(
        "diffbehavior",
        "tests.symbolic.alternatives.model_mul_div_up",
        "tests.symbolic.alternatives.off_by_one_mul_div_up",
        f"--per_condition_timeout={TIMEOUT}",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "off_by_one_mul_div_up : returns" in result.stdout
