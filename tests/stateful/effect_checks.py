"""What a step computes, restated from ``spec/`` and checked after every step.

The invariants and the succeeds-iff guard lists call the model's helpers
(``gen2_dutch.status``, ``gen3_tab``, the curves ...) to say *when* something may
happen, so a fault inside such a helper moves the check along with the code. These
checks pin the helpers' results to the spec's own formulas, written here in plain
integer arithmetic (the concrete counterparts of ``proofs/obligations/effects.py``,
whose restatements they reuse where one exists):

- ORACLE-VOLATILITY: a report updates the volatility by ``spec/oracle.md``'s formula;
- GEN3-SLICE: a gen 3 tab is ``ceil(debt * (RAY + penalty) / RAY)``;
- INCENTIVE-CAP: a gen 3 kick or reset pays ``min(tip + floor(tab * chip / RAY),
  incentive_cap - paid so far)`` (as far as the insurance fund goes), and the auction's
  ``incentives_paid`` is the running total of what its ``IncentivePaid`` events paid (a
  record overwritten by the latest payment keeps the cap step by step, not over resets);
- STEWARD-PHASE-IN: while the steward has acted, the ``L`` the rules use
  (``steward.liquidation_ratio_now``) is the spec's phase-in formula
  (``model.invariants.predictive.liquidation_ratio_in_force``, written out from the spec);
- AUCTION-BACKED: a gen 3 stage is backed iff ``floor(lot * floor / RAY) >= debt``;
- CURVE-LINEAR, CURVE-STAIRSTEP, CURVE-EXPONENTIAL: every live gen 2 auction's price,
  after every step, is ``spec/curves.md``'s dss formula (restated below; where the
  formula itself overflows no claim is made);
- GEN2-STATUS: a gen 2 take needs a live auction and a redo one that needs a reset,
  ``dur > tail`` or ``price * RAY < cusp * top``; an arithmetic fault instead of either
  answer conforms only beyond ASM-RANGES;
- GEN2-REDO-INCENTIVE: a gen 2 redo pays ``tip + chip * tab`` iff not dusty;
- ACT-POL-SELL: a sale moves POL's collateral and reserves through the ledger and adds
  its amount to the unwind period's sales (the period rolled over as in GEN3-SLICE).
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import immutables

from model.actions import AdvanceTime, Kick, PolSell, Redo, ReportOracle, Take, uint_fields
from model.curves import ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.errors import EngineFault, RefusalCode
from model.events import IncentivePaid, Kicked
from model.invariants.predictive import liquidation_ratio_in_force
from model.numbers import RAY, UINT256_MAX
from model.outcome import Accepted, Outcome, Refused
from model.params.records import Gen2DutchParams, Gen3ZeroLossParams
from model.policies import gen2_dutch
from model.rules import steward
from model.state import Auction, State
from proofs.obligations.effects import (
    TabCall,
    VolatilityUpdate,
    _pol_sell_effect,
    _redo_incentive,
    _tab_rounds_up,
    _volatility_formula,
)
from proofs.obligations.steps import StepSubject
from proofs.world import Ranges

EFFECT_FAULTS = (RefusalCode.OVERFLOW, RefusalCode.UNDERFLOW, RefusalCode.DIVISION_BY_ZERO)
RANGES = Ranges()


def _numbers(value: object) -> Iterator[int]:
    """Every integer of a state's records and maps (the configuration left out)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, immutables.Map):
        for item in value.values():
            yield from _numbers(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            if field.name != "config":
                yield from _numbers(getattr(value, field.name))


def within_ranges(pre: State, action: object) -> bool:
    """ASM-RANGES: the state's and the action's numbers are where the proofs quantify
    (amounts and prices up to 2**128, times up to 2**64). Within them no arithmetic
    leaves uint256, so an arithmetic fault there is a fault of the model."""
    if pre.time > RANGES.time or any(n > RANGES.amount for n in _numbers(pre)):
        return False
    bound = RANGES.time if isinstance(action, AdvanceTime) else RANGES.amount
    names = uint_fields(type(action))  # type: ignore[arg-type]
    return all(0 <= getattr(action, name) <= bound for name in names)


class Overflow(Exception):
    """A spec formula leaves uint256: the spec refuses, and no claim is made here."""


def _rpow(x: int, n: int, base: int) -> int:
    """``spec/curves.md`` CURVE-RPOW: half-up at every multiply."""
    if n == 0:
        return base
    if x == 0:
        return 0
    z = x if n % 2 else base
    half = base // 2
    n //= 2
    while n > 0:
        if x >= 2**128:
            raise Overflow
        x = (x * x + half) // base
        if n % 2:
            if z * x + half > UINT256_MAX:
                raise Overflow
            z = (z * x + half) // base
        n //= 2
    return z


def _rmul(x: int, y: int) -> int:
    if x * y > UINT256_MAX:
        raise Overflow
    return x * y // RAY


def curve_price(curve: object, top: int, dur: int) -> int:
    """A gen 2 price, by ``spec/curves.md`` (the dss ``abaci`` formulas)."""
    if isinstance(curve, LinearDecrease):
        if dur >= curve.tau:
            return 0
        if (curve.tau - dur) * RAY > UINT256_MAX:
            raise Overflow
        return _rmul(top, (curve.tau - dur) * RAY // curve.tau)
    if isinstance(curve, StairstepExponentialDecrease):
        return _rmul(top, _rpow(curve.cut, dur // curve.step, RAY))
    assert isinstance(curve, ExponentialDecrease)
    return _rmul(top, _rpow(curve.cut, dur, RAY))


def _gen2_needs_reset(pre: State, auction: Auction) -> bool:
    p = pre.config.policy
    assert isinstance(p, Gen2DutchParams)
    dur = pre.time - auction.tic
    price = curve_price(p.curve, auction.top, dur)
    return dur > p.tail or price * RAY < p.cusp * auction.top


def _gen2_status(pre: State, action: Take | Redo, outcome: Outcome) -> list[str]:
    auction = pre.auctions.get(action.auction)
    if auction is None or auction.finished or pre.time < auction.tic:
        return []
    try:
        needs = _gen2_needs_reset(pre, auction)
    except Overflow:
        return []
    code = outcome.refusal.code if isinstance(outcome, Refused) else None
    if isinstance(action, Take):
        wrong = (code is None and needs) or (code is RefusalCode.AUCTION_NEEDS_RESET and not needs)
    else:
        wrong = (code is None and not needs) or (code is RefusalCode.AUCTION_CANNOT_RESET and needs)
    if code in EFFECT_FAULTS and within_ranges(pre, action):
        wrong = True
    return [f"GEN2-STATUS (needs a reset: {needs}, engine {code})"] if wrong else []


def _curve_id(state: State) -> str:
    curve = state.config.policy.curve  # type: ignore[union-attr]
    if isinstance(curve, LinearDecrease):
        return "CURVE-LINEAR"
    if isinstance(curve, StairstepExponentialDecrease):
        return "CURVE-STAIRSTEP"
    return "CURVE-EXPONENTIAL"


def _gen2_prices(state: State) -> list[str]:
    """Every live gen 2 auction's price, as the model computes it, is the spec's."""
    for auction in state.auctions.values():
        if auction.finished or state.time < auction.tic:
            continue
        try:
            expected = curve_price(
                state.config.policy.curve,  # type: ignore[union-attr]
                auction.top,
                state.time - auction.tic,
            )
        except Overflow:
            continue
        try:
            _, price = gen2_dutch.status(state, auction)
        except EngineFault as fault:
            code = fault.refusal.code.value
            return [f"{_curve_id(state)} (the price faults with {code}, spec {expected})"]
        if price != expected:
            return [f"{_curve_id(state)} (price {price}, spec {expected})"]
    return []


def _incentive_events(outcome: Accepted) -> list[IncentivePaid]:
    return [e for e in outcome.events if isinstance(e, IncentivePaid)]


def _gen3_incentive(p: Gen3ZeroLossParams, tab: int, paid_so_far: int, outcome: Accepted) -> bool:
    room = max(p.incentive_cap - paid_so_far, 0)
    owed = min(p.keeper_tip + tab * p.keeper_chip // RAY, room)
    payments = _incentive_events(outcome)
    if owed == 0:
        return not payments
    return len(payments) == 1 and payments[0].amount + payments[0].unpaid == owed


def _paid(outcome: Accepted) -> int:
    return sum(event.amount for event in _incentive_events(outcome))


def _gen3(pre: State, action: object, outcome: Accepted) -> list[str]:
    p = pre.config.policy
    assert isinstance(p, Gen3ZeroLossParams)
    broken: list[str] = []
    if isinstance(action, Kick):
        (kicked,) = [e for e in outcome.events if isinstance(e, Kicked)]
        if not _tab_rounds_up(TabCall(kicked.debt, p.penalty, kicked.tab)):
            broken.append("GEN3-SLICE (tab = ceil(debt * (1 + penalty)))")
        if not _gen3_incentive(p, kicked.tab, 0, outcome):
            broken.append("INCENTIVE-CAP (a kick pays min(tip + chip * tab, cap))")
        auction = outcome.state.auctions[kicked.auction]
        if auction.incentives_paid != _paid(outcome):
            broken.append("INCENTIVE-CAP (a kick records what it paid)")
    elif isinstance(action, PolSell):
        if not _pol_sell_effect(StepSubject(pre, action, outcome)):
            broken.append("ACT-POL-SELL (the sale's effect, the depth budget it uses)")
        return broken
    elif isinstance(action, Redo):
        before = pre.auctions[action.auction]
        if not _gen3_incentive(p, before.tab, before.incentives_paid, outcome):
            broken.append("INCENTIVE-CAP (a reset pays min(tip + chip * tab, cap - paid))")
        auction = outcome.state.auctions[action.auction]
        if auction.incentives_paid != before.incentives_paid + _paid(outcome):
            broken.append("INCENTIVE-CAP (a reset adds what it paid to the running total)")
    else:
        return broken
    if auction.backed != (auction.lot * auction.floor // RAY >= auction.debt):
        broken.append("AUCTION-BACKED (backed iff floor(lot * floor) >= debt)")
    return broken


def effect_disagreements(pre: State, action: object, outcome: Outcome) -> list[str]:
    """The restated effects this step breaks (empty when it agrees with the spec)."""
    broken: list[str] = []
    policy = pre.config.policy
    if isinstance(action, ReportOracle) and isinstance(outcome, Accepted):
        update = VolatilityUpdate(
            volatility=pre.oracle.volatility,
            previous=pre.oracle.spot,
            spot=action.spot,
            alpha=pre.config.oracle.volatility_alpha,
            result=outcome.state.oracle.volatility,
            fault=None,
        )
        if not _volatility_formula(update):
            broken.append("ORACLE-VOLATILITY (the update formula)")
    if isinstance(policy, Gen3ZeroLossParams) and isinstance(outcome, Accepted):
        broken += _gen3(pre, action, outcome)
        after = outcome.state
        if after.steward is not None and steward.liquidation_ratio_now(after) != (
            liquidation_ratio_in_force(after)
        ):
            broken.append("STEWARD-PHASE-IN (the L in force is the phase-in formula)")
    if isinstance(policy, Gen2DutchParams) and outcome.state is not pre:
        broken += _gen2_prices(outcome.state)
    if isinstance(policy, Gen2DutchParams) and isinstance(action, Take | Redo):
        broken += _gen2_status(pre, action, outcome)
        if isinstance(action, Redo) and not _redo_incentive(StepSubject(pre, action, outcome)):
            broken.append("GEN2-REDO-INCENTIVE")
    return broken
