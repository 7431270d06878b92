"""Step properties: what must hold between a state, an action and its outcome.

Requirement: PREDICATES-TOTAL.

Each function is the single definition of one requirement of ``spec/invariants.md``
that speaks about a transition rather than a state. ``holds(pre, action, outcome)``
returns True when the step respects it (including, trivially, when the requirement
does not apply to this action or policy).
"""

from __future__ import annotations

from collections.abc import Callable

from model.actions import (
    AdvanceTime,
    EndAuction,
    Kick,
    Liquidate,
    Redo,
    Settle,
    Take,
    WithdrawLiquidity,
)
from model.events import (
    Buffer,
    CollateralReturned,
    IncentivePaid,
    Liquidated,
    LiquiditySupplied,
    LiquidityWithdrawn,
    PolPurchased,
    ShortfallCovered,
    Taken,
)
from model.invariants.predictive import (
    liquidation_ratio_in_force,
    pre_liquidation_close_factor,
    pre_liquidation_consent,
    pre_liquidation_keeper_gain,
    pre_liquidation_ratio,
    steward_bounded,
    steward_phase_in,
)
from model.numbers.fixed_point import RAY, UINT256_MAX, rdiv_down, rmul_up
from model.outcome import Accepted, Outcome, Refused
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.policies import gen1_spot, gen2_dutch, gen3_zero_loss, policy_of
from model.state import State


def refusal_no_change(pre: State, action: object, outcome: Outcome) -> bool:
    """REFUSAL-NO-CHANGE: a refused action returns the very state it was given."""
    return not isinstance(outcome, Refused) or outcome.state is pre


def oracle_bounded_step(pre: State, action: object, outcome: Outcome) -> bool:
    """ORACLE-BOUNDED-STEP, every step: ``|reference' - reference| * RAY * step_period <=
    max_step * reference * min(elapsed, step_period)``, ``elapsed`` the time since the
    last report: at most ``max_step`` per period of time, and per report."""
    oracle = pre.config.oracle
    before = pre.oracle.reference
    after = outcome.state.oracle.reference
    move = after - before if after >= before else before - after
    elapsed = pre.time - pre.oracle.last_update
    window = elapsed if elapsed <= oracle.step_period else oracle.step_period
    return move * RAY * oracle.step_period <= oracle.max_step * before * window


def auction_monotone(pre: State, action: object, outcome: Outcome) -> bool:
    """AUCTION-MONOTONE: as time passes, no live auction's price rises within its stage.

    It speaks about auctions a curve can price: a gen 2 stage with ``top = 0`` or
    ``top * RAY`` beyond uint256 (which no kick or reset starts: AUCTION-WELL-FORMED) is
    skipped rather than priced, so that the predicate gives a verdict on every state
    (PREDICATES-TOTAL; the proofs found both).
    """
    if not isinstance(action, AdvanceTime) or not isinstance(outcome, Accepted):
        return True
    post = outcome.state
    dss = isinstance(pre.config.policy, Gen2DutchParams)
    current_price = policy_of(pre.config).auction_price
    if current_price is None:
        return True
    for auction_id, auction in pre.auctions.items():
        later = post.auctions.get(auction_id)
        if later is None or later.tic != auction.tic:
            continue
        if dss and not 0 < auction.top * RAY <= UINT256_MAX:
            continue
        if current_price(post, later) > current_price(pre, auction):
            return False
    return True


def no_healthy_liquidation(pre: State, action: object, outcome: Outcome) -> bool:
    """NO-HEALTHY-LIQUIDATION: a liquidation is accepted only for a position below its
    policy's threshold, and takes no more than the policy allows.

    The thresholds are written out here rather than taken from the policies' own
    predicates, so that a fault in those predicates is a violation, not a tautology.
    """
    if not isinstance(outcome, Accepted) or not isinstance(action, Kick | Liquidate):
        return True
    position = pre.positions[action.position]
    value = position.collateral * (
        pre.oracle.reference
        if isinstance(pre.config.policy, Gen3ZeroLossParams)
        else pre.oracle.spot
    )
    policy = pre.config.policy
    if isinstance(policy, Gen1SpotParams) and isinstance(action, Liquidate):
        repaid = sum(e.repaid for e in outcome.events if isinstance(e, Liquidated))
        below = value < position.debt * policy.liquidation_ratio
        return below and repaid <= gen1_spot.max_repay(pre, position)
    after = outcome.state.positions[action.position]
    if isinstance(policy, Gen2DutchParams):
        # dss: the Vat compares with the Spotter's spot, price / mat rounded down
        spotter = rdiv_down(pre.oracle.spot, policy.mat)
        below = spotter > 0 and position.collateral * spotter < position.debt * RAY
    elif isinstance(policy, Gen3ZeroLossParams):
        # the ratio in force: the steward's, as phased in (STEWARD-PHASE-IN)
        below = value < position.debt * liquidation_ratio_in_force(pre)
    else:
        return False
    return below and after.debt <= position.debt and after.collateral <= position.collateral


def auction_floor(pre: State, action: object, outcome: Outcome) -> bool:
    """AUCTION-FLOOR (gen 3): every sale is at or above the stage's floor, in value too:
    ``paid * RAY >= collateral * floor``."""
    if not isinstance(pre.config.policy, Gen3ZeroLossParams) or not isinstance(outcome, Accepted):
        return True
    if not isinstance(action, Take | EndAuction):
        return True
    floor = pre.auctions[action.auction].floor
    for event in outcome.events:
        if isinstance(event, Taken | PolPurchased) and (
            event.price < floor or event.paid * RAY < event.collateral * floor
        ):
            return False
    return True


def pol_fair_price(pre: State, action: object, outcome: Outcome) -> bool:
    """GEN3-POL-FAIR-PRICE: every POL purchase is at a price at or below the mark,
    ``min(spot, reference)``, and pays for what it buys at that price, up to the purchase
    kernel's rounding (``paid * RAY < collateral * price + max(price, RAY)``): POL never
    pays more than collateral is worth, whatever the market did since the stage began."""
    if not isinstance(outcome, Accepted):
        return True
    spot, reference = pre.oracle.spot, pre.oracle.reference
    mark = spot if spot <= reference else reference
    for event in outcome.events:
        if isinstance(event, PolPurchased):
            rounding = event.price if event.price >= RAY else RAY
            if event.price > mark or (
                event.paid * RAY >= event.collateral * event.price + rounding
            ):
                return False
    return True


def uncovered_never_grows(pre: State, action: object, outcome: Outcome) -> bool:
    """UNCOVERED-NEVER-GROWS (gen 3): within a stage, no step increases what an auction's
    lot, sold at its floor, would leave of its debt: ``max(0, debt * RAY - lot * floor)``.
    A settlement's shortfall is therefore at most what its last stage started with
    (LOSS-BOUND)."""
    if not isinstance(pre.config.policy, Gen3ZeroLossParams) or not isinstance(outcome, Accepted):
        return True
    post = outcome.state
    for auction_id, before in pre.auctions.items():
        after = post.auctions.get(auction_id)
        if after is None or after.tic != before.tic or after.floor != before.floor:
            continue  # settled, or a new stage (RESET-GUARDED, LOSS-BOUND-RESET)
        uncovered = after.debt * RAY - after.lot * after.floor
        if uncovered > 0 and uncovered > before.debt * RAY - before.lot * before.floor:
            return False
    return True


def rounding_favours_protocol(pre: State, action: object, outcome: Outcome) -> bool:
    """ROUNDING-FAVOURS-PROTOCOL: no buyer, liquidator or LP receives more than it paid for.

    Takes and POL purchases: ``collateral * price <= paid * RAY``. Gen 1 liquidations:
    ``seized * spot <= repaid * (RAY + bonus)``. LP shares: minted at most pro rata
    (``shares * lp_claims <= amount * total_shares``), burned at least pro rata.
    """
    if not isinstance(outcome, Accepted):
        return True
    pool = pre.pool
    for event in outcome.events:
        if isinstance(event, Taken | PolPurchased):
            if event.collateral * event.price > event.paid * RAY:
                return False
        elif isinstance(event, Liquidated):
            policy = pre.config.policy
            if not isinstance(policy, Gen1SpotParams):
                return False
            if event.seized * pre.oracle.spot > event.repaid * (RAY + policy.bonus):
                return False
        elif isinstance(event, LiquiditySupplied) and pool.total_shares > 0:
            if event.shares * pool.lp_claims > event.amount * pool.total_shares:
                return False
        elif (
            isinstance(event, LiquidityWithdrawn)
            and event.shares * pool.lp_claims < event.amount * pool.total_shares
        ):
            return False
    return True


def bounded_extraction(pre: State, action: object, outcome: Outcome) -> bool:
    """BOUNDED-EXTRACTION (gen 3): a buyer gains over the reference value at most the
    floor discount, and a liquidation's incentives never exceed ``incentive_cap``.

    Gain: ``collateral * reference - paid * RAY <= collateral * (reference - floor)``,
    i.e. ``paid * RAY >= collateral * floor``; incentives: no step leaves an auction whose
    incentives it changed above ``incentive_cap``. (Stated per step, so that it is
    inductive: the proofs found that the all-auctions form fails on a step that merely
    passes by an auction already over the cap, a state no step can produce.)
    """
    policy = pre.config.policy
    if not isinstance(policy, Gen3ZeroLossParams) or not isinstance(outcome, Accepted):
        return True
    for auction_id, auction in outcome.state.auctions.items():
        before = pre.auctions.get(auction_id)
        changed = before is None or auction.incentives_paid != before.incentives_paid
        if changed and auction.incentives_paid > policy.incentive_cap:
            return False
    if isinstance(action, Take):
        floor = pre.auctions[action.auction].floor
        return all(
            e.paid * RAY >= e.collateral * floor for e in outcome.events if isinstance(e, Taken)
        )
    return True


def borrower_surplus(pre: State, action: object, outcome: Outcome) -> bool:
    """BORROWER-SURPLUS: settling an auction that raised its tab returns its whole
    remaining lot to the position."""
    if not isinstance(action, Settle) or not isinstance(outcome, Accepted):
        return True
    auction = pre.auctions[action.auction]
    returned = sum(e.amount for e in outcome.events if isinstance(e, CollateralReturned))
    before = pre.positions[auction.position].collateral
    after = outcome.state.positions[auction.position].collateral
    if auction.debt + auction.fee == 0:
        return returned == auction.lot and after == before + auction.lot
    return returned == 0 and after == before


def loss_waterfall(pre: State, action: object, outcome: Outcome) -> bool:
    """LOSS-WATERFALL: a shortfall reaches a rung only once the rungs above are empty,
    in the policy's order; LPs lose only after the insurance fund (and, gen 3, POL)."""
    if not isinstance(outcome, Accepted):
        return True
    covered = [e for e in outcome.events if isinstance(e, ShortfallCovered)]
    if not covered:
        return True
    order = {
        Gen1SpotParams: (Buffer.LPS,),
        Gen2DutchParams: (Buffer.INSURANCE, Buffer.LPS),
        Gen3ZeroLossParams: (Buffer.INSURANCE, Buffer.POL, Buffer.LPS),
    }[type(pre.config.policy)]
    ranks = [order.index(e.source) for e in covered]
    if ranks != sorted(ranks):
        return False
    post = outcome.state.buffers
    for event in covered:
        above_insurance = event.source is Buffer.LPS or event.source is Buffer.POL
        if above_insurance and Buffer.INSURANCE in order and post.insurance != 0:
            return False
        if event.source is Buffer.LPS and Buffer.POL in order and post.pol_quote != 0:
            return False
    return True


def reset_guarded(pre: State, action: object, outcome: Outcome) -> bool:
    """RESET-GUARDED: a reset happens only when its condition held, and restarts the
    stage now, from the current decision price (gen 2: spot; gen 3: reference)."""
    if not isinstance(action, Redo) or not isinstance(outcome, Accepted):
        return True
    before = pre.auctions[action.auction]
    after = outcome.state.auctions[action.auction]
    policy = pre.config.policy
    if isinstance(policy, Gen2DutchParams):
        held = gen2_dutch.status(pre, before)[0]
        exact = pre.oracle.spot * policy.buf  # dss rmul: top = floor(spot * buf / RAY)
        restart = after.top * RAY <= exact < (after.top + 1) * RAY
    elif isinstance(policy, Gen3ZeroLossParams):
        held = gen3_zero_loss.reset_allowed(pre, before)
        restart = after.top == rmul_up(
            pre.oracle.reference, policy.start_premium
        ) and after.floor == gen3_zero_loss.floor_price(policy, pre.oracle.reference)
    else:
        return False
    return held and restart and after.tic == pre.time and after.resets == before.resets + 1


def incentive_cap(pre: State, action: object, outcome: Outcome) -> bool:
    """INCENTIVE-CAP (gen 3): what one liquidation pays keepers, over its kick and all its
    resets, never exceeds ``incentive_cap``."""
    policy = pre.config.policy
    if not isinstance(policy, Gen3ZeroLossParams) or not isinstance(outcome, Accepted):
        return True
    if not isinstance(action, Kick | Redo):
        return True
    paid = sum(e.amount for e in outcome.events if isinstance(e, IncentivePaid))
    before = 0 if isinstance(action, Kick) else pre.auctions[action.auction].incentives_paid
    return before + paid <= policy.incentive_cap


def lp_withdrawal_freeze(pre: State, action: object, outcome: Outcome) -> bool:
    """LP-WITHDRAWAL-FREEZE (gen 3): no LP withdrawal while an unbacked auction is live."""
    if not isinstance(pre.config.policy, Gen3ZeroLossParams):
        return True
    if not isinstance(action, WithdrawLiquidity) or not isinstance(outcome, Accepted):
        return True
    return pre.unbacked == 0


STEP_PROPERTIES: dict[str, Callable[[State, object, Outcome], bool]] = {
    "REFUSAL-NO-CHANGE": refusal_no_change,
    "ORACLE-BOUNDED-STEP": oracle_bounded_step,
    "AUCTION-MONOTONE": auction_monotone,
    "NO-HEALTHY-LIQUIDATION": no_healthy_liquidation,
    "AUCTION-FLOOR": auction_floor,
    "GEN3-POL-FAIR-PRICE": pol_fair_price,
    "UNCOVERED-NEVER-GROWS": uncovered_never_grows,
    "ROUNDING-FAVOURS-PROTOCOL": rounding_favours_protocol,
    "BOUNDED-EXTRACTION": bounded_extraction,
    "BORROWER-SURPLUS": borrower_surplus,
    "LOSS-WATERFALL": loss_waterfall,
    "RESET-GUARDED": reset_guarded,
    "INCENTIVE-CAP": incentive_cap,
    "LP-WITHDRAWAL-FREEZE": lp_withdrawal_freeze,
    "PRELIQ-CONSENT": pre_liquidation_consent,
    "PRELIQ-RATIO-NEVER-WORSE": pre_liquidation_ratio,
    "PRELIQ-KEEPER-GAIN": pre_liquidation_keeper_gain,
    "PRELIQ-CLOSE-FACTOR": pre_liquidation_close_factor,
    "STEWARD-BOUNDED": steward_bounded,
    "STEWARD-PHASE-IN": steward_phase_in,
}


def violated_step_properties(pre: State, action: object, outcome: Outcome) -> tuple[str, ...]:
    """IDs of the step properties this step breaks (concrete steps only)."""
    return tuple(name for name, holds in STEP_PROPERTIES.items() if not holds(pre, action, outcome))
