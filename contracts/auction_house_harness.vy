# pragma version ~=0.4.3
"""
@title Test harness of the gen 2 auction house: the contract, plus what a cross-check needs
@notice Exports the auction house (vat and clipper) unchanged and adds, for the EVM
        adapter only, loaders that write any observable state (a vector's pre-state, a
        fuzz run's start) and the abaci curves as plain functions (the curve vectors).
        Never deploy it: anyone can overwrite every balance.
"""

import abaci
import clipper
import vat

initializes: vat
initializes: clipper[vat := vat]
exports: (vat.__interface__, clipper.__interface__)


@deploy
def __init__(
    dust: uint256,
    max_step: uint256,
    step_period: uint256,
    volatility_alpha: uint256,
    mat: uint256,
    chop: uint256,
    buf: uint256,
    tail: uint256,
    cusp: uint256,
    chip: uint256,
    tip: uint256,
    hole: uint256,
    curve: clipper.Curve,
    tau: uint256,
    step: uint256,
    cut: uint256,
    spot: uint256,
):
    vat.__init__(dust, max_step, step_period, volatility_alpha, mat, spot)
    clipper.__init__(dust, chop, buf, tail, cusp, chip, tip, hole, curve, tau, step, cut)


# --- loaders: one per record of the observable state, fields in spec/state.md's order ---

@external
def load_time(time: uint256):
    vat.time = time


@external
def load_oracle(spot: uint256, reference: uint256, volatility: uint256, last_update: uint256):
    vat.oracle = vat.Oracle(
        spot=spot, reference=reference, volatility=volatility, last_update=last_update
    )


@external
def load_market(depth: uint256, period_start: uint256, kicked_in_period: uint256):
    vat.market = vat.Market(
        depth=depth, period_start=period_start, kicked_in_period=kicked_in_period
    )


@external
def load_position(position: uint256, owner: address, collateral: uint256, debt: uint256):
    vat.positions[position] = vat.Position(owner=owner, collateral=collateral, debt=debt)


@external
def load_next_position(next_position: uint256):
    vat.next_position = next_position


@external
def load_auction(
    auction: uint256,
    position: uint256,
    lot: uint256,
    debt: uint256,
    fee: uint256,
    top: uint256,
    stage_floor: uint256,
    tic: uint256,
    anchor: uint256,
    incentives_paid: uint256,
    resets: uint256,
    backed: bool,
):
    assert stage_floor == 0 and backed, "Harness/not-a-gen2-auction"
    clipper.sales[auction] = clipper.Sale(
        position=position, lot=lot, debt=debt, fee=fee, top=top, tic=tic, anchor=anchor,
        incentives_paid=incentives_paid, resets=resets,
    )
    clipper.auction_exists[auction] = True


@external
def load_next_auction(next_auction: uint256):
    clipper.next_auction = next_auction


@external
def load_lp_shares(lp: address, shares: uint256):
    vat.lp_shares[lp] = shares


@external
def load_pool(cash: uint256, lp_claims: uint256, total_shares: uint256):
    vat.pool = vat.Pool(cash=cash, lp_claims=lp_claims, total_shares=total_shares)


@external
def load_buffers(insurance: uint256, pol_quote: uint256, pol_collateral: uint256):
    vat.buffers = vat.Buffers(
        insurance=insurance, pol_quote=pol_quote, pol_collateral=pol_collateral
    )


@external
def load_ledger(
    collateral_in: uint256,
    collateral_out: uint256,
    quote_in: uint256,
    quote_out: uint256,
    bad_debt: uint256,
):
    vat.ledger = vat.Ledger(
        collateral_in=collateral_in,
        collateral_out=collateral_out,
        quote_in=quote_in,
        quote_out=quote_out,
        bad_debt=bad_debt,
    )


@external
def load_exposure(exposure: uint256):
    clipper.exposure = exposure


@external
def load_unbacked(unbacked: uint256):
    assert unbacked == 0, "Harness/not-a-gen2-auction"


# --- the abaci as plain functions (spec/curves.md), for the curve vectors -------------

@external
@pure
def rpow(x: uint256, n: uint256, base: uint256) -> uint256:
    return abaci.rpow(x, n, base)


@external
@pure
def linear_decrease(top: uint256, dur: uint256, tau: uint256) -> uint256:
    return abaci.linear_decrease(top, dur, tau)


@external
@pure
def stairstep_exponential_decrease(
    top: uint256, dur: uint256, step: uint256, cut: uint256
) -> uint256:
    return abaci.stairstep_exponential_decrease(top, dur, step, cut)


@external
@pure
def exponential_decrease(top: uint256, dur: uint256, cut: uint256) -> uint256:
    return abaci.exponential_decrease(top, dur, cut)
