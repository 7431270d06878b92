# pragma version ~=0.4.3
"""
@title The vat: the lending pool, the vaults, the buffers, the ledger, the oracle, the clock
@notice What the gen 2 auction house liquidates in (spec/actions.md): LPs supply and
        withdraw, owners open vaults (the model's positions), deposit, withdraw, borrow
        and repay, anyone funds a buffer; the oracle's reference and volatility
        (spec/oracle.md) and the clock. Amounts are numbers, not token transfers (the
        model moves no tokens either). The clock is `time`, advanced by `advance_time`
        (the model's AdvanceTime), so that a state can start at any time; a deployment
        would read block.timestamp. Every refusal reverts with a reason; the mapping
        file (contracts/gen2_auction_house.toml) names its RefusalCode.
"""

import fixed_point as fp

RAY: constant(uint256) = 10**27


struct Oracle:
    spot: uint256
    reference: uint256
    volatility: uint256
    last_update: uint256


struct Market:
    depth: uint256
    period_start: uint256
    kicked_in_period: uint256


struct Position:
    owner: address
    collateral: uint256
    debt: uint256


struct Pool:
    cash: uint256
    lp_claims: uint256
    total_shares: uint256


struct Buffers:
    insurance: uint256
    pol_quote: uint256
    pol_collateral: uint256


struct Ledger:
    collateral_in: uint256
    collateral_out: uint256
    quote_in: uint256
    quote_out: uint256
    bad_debt: uint256


# --- events: the model's, field for field (model/events.py) --------------------------

event LiquiditySupplied:
    lp: indexed(address)
    amount: uint256
    shares: uint256

event LiquidityWithdrawn:
    lp: indexed(address)
    amount: uint256
    shares: uint256

event InsuranceFunded:
    funder: indexed(address)
    amount: uint256

event PolFunded:
    funder: indexed(address)
    amount: uint256

event PositionOpened:
    position: indexed(uint256)
    owner: indexed(address)

event CollateralDeposited:
    position: indexed(uint256)
    amount: uint256

event CollateralWithdrawn:
    position: indexed(uint256)
    amount: uint256

event Borrowed:
    position: indexed(uint256)
    amount: uint256

event Repaid:
    position: indexed(uint256)
    amount: uint256

event OracleUpdated:
    spot: uint256
    reference: uint256
    volatility: uint256

event TimeAdvanced:
    time: uint256

event DepthReported:
    depth: uint256


# --- parameters (spec/parameters.md), fixed at deployment ----------------------------

DUST: public(immutable(uint256))
MAX_STEP: public(immutable(uint256))
STEP_PERIOD: public(immutable(uint256))
VOLATILITY_ALPHA: public(immutable(uint256))
MAT: public(immutable(uint256))

# --- state (spec/state.md) -----------------------------------------------------------

governance: public(address)
time: public(uint256)
oracle: public(Oracle)
market: public(Market)
positions: public(HashMap[uint256, Position])
next_position: public(uint256)
lp_shares: public(HashMap[address, uint256])
pool: public(Pool)
buffers: public(Buffers)
ledger: public(Ledger)


@deploy
def __init__(
    dust: uint256, max_step: uint256, step_period: uint256, volatility_alpha: uint256,
    mat: uint256, spot: uint256
):
    """Genesis (spec/state.md) at time 0, the oracle at spot, the sender governing the
    oracle and the clock; the parameters are assumed valid, as the model assumes them."""
    DUST = dust
    MAX_STEP = max_step
    STEP_PERIOD = step_period
    VOLATILITY_ALPHA = volatility_alpha
    MAT = mat
    self.governance = msg.sender
    self.oracle = Oracle(spot=spot, reference=spot, volatility=0, last_update=0)


@internal
@view
def _spotter_spot() -> uint256:
    """dss Spotter poke: spot / mat rounded down (GEN2-DSS) decides who is unsafe."""
    return fp.rdiv_down(self.oracle.spot, MAT)


@internal
@view
def _check_safe(collateral: uint256, debt: uint256):
    """Vat.frob's safety (gen 2 leverage_refusal): debt * RAY <= collateral * spotter spot."""
    if debt > 0:
        assert not fp.product_below(collateral, self._spotter_spot(), debt, RAY), "Vat/not-safe"


@internal
@view
def _position(position: uint256) -> Position:
    assert position < self.next_position, "Vat/unknown-vault"
    return self.positions[position]


@internal
@view
def _owned(position: uint256) -> Position:
    p: Position = self._position(position)
    assert p.owner == msg.sender, "Vat/not-allowed"
    return p


# --- lending pool (ACT-SUPPLY-LIQUIDITY, -WITHDRAW-LIQUIDITY, -FUND-*) ---------------

@internal
@view
def _shares_for_supply(amount: uint256) -> uint256:
    if self.pool.total_shares == 0:
        return amount
    return fp.mul_div_down(amount, self.pool.total_shares, self.pool.lp_claims)


@external
def supply_liquidity(amount: uint256):
    """The sender supplies amount quote and receives shares, rounded down."""
    assert amount != 0, "Pool/zero-amount"
    pool: Pool = self.pool
    assert pool.total_shares == 0 or pool.lp_claims != 0, "Pool/insolvent"
    shares: uint256 = self._shares_for_supply(amount)
    assert shares != 0, "Pool/zero-shares"
    pool.cash = fp.add(pool.cash, amount)
    pool.lp_claims = fp.add(pool.lp_claims, amount)
    pool.total_shares = fp.add(pool.total_shares, shares)
    self.pool = pool
    self.lp_shares[msg.sender] += shares
    self.ledger.quote_in = fp.add(self.ledger.quote_in, amount)
    log LiquiditySupplied(lp=msg.sender, amount=amount, shares=shares)


@external
def withdraw_liquidity(amount: uint256):
    """The sender takes amount quote out, burning shares rounded up."""
    assert amount != 0, "Pool/zero-amount"
    pool: Pool = self.pool
    assert pool.total_shares != 0 and amount <= pool.lp_claims, "Pool/insufficient-shares"
    burn: uint256 = fp.mul_div_up(amount, pool.total_shares, pool.lp_claims)
    assert burn <= self.lp_shares[msg.sender], "Pool/insufficient-shares"
    assert amount <= pool.cash, "Pool/insufficient-cash"
    pool.cash -= amount
    pool.lp_claims -= amount
    pool.total_shares -= burn
    self.pool = pool
    self.lp_shares[msg.sender] -= burn
    self.ledger.quote_out = fp.add(self.ledger.quote_out, amount)
    log LiquidityWithdrawn(lp=msg.sender, amount=amount, shares=burn)


@external
def fund_insurance(amount: uint256):
    assert amount != 0, "Pool/zero-amount"
    self.buffers.insurance = fp.add(self.buffers.insurance, amount)
    self.ledger.quote_in = fp.add(self.ledger.quote_in, amount)
    log InsuranceFunded(funder=msg.sender, amount=amount)


@external
def fund_pol(amount: uint256):
    assert amount != 0, "Pool/zero-amount"
    self.buffers.pol_quote = fp.add(self.buffers.pol_quote, amount)
    self.ledger.quote_in = fp.add(self.ledger.quote_in, amount)
    log PolFunded(funder=msg.sender, amount=amount)


# --- positions (ACT-OPEN-POSITION, -DEPOSIT-, -WITHDRAW-COLLATERAL, -BORROW, -REPAY) -

@external
def open_position() -> uint256:
    position: uint256 = self.next_position
    self.positions[position] = Position(owner=msg.sender, collateral=0, debt=0)
    self.next_position = position + 1
    log PositionOpened(position=position, owner=msg.sender)
    return position


@external
def deposit_collateral(position: uint256, amount: uint256):
    p: Position = self._position(position)
    assert amount != 0, "Pool/zero-amount"
    self.positions[position].collateral = fp.add(p.collateral, amount)
    self.ledger.collateral_in = fp.add(self.ledger.collateral_in, amount)
    log CollateralDeposited(position=position, amount=amount)


@external
def withdraw_collateral(position: uint256, amount: uint256):
    p: Position = self._owned(position)
    assert amount != 0, "Pool/zero-amount"
    assert amount <= p.collateral, "Vat/insufficient-collateral"
    self._check_safe(p.collateral - amount, p.debt)
    self.positions[position].collateral = p.collateral - amount
    self.ledger.collateral_out = fp.add(self.ledger.collateral_out, amount)
    log CollateralWithdrawn(position=position, amount=amount)


@external
def borrow(position: uint256, amount: uint256):
    p: Position = self._owned(position)
    assert amount != 0, "Pool/zero-amount"
    assert amount <= self.pool.cash, "Pool/insufficient-cash"
    debt: uint256 = fp.add(p.debt, amount)
    assert debt >= DUST, "Vat/dust"
    self._check_safe(p.collateral, debt)
    self.positions[position].debt = debt
    self.pool.cash -= amount
    self.ledger.quote_out = fp.add(self.ledger.quote_out, amount)
    log Borrowed(position=position, amount=amount)


@external
def repay(position: uint256, amount: uint256):
    p: Position = self._position(position)
    assert amount != 0, "Pool/zero-amount"
    assert amount <= p.debt, "Vat/repay-exceeds-debt"
    left: uint256 = p.debt - amount
    assert left == 0 or left >= DUST, "Vat/dust"
    self.positions[position].debt = left
    self.pool.cash = fp.add(self.pool.cash, amount)
    self.ledger.quote_in = fp.add(self.ledger.quote_in, amount)
    log Repaid(position=position, amount=amount)


# --- oracle, time, market (ACT-REPORT-ORACLE, -ADVANCE-TIME, -REPORT-DEPTH) ---------

@external
def report_oracle(spot: uint256):
    """A new spot: the reference moves at most max_step per step_period of elapsed time
    (ORACLE-REFERENCE), the volatility follows each move (ORACLE-VOLATILITY)."""
    assert msg.sender == self.governance, "AuctionHouse/not-authorized"
    assert spot != 0, "Spotter/invalid-price"
    before: Oracle = self.oracle
    window: uint256 = min(fp.sub(self.time, before.last_update), STEP_PERIOD)
    allowance: uint256 = fp.mul_div_down(
        fp.rmul_down(before.reference, MAX_STEP), window, STEP_PERIOD
    )
    reference: uint256 = max(spot, before.reference - allowance)
    if allowance <= max_value(uint256) - before.reference:
        reference = min(reference, before.reference + allowance)
    gap: uint256 = 0
    if spot >= before.spot:
        gap = spot - before.spot
    else:
        gap = before.spot - spot
    move: uint256 = RAY
    if gap < before.spot:
        move = fp.rdiv_up(gap, before.spot)
    kept: uint256 = fp.mul_div_up(before.volatility, RAY - VOLATILITY_ALPHA, RAY)
    added: uint256 = fp.mul_div_up(move, VOLATILITY_ALPHA, RAY)
    volatility: uint256 = min(fp.add(kept, added), RAY)
    self.oracle = Oracle(
        spot=spot, reference=reference, volatility=volatility, last_update=self.time
    )
    log OracleUpdated(spot=spot, reference=reference, volatility=volatility)


@external
def advance_time(seconds: uint256):
    assert msg.sender == self.governance, "AuctionHouse/not-authorized"
    assert seconds != 0, "Pool/zero-amount"
    self.time = fp.add(self.time, seconds)
    log TimeAdvanced(time=self.time)


@external
def report_depth(depth: uint256):
    assert msg.sender == self.governance, "AuctionHouse/not-authorized"
    self.market.depth = depth
    log DepthReported(depth=depth)


