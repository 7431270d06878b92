"""Invariants: properties every reachable state has, one predicate per requirement ID.

Requirement: PREDICATES-TOTAL.

These are the single definition of each invariant in ``spec/invariants.md``; the
stateful tests, the proofs and trace replay all call these functions. They use only
comparisons, ``+``, ``-``, ``*`` and sums over the maps, so they evaluate on concrete
and on symbolic states alike.
"""

from __future__ import annotations

from collections.abc import Callable

from model.invariants.predictive import pre_liquidation_terms, steward_safe
from model.numbers.fixed_point import RAY, UINT256_MAX, WAD, rmul_down, rmul_up
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.state import State


def conserve_collateral(state: State) -> bool:
    """CONSERVE-COLLATERAL: all collateral that came in and did not leave is somewhere.

    ``sum(position.collateral) + sum(auction.lot) + pol_collateral
    == collateral_in - collateral_out``
    """
    held = sum(p.collateral for p in state.positions.values())
    on_auction = sum(a.lot for a in state.auctions.values())
    inside = held + on_auction + state.buffers.pol_collateral
    return inside == state.ledger.collateral_in - state.ledger.collateral_out


def conserve_quote(state: State) -> bool:
    """CONSERVE-QUOTE: ``cash + insurance + pol_quote == quote_in - quote_out``."""
    inside = state.pool.cash + state.buffers.insurance + state.buffers.pol_quote
    return inside == state.ledger.quote_in - state.ledger.quote_out


def balance_sheet(state: State) -> bool:
    """BALANCE-SHEET: pool cash plus receivables equal LP claims, exactly.

    ``cash + sum(position.debt) + sum(auction.debt) == lp_claims``
    """
    receivables = sum(p.debt for p in state.positions.values()) + sum(
        a.debt for a in state.auctions.values()
    )
    return state.pool.cash + receivables == state.pool.lp_claims


def exposure_accounting(state: State) -> bool:
    """EXPOSURE-ACCOUNTING: ``exposure == sum(auction.debt + auction.fee)``."""
    return state.exposure == sum(a.debt + a.fee for a in state.auctions.values())


def exposure_cap(state: State) -> bool:
    """EXPOSURE-CAP: the tab under auction stays under the circuit-breaker cap.

    gen 3: ``exposure <= exposure_cap``. gen 2: ``exposure <= hole + chost``: dss Dog
    liquidates a whole vault when a partial one would leave dust, overshooting ``hole`` by
    less than ``chost`` (the documented behaviour of ``bark``). gen 1: nothing is ever
    under auction.
    """
    policy = state.config.policy
    if isinstance(policy, Gen3ZeroLossParams):
        return state.exposure <= policy.exposure_cap
    if isinstance(policy, Gen2DutchParams):
        # exposure - hole <= chost = ceil(dust * chop / WAD), compared without dividing so
        # that the predicate cannot fault whatever the parameters (PREDICATES-TOTAL)
        over = state.exposure - policy.hole
        return over <= 0 or over * WAD < state.config.dust * policy.chop + WAD
    return state.exposure == 0


def unbacked_accounting(state: State) -> bool:
    """UNBACKED-ACCOUNTING: ``unbacked`` counts the live auctions flagged not backed."""
    return state.unbacked == sum(0 if a.backed else 1 for a in state.auctions.values())


def shares_accounting(state: State) -> bool:
    """SHARES-ACCOUNTING: the LPs' shares add up to ``total_shares``."""
    return sum(state.lp_shares.values()) == state.pool.total_shares


def debt_dust(state: State) -> bool:
    """DEBT-DUST: every position's debt is zero or at least ``dust``."""
    dust = state.config.dust
    return all(p.debt == 0 or p.debt >= dust for p in state.positions.values())


def auction_backed(state: State) -> bool:
    """AUCTION-BACKED (gen 3): a backed auction's lot at its floor still covers its debt,
    ``lot * floor >= debt * RAY`` (exactly, so that the invariant itself cannot fault);
    gen 1 has no auctions."""
    policy = state.config.policy
    if isinstance(policy, Gen1SpotParams):
        return len(state.auctions) == 0
    if isinstance(policy, Gen2DutchParams):
        return True
    return all(not a.backed or a.lot * a.floor >= a.debt * RAY for a in state.auctions.values())


def auction_well_formed(state: State) -> bool:
    """AUCTION-WELL-FORMED: every live auction's stage is one a kick or a reset can start.

    gen 2: ``0 < top`` and ``top * RAY <= 2**256 - 1``; gen 3: ``0 < floor``, the stage
    priced from its anchor (``floor = rmul_down(anchor, floor_ratio)``,
    ``top = rmul_up(anchor, start_premium)``) and ``incentives_paid <= incentive_cap``.
    (The proofs found each clause needed: without them, a take divides by a zero ``top``,
    POL's purchase by a zero floor, a reset of an auction already over the cap breaks
    INCENTIVE-CAP, and how far the reference may fall below a stage's floor
    (ZERO-LOSS-TOTAL, LOSS-BOUND-RESET) is measured from the anchor. The stateful
    machines found the gen 2 bound: a stage whose ``top * RAY`` leaves uint256 has a
    curve price no dss curve can compute, so it could be neither taken nor reset.)
    """
    policy = state.config.policy
    if isinstance(policy, Gen2DutchParams):
        return all(a.top > 0 and a.top * RAY <= UINT256_MAX for a in state.auctions.values())
    if isinstance(policy, Gen3ZeroLossParams):
        return all(
            a.floor > 0
            and a.floor == rmul_down(a.anchor, policy.floor_ratio)
            and a.top == rmul_up(a.anchor, policy.start_premium)
            and a.incentives_paid <= policy.incentive_cap
            for a in state.auctions.values()
        )
    return True


def oracle_sane(state: State) -> bool:
    """ORACLE-SANE: ``spot > 0``, ``reference > 0``, ``volatility <= RAY``,
    ``last_update <= time``."""
    oracle = state.oracle
    return (
        oracle.spot > 0
        and oracle.reference > 0
        and oracle.volatility <= RAY
        and oracle.last_update <= state.time
    )


def uint_bounds(state: State) -> bool:
    """UINT-BOUNDS: every amount in the state is a uint256 (every integer field: state.md)."""
    values = [
        state.time,
        state.next_position,
        state.next_auction,
        state.exposure,
        state.unbacked,
        state.pool.cash,
        state.pool.lp_claims,
        state.pool.total_shares,
        state.buffers.insurance,
        state.buffers.pol_quote,
        state.buffers.pol_collateral,
        state.ledger.collateral_in,
        state.ledger.collateral_out,
        state.ledger.quote_in,
        state.ledger.quote_out,
        state.ledger.bad_debt,
        state.oracle.spot,
        state.oracle.reference,
        state.oracle.volatility,
        state.oracle.last_update,
        state.market.depth,
        state.market.period_start,
        state.market.kicked_in_period,
    ]
    for p in state.positions.values():
        values.extend((p.collateral, p.debt))
    for a in state.auctions.values():
        values.extend(
            (a.lot, a.debt, a.fee, a.top, a.floor, a.tic, a.anchor, a.incentives_paid, a.resets)
        )
    values.extend(state.lp_shares.values())
    for t in state.pre_liquidation.values():
        values.extend(
            (t.ratio, t.close_factor_start, t.close_factor_end, t.incentive_start, t.incentive_end)
        )
    steward = state.steward
    if steward is not None:
        values.extend(
            (
                steward.liquidation_ratio,
                steward.target_ratio,
                steward.warning_margin,
                steward.phase_from,
                steward.phase_start,
                steward.phase_end,
                steward.liquidation_ratio_locked_until,
                steward.target_ratio_locked_until,
                steward.warning_margin_locked_until,
            )
        )
    return all(0 <= v <= UINT256_MAX for v in values)


STATE_INVARIANTS: dict[str, Callable[[State], bool]] = {
    "CONSERVE-COLLATERAL": conserve_collateral,
    "CONSERVE-QUOTE": conserve_quote,
    "BALANCE-SHEET": balance_sheet,
    "EXPOSURE-ACCOUNTING": exposure_accounting,
    "EXPOSURE-CAP": exposure_cap,
    "UNBACKED-ACCOUNTING": unbacked_accounting,
    "SHARES-ACCOUNTING": shares_accounting,
    "DEBT-DUST": debt_dust,
    "AUCTION-BACKED": auction_backed,
    "AUCTION-WELL-FORMED": auction_well_formed,
    "ORACLE-SANE": oracle_sane,
    "UINT-BOUNDS": uint_bounds,
    "PRELIQ-TERMS": pre_liquidation_terms,
    "STEWARD-SAFE": steward_safe,
}


def violated_invariants(state: State) -> tuple[str, ...]:
    """IDs of the state invariants ``state`` breaks (concrete states only)."""
    return tuple(name for name, holds in STATE_INVARIANTS.items() if not holds(state))
