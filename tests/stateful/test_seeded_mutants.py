"""The stateful suite has teeth: seeded mutants of the model, monkeypatched in-process
the way a mutation-testing run applies them, are each killed by ``run_machine``.

``find_only`` stops at the first failure (no shrinking), which is all a mutation run
needs to know; each mutant here dies within seconds. They run with at least the ci
budget, whatever the profile.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import settings

import model.policies.gen1_spot
import model.policies.gen3_zero_loss.auction
import model.policies.gen3_zero_loss.kick
import model.rules.auctions
import model.rules.lending
from model.numbers import fixed_point
from model.params.records import Gen3ZeroLossParams
from tests.stateful.harness import run_machine


def uncapped_incentive(p: Gen3ZeroLossParams, tab: int, paid_so_far: int) -> int:
    return p.keeper_tip + fixed_point.rmul_down(tab, p.keeper_chip)


MUTANTS: list[tuple[str, object, str, Callable[..., int], str]] = [
    ("gen3", model.rules.auctions, "rmul_up", fixed_point.rmul_down, "ROUNDING-FAVOURS-PROTOCOL"),
    ("gen1", model.policies.gen1_spot, "mul_div_down", fixed_point.mul_div_up, "ROUNDING"),
    ("gen2", model.rules.lending, "mul_div_down", fixed_point.mul_div_up, "ROUNDING-FAVOURS"),
    (
        "gen3",
        (model.policies.gen3_zero_loss.kick, model.policies.gen3_zero_loss.auction),
        "_incentive",
        uncapped_incentive,
        "INCENTIVE-CAP",
    ),
]
"""``(policy, module or modules, name, replacement, what the failure names)``: buyers pay the value
rounded down; gen 1 seizes collateral rounded up; LP shares are minted rounding up (caught
by ROUNDING-FAVOURS-PROTOCOL since it covers LP shares, before the dripper notices); the
gen 3 incentive ignores its cap."""


@pytest.mark.covers("ROUNDING-FAVOURS-PROTOCOL", "INCENTIVE-CAP", "NUM-ROUNDING")
@pytest.mark.parametrize(
    ("policy", "module", "name", "replacement", "named"),
    MUTANTS,
    ids=[f"{m[0]}-{m[2]}" for m in MUTANTS],
)
def test_a_seeded_mutant_is_killed(
    monkeypatch: pytest.MonkeyPatch,
    policy: str,
    module: object,
    name: str,
    replacement: Callable[..., int],
    named: str,
) -> None:
    for each in module if isinstance(module, tuple) else (module,):
        monkeypatch.setattr(each, name, replacement)
    profile = "deep" if settings.get_current_profile_name() == "deep" else "ci"
    result = run_machine(policy, profile, find_only=True)
    assert result.failure is not None, f"the mutant {name} survived {result.observed.steps} steps"
    assert named in result.failure
