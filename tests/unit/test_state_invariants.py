"""The state invariants of spec/invariants.md have teeth.

``test_invariant_runs`` shows that each predicate holds along realistic runs; here each
is shown to return False on a state broken in exactly the way the invariant forbids,
built from a realistic state where it returns True.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

from model.actions import Kick, Liquidate
from model.invariants import STATE_INVARIANTS
from model.invariants.state_invariants import (
    auction_backed,
    auction_well_formed,
    balance_sheet,
    conserve_collateral,
    conserve_quote,
    debt_dust,
    exposure_accounting,
    exposure_cap,
    oracle_sane,
    shares_accounting,
    uint_bounds,
    unbacked_accounting,
)
from model.numbers import RAY, UINT256_MAX
from model.params.derived import gen2_chost
from model.params.presets import GEN2_MAKER_ETH_A
from model.state import State
from tests.builders import book, borrower, config, wad

Invariant = Callable[[State], bool]


def gen3_with_auctions() -> State:
    """Alice's backed auction (kicked at 1,700) and bob's unbacked one (at 1,500)."""
    b = book("gen3", liquidity=100_000, insurance=1_000, pol=100)
    borrower(b, "alice", 10, 14_000)
    borrower(b, "bob", 10, 14_000)
    b.set_prices(1_700)
    b.do(Kick("keeper", 0))
    b.set_prices(1_500)
    b.do(Kick("keeper", 1))
    assert b.auction(0).backed and not b.auction(1).backed
    return b.state


def gen2_with_auction() -> State:
    b = book("gen2", liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, 13_000)
    b.set_prices(1_800)
    b.do(Kick("keeper", 0))
    return b.state


def gen1_after_liquidation() -> State:
    b = book("gen1", liquidity=100_000)
    borrower(b, "alice", 10, 16_000)
    b.set_prices(1_900)
    b.do(Liquidate("liquidator", 0, wad(8_000)))
    return b.state


STATES = {"gen1": gen1_after_liquidation, "gen2": gen2_with_auction, "gen3": gen3_with_auctions}


@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_the_base_states_satisfy_every_invariant(policy: str) -> None:
    state = STATES[policy]()
    assert all(holds(state) for holds in STATE_INVARIANTS.values())


def breaks(invariant: Invariant, state: State, **changes: object) -> bool:
    """``invariant`` holds on ``state`` and fails once ``changes`` are applied."""
    return invariant(state) and not invariant(attrs.evolve(state, **changes))


def with_position(state: State, position_id: int, **fields: int) -> dict[str, object]:
    position = attrs.evolve(state.positions[position_id], **fields)
    return {"positions": state.positions.set(position_id, position)}


def with_auction(state: State, auction_id: int, **fields: object) -> dict[str, object]:
    auction = attrs.evolve(state.auctions[auction_id], **fields)
    return {"auctions": state.auctions.set(auction_id, auction)}


# --- conservation and the balance sheet -----------------------------------------------


@pytest.mark.covers("CONSERVE-COLLATERAL")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_conserve_collateral_catches_collateral_from_nowhere(policy: str) -> None:
    s = STATES[policy]()
    assert breaks(
        conserve_collateral, s, **with_position(s, 0, collateral=s.positions[0].collateral + 1)
    )
    assert breaks(
        conserve_collateral,
        s,
        ledger=attrs.evolve(s.ledger, collateral_out=s.ledger.collateral_out + 1),
    )
    assert breaks(
        conserve_collateral,
        s,
        buffers=attrs.evolve(s.buffers, pol_collateral=s.buffers.pol_collateral + 1),
    )


@pytest.mark.covers("CONSERVE-COLLATERAL")
def test_conserve_collateral_counts_auction_lots() -> None:
    s = gen3_with_auctions()
    assert breaks(conserve_collateral, s, **with_auction(s, 0, lot=s.auctions[0].lot - 1))


@pytest.mark.covers("CONSERVE-QUOTE")
@pytest.mark.parametrize(
    "change",
    [
        lambda s: {"pool": attrs.evolve(s.pool, cash=s.pool.cash + 1)},
        lambda s: {"buffers": attrs.evolve(s.buffers, insurance=s.buffers.insurance + 1)},
        lambda s: {"buffers": attrs.evolve(s.buffers, pol_quote=s.buffers.pol_quote + 1)},
        lambda s: {"ledger": attrs.evolve(s.ledger, quote_out=s.ledger.quote_out + 1)},
    ],
)
def test_conserve_quote_catches_quote_from_nowhere(
    change: Callable[[State], dict[str, object]],
) -> None:
    s = gen3_with_auctions()
    assert breaks(conserve_quote, s, **change(s))


@pytest.mark.covers("BALANCE-SHEET")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_balance_sheet_catches_claims_without_assets(policy: str) -> None:
    s = STATES[policy]()
    assert breaks(balance_sheet, s, pool=attrs.evolve(s.pool, lp_claims=s.pool.lp_claims + 1))
    assert breaks(balance_sheet, s, **with_position(s, 0, debt=s.positions[0].debt + 1))


@pytest.mark.covers("BALANCE-SHEET")
def test_balance_sheet_counts_auction_debt_but_not_fees() -> None:
    s = gen3_with_auctions()
    assert breaks(balance_sheet, s, **with_auction(s, 0, debt=s.auctions[0].debt - 1))
    fee_only = attrs.evolve(s, **with_auction(s, 0, fee=s.auctions[0].fee + 1))
    assert balance_sheet(fee_only)


# --- exposure, unbacked, shares, dust --------------------------------------------------


@pytest.mark.covers("EXPOSURE-ACCOUNTING")
@pytest.mark.parametrize("policy", ["gen2", "gen3"])
def test_exposure_accounting_catches_a_stale_total(policy: str) -> None:
    s = STATES[policy]()
    assert breaks(exposure_accounting, s, exposure=s.exposure + 1)
    assert breaks(exposure_accounting, s, **with_auction(s, 0, fee=s.auctions[0].fee + 1))


@pytest.mark.covers("EXPOSURE-CAP")
def test_exposure_cap_gen3_is_the_configured_cap() -> None:
    s = gen3_with_auctions()
    assert breaks(exposure_cap, s, config=config("gen3", exposure_cap=s.exposure - 1))
    assert exposure_cap(attrs.evolve(s, config=config("gen3", exposure_cap=s.exposure)))


@pytest.mark.covers("EXPOSURE-CAP")
def test_exposure_cap_gen2_is_hole_plus_chost() -> None:
    s = gen2_with_auction()
    chost = gen2_chost(GEN2_MAKER_ETH_A, s.config.dust)
    at_limit = config("gen2", hole=s.exposure - chost)
    assert exposure_cap(attrs.evolve(s, config=at_limit))
    assert breaks(exposure_cap, s, config=config("gen2", hole=s.exposure - chost - 1))


@pytest.mark.covers("EXPOSURE-CAP")
def test_exposure_cap_gen1_has_no_exposure() -> None:
    s = gen1_after_liquidation()
    assert breaks(exposure_cap, s, exposure=1)


@pytest.mark.covers("UNBACKED-ACCOUNTING")
def test_unbacked_accounting_catches_a_wrong_count() -> None:
    s = gen3_with_auctions()
    assert s.unbacked == 1
    assert breaks(unbacked_accounting, s, unbacked=0)
    assert breaks(unbacked_accounting, s, unbacked=2)
    assert breaks(unbacked_accounting, s, **with_auction(s, 0, backed=False))


@pytest.mark.covers("SHARES-ACCOUNTING")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_shares_accounting_catches_shares_from_nowhere(policy: str) -> None:
    s = STATES[policy]()
    assert breaks(shares_accounting, s, lp_shares=s.lp_shares.set("lp", s.lp_shares["lp"] + 1))
    assert breaks(shares_accounting, s, lp_shares=s.lp_shares.set("ghost", 1))
    assert breaks(
        shares_accounting, s, pool=attrs.evolve(s.pool, total_shares=s.pool.total_shares - 1)
    )


@pytest.mark.covers("DEBT-DUST")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_debt_dust_catches_a_debt_below_dust(policy: str) -> None:
    s = STATES[policy]()
    assert breaks(debt_dust, s, **with_position(s, 0, debt=s.config.dust - 1))
    assert breaks(debt_dust, s, **with_position(s, 0, debt=1))
    assert debt_dust(attrs.evolve(s, **with_position(s, 0, debt=0)))
    assert debt_dust(attrs.evolve(s, **with_position(s, 0, debt=s.config.dust)))


# --- auctions and the oracle ----------------------------------------------------------


@pytest.mark.covers("AUCTION-BACKED")
def test_auction_backed_catches_a_backed_auction_whose_lot_no_longer_covers_its_debt() -> None:
    s = gen3_with_auctions()
    a = s.auctions[0]
    short = a.debt * RAY // a.floor  # the lot at the floor now falls short by a little
    assert breaks(auction_backed, s, **with_auction(s, 0, lot=short - 1))
    # an unbacked auction may fall short: that is what the flag says
    assert auction_backed(attrs.evolve(s, **with_auction(s, 1, lot=1)))


@pytest.mark.covers("AUCTION-WELL-FORMED")
def test_auction_well_formed_catches_a_floor_above_the_top_or_at_zero() -> None:
    s = gen3_with_auctions()
    assert breaks(auction_well_formed, s, **with_auction(s, 1, floor=s.auctions[1].top + 1))
    assert breaks(auction_well_formed, s, **with_auction(s, 1, floor=0))


@pytest.mark.covers("AUCTION-WELL-FORMED")
def test_auction_well_formed_catches_incentives_over_the_cap() -> None:
    s = gen3_with_auctions()
    cap = s.config.policy.incentive_cap  # type: ignore[union-attr]
    assert breaks(auction_well_formed, s, **with_auction(s, 0, incentives_paid=cap + 1))
    assert auction_well_formed(attrs.evolve(s, **with_auction(s, 0, incentives_paid=cap)))


@pytest.mark.covers("AUCTION-WELL-FORMED")
def test_auction_well_formed_catches_a_gen2_stage_starting_at_zero() -> None:
    s = gen2_with_auction()
    assert breaks(auction_well_formed, s, **with_auction(s, 0, top=0))


@pytest.mark.covers("AUCTION-BACKED")
def test_gen1_has_no_auctions() -> None:
    s = gen1_after_liquidation()
    g3 = gen3_with_auctions()
    assert breaks(auction_backed, s, auctions=g3.auctions)


@pytest.mark.covers("ORACLE-SANE")
@pytest.mark.parametrize(
    ("field", "value"),
    [("spot", 0), ("reference", 0), ("volatility", RAY + 1)],
)
def test_oracle_sane_catches_a_broken_oracle(field: str, value: int) -> None:
    s = gen3_with_auctions()
    assert breaks(oracle_sane, s, oracle=attrs.evolve(s.oracle, **{field: value}))


@pytest.mark.covers("ORACLE-SANE")
def test_oracle_sane_catches_a_report_from_the_future() -> None:
    s = gen3_with_auctions()
    assert breaks(oracle_sane, s, oracle=attrs.evolve(s.oracle, last_update=s.time + 1))


@pytest.mark.covers("UINT-BOUNDS")
@pytest.mark.parametrize("value", [-1, UINT256_MAX + 1])
@pytest.mark.parametrize(
    "change",
    [
        lambda s, v: {"pool": attrs.evolve(s.pool, cash=v)},
        lambda s, v: {"pool": attrs.evolve(s.pool, lp_claims=v)},
        lambda s, v: {"buffers": attrs.evolve(s.buffers, insurance=v)},
        lambda s, v: {"ledger": attrs.evolve(s.ledger, bad_debt=v)},
        lambda s, v: {"exposure": v},
        lambda s, v: {"time": v},
        lambda s, v: {"market": attrs.evolve(s.market, depth=v)},
        lambda s, v: with_position(s, 0, collateral=v),
        lambda s, v: with_auction(s, 0, top=v),
        lambda s, v: with_auction(s, 0, incentives_paid=v),
        lambda s, v: {"lp_shares": s.lp_shares.set("lp", v)},
    ],
)
def test_uint_bounds_catches_amounts_outside_uint256(
    change: Callable[[State, int], dict[str, object]], value: int
) -> None:
    s = gen3_with_auctions()
    assert breaks(uint_bounds, s, **change(s, value))


@pytest.mark.covers("UINT-BOUNDS")
@pytest.mark.parametrize("value", [-1, UINT256_MAX + 1])
@pytest.mark.parametrize(
    "change",
    [
        lambda s, v: {"oracle": attrs.evolve(s.oracle, volatility=v)},
        lambda s, v: {"oracle": attrs.evolve(s.oracle, last_update=v)},
        lambda s, v: {"market": attrs.evolve(s.market, period_start=v)},
        lambda s, v: with_auction(s, 0, tic=v),
        lambda s, v: with_auction(s, 0, anchor=v),
        lambda s, v: with_auction(s, 0, resets=v),
        lambda s, v: {"next_position": v},
        lambda s, v: {"next_auction": v},
        lambda s, v: {"unbacked": v},
    ],
    ids=[
        "volatility",
        "last_update",
        "period_start",
        "tic",
        "anchor",
        "resets",
        "next_position",
        "next_auction",
        "unbacked",
    ],
)
def test_uint_bounds_catches_every_integer_field(
    change: Callable[[State, int], dict[str, object]], value: int
) -> None:
    s = gen3_with_auctions()
    assert breaks(uint_bounds, s, **change(s, value))
