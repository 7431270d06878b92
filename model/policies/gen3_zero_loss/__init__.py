"""Generation 3: zero-loss liquidation.

Requirement: ZERO-LOSS.

Decisions use the smoothed reference price. A position moves through zones:

- SAFE: ``collateral * reference >= debt * warning_ratio``; anything goes.
- GUARDED: below the warning ratio but not below ``liquidation_ratio``: no new
  borrowing, no collateral withdrawal. The warning ratio is the liquidation ratio
  plus a fixed margin plus a buffer that grows with volatility.
- UNWINDING: below ``liquidation_ratio`` but the whole position still covers its tab
  at the auction floor: keepers may kick the slice that restores ``target_ratio``.
- INSOLVENT: even the whole position does not cover its tab at the floor: it is
  unwound pro rata, as the backstop.

A kick sells no more than a ``depth_fraction`` of reported market depth per
``unwind_period``, and no more tab than fits under ``exposure_cap``. Each slice is
auctioned from ``reference * start_premium`` down to ``reference * floor_ratio`` and
never below; the lot is sized so that selling all of it at the floor raises the tab.
Once the auction has run ``auction_duration``, protocol-owned liquidity buys what is
left at the floor, but never above the mark (the lower of spot and the reference): POL
never pays more for collateral than it is worth (GEN3-POL-FAIR-PRICE). A reset is allowed
only after that, only if POL cannot buy the rest (short of reserves, or the floor is
above the mark), and only once the reference has moved more than ``reset_band`` from the
stage's anchor; it restarts from the current reference.
Keeper incentives per liquidation are capped at ``incentive_cap`` over the kick and
all resets. A shortfall is covered by the insurance fund, then POL, then LPs; LPs may
not withdraw while an auction that could leave one (an unbacked auction) is live.

The package, a module per concern: ``zones`` (thresholds and zones), ``breakers``,
``sizing`` (GEN3-SLICE), ``kick`` (with the hooks into the common rules), ``auction``
(takes and resets) and ``backstop`` (POL buys at expiry and sells); this module assembles
the policy record.

Why volatility widens the warning band instead of moving the liquidation threshold:
the volatility estimate is driven by spot reports, which a manipulator can spike; a
spike may then freeze borrowing, but can never make a healthy position liquidatable.
"""

from __future__ import annotations

from model.actions import EndAuction, Kick, PolSell, Redo, Settle, Take, UpdateParams
from model.params.records import Gen3ZeroLossParams
from model.policies.gen3_zero_loss.auction import (
    _redo_effect,
    _redo_guard,
    _take_effect,
    _take_guard,
    price,
    reset_allowed,
    reset_refusal,
)
from model.policies.gen3_zero_loss.backstop import (
    _end_effect,
    _end_guard,
    _sell_effect,
    _sell_guard,
    _trigger_ratio,
    backstop_due,
)
from model.policies.gen3_zero_loss.breakers import (
    _breaker_refusal,
    deviation_tripped,
    oracle_stale,
    pol_can_buy,
)
from model.policies.gen3_zero_loss.kick import (
    _kick_effect,
    _kick_guard,
    _leverage_refusal,
    _lp_withdrawal_refusal,
)
from model.policies.gen3_zero_loss.sizing import Slice, debt_to_target, depth_room, plan_kick
from model.policies.gen3_zero_loss.zones import (
    WATERFALL,
    Zone,
    below_liquidation_ratio,
    covers_tab_at_floor,
    floor_price,
    params,
    warning_ratio,
    zone,
)
from model.policies.policy import Policy
from model.rules import preliquidation, steward
from model.rules.auctions import settle_rule
from model.rules.rule import Rule

__all__ = [
    "POLICY",
    "WATERFALL",
    "Slice",
    "Zone",
    "backstop_due",
    "below_liquidation_ratio",
    "covers_tab_at_floor",
    "debt_to_target",
    "depth_room",
    "deviation_tripped",
    "floor_price",
    "oracle_stale",
    "params",
    "plan_kick",
    "pol_can_buy",
    "price",
    "reset_allowed",
    "reset_refusal",
    "warning_ratio",
    "zone",
]

POLICY = Policy(
    name="gen3",
    params_type=Gen3ZeroLossParams,
    waterfall=WATERFALL,
    leverage_refusal=_leverage_refusal,
    lp_withdrawal_refusal=_lp_withdrawal_refusal,
    rules={
        Kick: Rule(guard=_kick_guard, effect=_kick_effect),
        Take: Rule(guard=_take_guard, effect=_take_effect),
        Redo: Rule(guard=_redo_guard, effect=_redo_effect),
        EndAuction: Rule(guard=_end_guard, effect=_end_effect),
        Settle: settle_rule(WATERFALL),
        PolSell: Rule(guard=_sell_guard, effect=_sell_effect),
        **preliquidation.rules(_breaker_refusal),
        UpdateParams: steward.UPDATE_PARAMS,
    },
    below_trigger=below_liquidation_ratio,
    trigger_ratio=_trigger_ratio,
    auction_price=price,
    reset_due=reset_allowed,
    backstop_due=backstop_due,
    zero_loss=True,
)
