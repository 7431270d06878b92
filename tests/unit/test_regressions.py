"""Regressions: each test pins a bug that was found and fixed, with how it was found."""

from __future__ import annotations

import attrs
import pytest

from model import Refused, genesis, step
from model.actions import WithdrawLiquidity
from model.errors import RefusalCode
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.state import Pool


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_no_withdrawal_of_orphaned_claims_without_shares(policy: str) -> None:
    """Found in review: with total_shares = 0 but lp_claims > 0 (claims left behind by
    rounding or penalty income after every LP exited), the burn rounded to 0 shares and
    an account holding none could withdraw the pool's cash."""
    state = genesis(PRESETS[policy], spot=2_000 * RAY)
    orphaned = Pool(cash=5 * WAD, lp_claims=5 * WAD, total_shares=0)
    state = attrs.evolve(state, pool=orphaned)
    outcome = step(state, WithdrawLiquidity("stranger", 1 * WAD))
    assert isinstance(outcome, Refused)
    assert outcome.refusal.code is RefusalCode.INSUFFICIENT_SHARES
