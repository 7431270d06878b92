# pragma version ~=0.4.3
"""
@title The gen 2 liquidations: MakerDAO's Dog.bark and Clipper.take / redo, and settle
@notice Written from spec/policies/gen2.md and spec/actions.md (ACT-KICK, ACT-TAKE,
        ACT-REDO, ACT-SETTLE): kick with the dust and hole rules, take with the chost
        rule, redo with the keeper incentives, the three abaci curves, and settle down
        the waterfall (insurance, then LPs). It liquidates the vaults of the vat.
"""

import abaci
import fixed_point as fp
import vat

uses: vat

WAD: constant(uint256) = 10**18
RAY: constant(uint256) = 10**27


flag Curve:
    LINEAR_DECREASE
    STAIRSTEP_EXPONENTIAL_DECREASE
    EXPONENTIAL_DECREASE


flag Buffer:
    INSURANCE
    POL
    LPS


# An auction as stored: gen 2 has no floor (0) and every auction is backed.
struct Sale:
    position: uint256
    lot: uint256
    debt: uint256
    fee: uint256
    top: uint256
    tic: uint256
    anchor: uint256
    incentives_paid: uint256
    resets: uint256


# An auction as the model records it (spec/state.md).
struct Auction:
    position: uint256
    lot: uint256
    debt: uint256
    fee: uint256
    top: uint256
    floor: uint256
    tic: uint256
    anchor: uint256
    incentives_paid: uint256
    resets: uint256
    backed: bool



# --- events: the model's, field for field (model/events.py) --------------------------

event Kicked:
    auction: indexed(uint256)
    position: indexed(uint256)
    keeper: indexed(address)
    lot: uint256
    debt: uint256
    tab: uint256
    top: uint256
    floor: uint256

event IncentivePaid:
    auction: indexed(uint256)
    keeper: indexed(address)
    amount: uint256
    unpaid: uint256

event Taken:
    auction: indexed(uint256)
    bidder: indexed(address)
    collateral: uint256
    paid: uint256
    price: uint256

event AuctionReset:
    auction: indexed(uint256)
    keeper: indexed(address)
    top: uint256
    floor: uint256

event PenaltyCollected:
    auction: indexed(uint256)
    to_insurance: uint256
    to_lps: uint256

event CollateralReturned:
    auction: indexed(uint256)
    position: indexed(uint256)
    amount: uint256

event ShortfallCovered:
    position: indexed(uint256)
    source: Buffer
    amount: uint256

event AuctionSettled:
    auction: indexed(uint256)
    returned: uint256
    shortfall: uint256
    fee_forgone: uint256


# --- parameters (spec/parameters.md, gen 2), fixed at deployment ---------------------

CHOP: public(immutable(uint256))
BUF: public(immutable(uint256))
TAIL: public(immutable(uint256))
CUSP: public(immutable(uint256))
CHIP: public(immutable(uint256))
TIP: public(immutable(uint256))
HOLE: public(immutable(uint256))
CURVE: public(immutable(Curve))
TAU: public(immutable(uint256))
STEP: public(immutable(uint256))
CUT: public(immutable(uint256))
# dss chost, rounded up: the smallest tab a partial take may leave
CHOST: public(immutable(uint256))
# dust * chop * 10**9 (dss chost in RAD, unrounded), as 512 bits: the redo incentive's
# exact dust test (GEN2-REDO-INCENTIVE)
CHOST_RAD_HI: immutable(uint256)
CHOST_RAD_LO: immutable(uint256)

# --- state (spec/state.md) -----------------------------------------------------------

sales: HashMap[uint256, Sale]
auction_exists: public(HashMap[uint256, bool])
next_auction: public(uint256)
exposure: public(uint256)


@deploy
def __init__(
    dust: uint256,
    chop: uint256,
    buf: uint256,
    tail: uint256,
    cusp: uint256,
    chip: uint256,
    tip: uint256,
    hole: uint256,
    curve: Curve,
    tau: uint256,
    step: uint256,
    cut: uint256,
):
    CHOP = chop
    BUF = buf
    TAIL = tail
    CUSP = cusp
    CHIP = chip
    TIP = tip
    HOLE = hole
    CURVE = curve
    TAU = tau
    STEP = step
    CUT = cut
    CHOST = fp.wmul_up(dust, chop)
    hi: uint256 = 0
    lo: uint256 = 0
    hi, lo = fp.mul512(dust, chop)
    carry: uint256 = 0
    carry, lo = fp.mul512(lo, 10**9)
    CHOST_RAD_HI = fp.add(fp.mul(hi, 10**9), carry)
    CHOST_RAD_LO = lo


@external
@view
def auctions(auction: uint256) -> Auction:
    """The auction as the model records it (floor 0, backed: gen 2 fixes both)."""
    s: Sale = self.sales[auction]
    return Auction(
        position=s.position, lot=s.lot, debt=s.debt, fee=s.fee, top=s.top, floor=0,
        tic=s.tic, anchor=s.anchor, incentives_paid=s.incentives_paid, resets=s.resets,
        backed=True,
    )


@external
@view
def unbacked() -> uint256:
    """Gen 2 auctions are all backed (spec/state.md)."""
    return 0


@internal
@view
def _price(top: uint256, dur: uint256) -> uint256:
    """The configured abacus's price at age dur (spec/curves.md)."""
    if CURVE == Curve.LINEAR_DECREASE:
        return abaci.linear_decrease(top, dur, TAU)
    if CURVE == Curve.STAIRSTEP_EXPONENTIAL_DECREASE:
        return abaci.stairstep_exponential_decrease(top, dur, STEP, CUT)
    return abaci.exponential_decrease(top, dur, CUT)


# --- liquidation: Dog.bark, Clipper.take / redo, settle ------------------------------

@internal
def _pay_incentive(auction: uint256, keeper: address, owed: uint256) -> uint256:
    """Pay the keeper from the insurance fund, as far as it goes (spec/actions.md)."""
    paid: uint256 = min(owed, vat.buffers.insurance)
    vat.buffers.insurance -= paid
    vat.ledger.quote_out = fp.add(vat.ledger.quote_out, paid)
    log IncentivePaid(auction=auction, keeper=keeper, amount=paid, unpaid=owed - paid)
    return paid


@internal
@view
def _incentive(tab: uint256) -> uint256:
    """tip + chip * tab, rounded down."""
    return fp.add(TIP, fp.wmul_down(tab, CHIP))


@internal
@view
def _start_price() -> uint256:
    """dss Clipper top = rmul(spot, buf): down, spot * buf a uint256, and positive."""
    top: uint256 = fp.rmul_dss(vat.oracle.spot, BUF)
    assert top != 0, "Clipper/zero-top-price"
    return top


@external
def kick(position: uint256) -> uint256:
    """Dog.bark (GEN2-BARK, ACT-KICK): auction the unsafe vault, or what fits under hole;
    the whole vault when the rest would be dust. The sender is the keeper."""
    p: vat.Position = vat._position(position)
    assert p.debt != 0, "Dog/no-debt"
    spot: uint256 = vat._spotter_spot()
    assert spot != 0 and fp.product_below(p.collateral, spot, p.debt, RAY), "Dog/not-unsafe"
    assert self.exposure < HOLE, "Dog/liquidation-limit-hit"
    debt: uint256 = min(p.debt, fp.mul_div_down(HOLE - self.exposure, WAD, CHOP))
    if debt < p.debt:
        if p.debt - debt < vat.DUST:
            debt = p.debt
        else:
            assert debt >= vat.DUST, "Dog/dusty-auction-from-partial-liquidation"
    lot: uint256 = fp.mul_div_down(p.collateral, debt, p.debt)
    assert lot != 0, "Dog/null-auction"
    tab: uint256 = fp.wmul_up(debt, CHOP)
    top: uint256 = self._start_price()

    vat.positions[position].collateral = p.collateral - lot
    vat.positions[position].debt = p.debt - debt
    auction: uint256 = self.next_auction
    log Kicked(
        auction=auction, position=position, keeper=msg.sender, lot=lot, debt=debt, tab=tab,
        top=top, floor=0,
    )
    paid: uint256 = 0
    if TIP > 0 or CHIP > 0:
        paid = self._pay_incentive(auction, msg.sender, self._incentive(tab))
    self.sales[auction] = Sale(
        position=position, lot=lot, debt=debt, fee=tab - debt, top=top, tic=vat.time,
        anchor=vat.oracle.spot, incentives_paid=paid, resets=0,
    )
    self.auction_exists[auction] = True
    self.next_auction = auction + 1
    self.exposure = fp.add(self.exposure, tab)
    return auction


@internal
@view
def _live(auction: uint256) -> Sale:
    assert self.auction_exists[auction], "Clipper/not-running-auction"
    s: Sale = self.sales[auction]
    assert s.lot != 0 and (s.debt != 0 or s.fee != 0), "Clipper/finished-auction"
    return s


@internal
@view
def _status(s: Sale) -> (bool, uint256):
    """Clipper.status (GEN2-STATUS): (needs a reset, price now)."""
    dur: uint256 = fp.sub(vat.time, s.tic)
    price: uint256 = self._price(s.top, dur)
    done: bool = dur > TAIL
    if not done:
        done = fp.rdiv_down(price, s.top) < CUSP
    return done, price


@internal
@view
def _purchase(
    lot: uint256, tab: uint256, price: uint256, amount: uint256
) -> (uint256, uint256):
    """The purchase kernel (spec/actions.md): (collateral, paid). Partial or clearing is
    decided on the exact value collateral * price, as dss compares owe < tab in RAD."""
    assert price != 0, "Clipper/zero-price"
    collateral: uint256 = min(lot, amount)
    paid: uint256 = fp.rmul_up(collateral, price)
    if paid > tab:
        paid = tab
        collateral = fp.rdiv_down(paid, price)
    elif fp.product_below(collateral, price, tab, RAY) and collateral < lot:
        if tab - paid < CHOST:
            assert tab > CHOST, "Clipper/no-partial-purchase"
            paid = tab - CHOST
            collateral = fp.rdiv_down(paid, price)
    return collateral, paid


@external
def take(auction: uint256, amount: uint256, max_price: uint256):
    """Clipper.take (ACT-TAKE): buy up to amount at the curve's price, if <= max_price.
    The sender is the bidder; proceeds pay the debt, then the fee to insurance."""
    s: Sale = self._live(auction)
    done: bool = False
    price: uint256 = 0
    done, price = self._status(s)
    assert not done, "Clipper/needs-reset"
    assert max_price >= price, "Clipper/too-expensive"
    collateral: uint256 = 0
    paid: uint256 = 0
    collateral, paid = self._purchase(s.lot, fp.add(s.debt, s.fee), price, amount)

    to_pool: uint256 = min(paid, s.debt)
    fee_paid: uint256 = paid - to_pool
    vat.pool.cash = fp.add(vat.pool.cash, to_pool)
    vat.buffers.insurance = fp.add(vat.buffers.insurance, fee_paid)
    self.sales[auction].lot = fp.sub(s.lot, collateral)
    self.sales[auction].debt = s.debt - to_pool
    self.sales[auction].fee = fp.sub(s.fee, fee_paid)
    self.exposure = fp.sub(self.exposure, paid)
    vat.ledger.quote_in = fp.add(vat.ledger.quote_in, paid)
    vat.ledger.collateral_out = fp.add(vat.ledger.collateral_out, collateral)
    log Taken(auction=auction, bidder=msg.sender, collateral=collateral, paid=paid, price=price)
    if fee_paid > 0:
        log PenaltyCollected(auction=auction, to_insurance=fee_paid, to_lps=0)


@internal
@view
def _dusty(tab: uint256, lot: uint256, spot: uint256) -> bool:
    """dss redo's no-reward test, exact (GEN2-REDO-INCENTIVE): tab * RAY or lot * spot
    below dust * chop * 10**9, i.e. below chost in RAD."""
    hi: uint256 = 0
    lo: uint256 = 0
    hi, lo = fp.mul512(tab, RAY)
    if hi < CHOST_RAD_HI or (hi == CHOST_RAD_HI and lo < CHOST_RAD_LO):
        return True
    hi, lo = fp.mul512(lot, spot)
    return hi < CHOST_RAD_HI or (hi == CHOST_RAD_HI and lo < CHOST_RAD_LO)


@external
def redo(auction: uint256):
    """Clipper.redo (ACT-REDO): restart a stage that needs a reset from the current spot,
    paying the sender (the keeper) tip + chip * tab unless the auction is dusty."""
    s: Sale = self._live(auction)
    done: bool = False
    price: uint256 = 0
    done, price = self._status(s)
    assert done, "Clipper/cannot-reset"
    top: uint256 = self._start_price()
    spot: uint256 = vat.oracle.spot
    log AuctionReset(auction=auction, keeper=msg.sender, top=top, floor=0)
    paid: uint256 = 0
    tab: uint256 = fp.add(s.debt, s.fee)
    if (TIP > 0 or CHIP > 0) and not self._dusty(tab, s.lot, spot):
        paid = self._pay_incentive(auction, msg.sender, self._incentive(tab))
    self.sales[auction].top = top
    self.sales[auction].tic = vat.time
    self.sales[auction].anchor = spot
    self.sales[auction].incentives_paid = fp.add(s.incentives_paid, paid)
    self.sales[auction].resets = s.resets + 1


@external
def settle(auction: uint256):
    """ACT-SETTLE: close a finished auction; leftover collateral back to the vault, a
    shortfall down the waterfall (insurance, then LPs), the unpaid fee forgone."""
    assert self.auction_exists[auction], "Clipper/not-running-auction"
    s: Sale = self.sales[auction]
    assert s.lot == 0 or (s.debt == 0 and s.fee == 0), "Clipper/not-finished"
    if s.lot > 0:
        vat.positions[s.position].collateral = fp.add(
            vat.positions[s.position].collateral, s.lot
        )
        log CollateralReturned(auction=auction, position=s.position, amount=s.lot)
    self.sales[auction] = empty(Sale)
    self.auction_exists[auction] = False
    self.exposure = fp.sub(self.exposure, fp.add(s.debt, s.fee))
    if s.debt > 0:
        covered: uint256 = min(s.debt, vat.buffers.insurance)
        vat.buffers.insurance -= covered
        vat.pool.cash = fp.add(vat.pool.cash, covered)
        if covered > 0:
            log ShortfallCovered(position=s.position, source=Buffer.INSURANCE, amount=covered)
        rest: uint256 = s.debt - covered
        vat.pool.lp_claims = fp.sub(vat.pool.lp_claims, rest)
        vat.ledger.bad_debt = fp.add(vat.ledger.bad_debt, rest)
        if rest > 0:
            log ShortfallCovered(position=s.position, source=Buffer.LPS, amount=rest)
    log AuctionSettled(auction=auction, returned=s.lot, shortfall=s.debt, fee_forgone=s.fee)
