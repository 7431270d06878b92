"""The state machines, one per policy, under the loaded Hypothesis profile.

Each policy's machine runs once per session (``run``); the tests read its result:
whether every step of every run kept every invariant and step property, whether the
worst cases the search found stay within the bounds the spec proves, and whether the
runs reached the actions that matter (a search that never liquidates proves nothing).
The worst cases are printed (``pytest -s``) with how close each came to its bound.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import settings

from model.invariants import STATE_INVARIANTS, STEP_PROPERTIES
from tests.stateful.harness import MachineRun, describe, run_machine
from tests.stateful.machines import POLICIES

#: written out (not computed) so that the requirement coverage reader sees each ID
EVERY_PREDICATE = pytest.mark.covers(
    "CONSERVE-COLLATERAL",
    "CONSERVE-QUOTE",
    "BALANCE-SHEET",
    "EXPOSURE-ACCOUNTING",
    "EXPOSURE-CAP",
    "UNBACKED-ACCOUNTING",
    "SHARES-ACCOUNTING",
    "DEBT-DUST",
    "AUCTION-BACKED",
    "AUCTION-WELL-FORMED",
    "ORACLE-SANE",
    "UINT-BOUNDS",
    "REFUSAL-NO-CHANGE",
    "ORACLE-BOUNDED-STEP",
    "AUCTION-MONOTONE",
    "NO-HEALTHY-LIQUIDATION",
    "AUCTION-FLOOR",
    "GEN3-POL-FAIR-PRICE",
    "UNCOVERED-NEVER-GROWS",
    "ROUNDING-FAVOURS-PROTOCOL",
    "BOUNDED-EXTRACTION",
    "BORROWER-SURPLUS",
    "LOSS-WATERFALL",
    "RESET-GUARDED",
    "INCENTIVE-CAP",
    "LP-WITHDRAWAL-FREEZE",
    "PRELIQ-TERMS",
    "STEWARD-SAFE",
    "PRELIQ-CONSENT",
    "PRELIQ-RATIO-NEVER-WORSE",
    "PRELIQ-KEEPER-GAIN",
    "PRELIQ-CLOSE-FACTOR",
    "STEWARD-BOUNDED",
    "STEWARD-PHASE-IN",
)

#: outcomes each policy's runs must include: accepted kinds, and ``kind: REFUSAL`` pairs
REACHED = {
    "gen1": {"Liquidate", "Borrow", "Repay", "WithdrawLiquidity", "ReportOracle"},
    "gen2": {"Kick", "Take", "Redo", "Settle", "Borrow", "Repay", "WithdrawLiquidity"},
    "gen3": {
        "Kick",
        "Take",
        "Redo",
        "EndAuction",
        "Settle",
        "Borrow",
        "WithdrawLiquidity",
        "WithdrawLiquidity: WITHDRAWALS_FROZEN",
        "Kick: DEVIATION_BREAKER",
        "Kick: ORACLE_STALE",
        "PolSell",
        "PolSell: BELOW_FLOOR",
        "EndAuction: POL_WOULD_OVERPAY",
    },
}


def skip_if_quick() -> None:
    """The reach and approach checks need at least the ci budget; ``dev`` is a smoke run."""
    if settings.get_current_profile_name() == "dev":
        pytest.skip("the dev profile's budget is too small to reach every outcome")


@functools.cache
def run(policy: str) -> MachineRun:
    result = run_machine(policy)
    print(describe(result))
    return result


def test_the_machines_check_every_predicate_of_the_model() -> None:
    assert set(EVERY_PREDICATE.args) == {*STATE_INVARIANTS, *STEP_PROPERTIES}


@EVERY_PREDICATE
@pytest.mark.covers(
    "ENGINE-STEP",
    "ACT-SUPPLY-LIQUIDITY",
    "ACT-WITHDRAW-LIQUIDITY",
    "ACT-FUND-INSURANCE",
    "ACT-FUND-POL",
    "ACT-OPEN-POSITION",
    "ACT-DEPOSIT-COLLATERAL",
    "ACT-WITHDRAW-COLLATERAL",
    "ACT-BORROW",
    "ACT-REPAY",
    "ACT-REPORT-ORACLE",
    "ACT-ADVANCE-TIME",
    "ACT-REPORT-DEPTH",
    "ACT-LIQUIDATE",
    "ACT-KICK",
    "ACT-TAKE",
    "ACT-REDO",
    "ACT-END-AUCTION",
    "ACT-SETTLE",
    "GEN3-BREAKERS",
)
@pytest.mark.parametrize("policy", POLICIES)
def test_every_actor_keeps_every_invariant_at_every_step(policy: str) -> None:
    result = run(policy)
    assert result.failure is None, result.failure


@pytest.mark.covers("BOUNDED-EXTRACTION", "INCENTIVE-CAP", "ROUNDING-FAVOURS-PROTOCOL")
@pytest.mark.covers("LP-WITHDRAWAL-FREEZE")
@pytest.mark.parametrize("policy", POLICIES)
def test_the_worst_cases_found_stay_within_the_proven_bounds(policy: str) -> None:
    result = run(policy)
    assert result.failure is None, result.failure
    assert result.beyond_bounds() == []
    for name in result.bounds:
        assert name in result.observed.worst


@pytest.mark.parametrize("policy", POLICIES)
def test_the_search_reaches_every_liquidation_action(policy: str) -> None:
    skip_if_quick()
    seen = run(policy).observed
    missing = {kind for kind in REACHED[policy] if seen.outcomes[kind] == 0}
    assert not missing, f"{policy}: no run reached {sorted(missing)}"
    assert seen.events["ShortfallCovered"] > 0, "no run produced a shortfall"


SEARCH = """
import json, sys
import tests.conftest  # the Hypothesis profiles, as under pytest
from tests.stateful.harness import describe, run_machine
from tests.stateful.worst_cases import EXTRACTION, INCENTIVES
result = run_machine("gen3")
print(describe(result), file=sys.stderr)
print(json.dumps({
    name: [str(result.observed.worst[name].value), str(result.bounds[name].value)]
    for name in (EXTRACTION, INCENTIVES)
}))
"""


def test_the_gen3_search_approaches_its_bounds() -> None:
    """The bounds are approached, not merely respected: a bidder bought at the floor
    (the whole floor discount) and a liquidation paid the full incentive cap.

    The search runs in a fresh interpreter: within a long pytest process the derandomized
    search was seen to draw differently after other Hypothesis runs (`zle fuzz`'s, the
    vectors'), so that whether it met the variant configuration with a keeper tip, the
    one that can reach the cap, depended on which tests had run before it."""
    skip_if_quick()
    done = subprocess.run(
        [sys.executable, "-c", SEARCH], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    print(done.stderr)
    for name, (worst, bound) in json.loads(done.stdout).items():
        assert worst != "None" and Fraction(worst) >= Fraction(bound) * 9 / 10, name
