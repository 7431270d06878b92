"""What the actors look at before they act: limits, thresholds and prices, read from
the state through the model's own functions (looked up as module attributes, so that
a monkeypatched mutant is seen by the actors too)."""

from __future__ import annotations

from model.actions import EndAuction, Kick, Liquidate
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.policies import gen1_spot, gen3_zero_loss, policy_of
from model.rules import steward
from model.state import Auction, Position, State


def lp_claim(state: State, lp: str) -> int:
    """What ``lp``'s shares are worth now, rounded down."""
    shares = state.lp_shares.get(lp, 0)
    if shares == 0 or state.pool.total_shares == 0:
        return 0
    return shares * state.pool.lp_claims // state.pool.total_shares


def debt_limit(state: State, collateral: int) -> int:
    """The most debt ``collateral`` may carry after a borrow, exactly as the policy's
    leverage check decides it (gen 1: ``borrow_ratio`` at spot; gen 2: ``mat`` at spot;
    gen 3: the volatility-widened warning ratio, with the parameters in force, at the
    reference price)."""
    policy = state.config.policy
    if isinstance(policy, Gen1SpotParams):
        return collateral * state.oracle.spot // policy.borrow_ratio
    if isinstance(policy, Gen2DutchParams):
        return collateral * state.oracle.spot // policy.mat
    ratio = gen3_zero_loss.warning_ratio(steward.in_force(state), state.oracle.volatility)
    return collateral * state.oracle.reference // ratio


def unsafe(state: State, position: Position) -> bool:
    """Whether the policy lets a keeper liquidate ``position`` now (breakers aside)."""
    if position.debt == 0:
        return False
    return policy_of(state.config).below_trigger(state, position)


def any_unsafe(state: State) -> bool:
    return any(unsafe(state, position) for position in state.positions.values())


def liquidation(state: State, keeper: str, position_id: int, share: int = 100) -> object:
    """A keeper's liquidation of ``position_id``: gen 1 repays ``share`` % of what the
    close factor allows; gen 2 and gen 3 kick."""
    if Liquidate in policy_of(state.config).rules:
        position = state.positions.get(position_id)
        repay = 1
        if position is not None and position.debt > 0:
            repay = max(1, gen1_spot.max_repay(state, position) * share // 100)
        return Liquidate(keeper, position_id, repay)
    return Kick(keeper, position_id)


def price(state: State, auction_id: int) -> int:
    """An auction's current price, or 0 if it is not live."""
    auction = state.auctions.get(auction_id)
    current_price = policy_of(state.config).auction_price
    if auction is None or auction.finished or current_price is None:
        return 0
    return current_price(state, auction)


def auction_duration(state: State) -> int:
    """Gen 3: how long an auction stage runs before POL may buy (0 for other policies)."""
    policy = state.config.policy
    return policy.auction_duration if isinstance(policy, Gen3ZeroLossParams) else 0


def expired(state: State, auction: Auction) -> bool:
    """Whether the auction's stage has run long enough for POL's backstop."""
    return policy_of(state.config).backstop_due(state, auction)


def has_pol_backstop(state: State) -> bool:
    """Whether the policy has POL's backstop (``EndAuction``, and POL's desk)."""
    return EndAuction in policy_of(state.config).rules


def floor_of_reference(state: State) -> int:
    """Gen 3: the floor a stage started now would have, the least price POL may sell at."""
    policy = state.config.policy
    assert isinstance(policy, Gen3ZeroLossParams)
    return gen3_zero_loss.floor_price(policy, state.oracle.reference)
