"""The protocol's economic loss: one definition for the engine, the proofs and the simulation.

LPs, the insurance fund and protocol-owned liquidity (POL) are all the protocol's
balance sheet, so a loss moved from one to another is still a loss (LOSS-TOTAL,
``spec/loss.md``). The total has five parts:

- ``lps``: debt written off LP claims (``ShortfallCovered`` from LPS);
- ``insurance`` and ``pol_cover``: what the insurance fund and POL's quote reserves
  paid for shortfalls down the waterfall;
- ``pol_market``: POL's trading result on the collateral it bought, when a loss: what
  it paid, minus what it got for what it sold (``PolSell``), minus what the rest is
  worth now. It holds POL's premium at purchase (paid above the value at the mark
  then; zero in gen 3) and the market's move while POL held the collateral;
- ``open_shortfall``: the risk left open: debt that the collateral behind it does not
  cover at the valuation price, over every position and every auction.

Realised parts come from events, so a run folds them step by step
(:func:`record`); the rest is valued on the state at a price: the mark in the engine
(the lower of spot and the reference, :func:`mark_price`), the market in simulations.
"""

from __future__ import annotations

import attrs

from model.events import Buffer, Event, PolPurchased, PolSold, ShortfallCovered
from model.numbers.fixed_point import Ray, Wad, minimum, rmul_down, rmul_up
from model.outcome import Accepted, Outcome
from model.state import State


def mark_price(state: State) -> Ray:
    """The lower of spot and the reference: the engine's conservative value of collateral.

    Requirement: LOSS-MARK."""
    return minimum(state.oracle.spot, state.oracle.reference)


@attrs.frozen
class RealisedLoss:
    """Losses realised over a run so far, and what POL bought (cumulative, in quote)."""

    lps: Wad = 0
    insurance: Wad = 0
    pol_cover: Wad = 0
    pol_paid: Wad = 0
    """Quote POL paid for collateral at auction ends."""
    pol_premium: Wad = 0
    """Of ``pol_paid``, what POL paid above the mark when it bought:
    ``rmul_up(collateral, price - mark)`` when the purchase price exceeded the mark of the
    step's pre-state. Zero in gen 3 by GEN3-POL-FAIR-PRICE, whatever the market does."""
    pol_bought: Wad = 0
    """Collateral POL bought."""
    pol_sold: Wad = 0
    """Collateral POL sold on the market (``PolSell``)."""
    pol_proceeds: Wad = 0
    """Quote those sales raised."""


def step_loss(pre: State, events: tuple[Event, ...]) -> RealisedLoss:
    """What one accepted step, taken from ``pre``, realised."""
    lps = insurance = pol_cover = pol_paid = pol_premium = pol_bought = 0
    pol_sold = pol_proceeds = 0
    for event in events:
        if isinstance(event, ShortfallCovered):
            if event.source is Buffer.LPS:
                lps += event.amount
            elif event.source is Buffer.INSURANCE:
                insurance += event.amount
            else:
                pol_cover += event.amount
        elif isinstance(event, PolPurchased):
            mark = mark_price(pre)
            pol_paid += event.paid
            if event.price > mark:
                pol_premium += rmul_up(event.collateral, event.price - mark, "formula.premium")
            pol_bought += event.collateral
        elif isinstance(event, PolSold):
            pol_sold += event.collateral
            pol_proceeds += event.proceeds
    return RealisedLoss(
        lps, insurance, pol_cover, pol_paid, pol_premium, pol_bought, pol_sold, pol_proceeds
    )


def add_losses(a: RealisedLoss, b: RealisedLoss) -> RealisedLoss:
    return RealisedLoss(
        lps=a.lps + b.lps,
        insurance=a.insurance + b.insurance,
        pol_cover=a.pol_cover + b.pol_cover,
        pol_paid=a.pol_paid + b.pol_paid,
        pol_premium=a.pol_premium + b.pol_premium,
        pol_bought=a.pol_bought + b.pol_bought,
        pol_sold=a.pol_sold + b.pol_sold,
        pol_proceeds=a.pol_proceeds + b.pol_proceeds,
    )


def record(realised: RealisedLoss, pre: State, outcome: Outcome) -> RealisedLoss:
    """``realised`` after the step from ``pre`` that gave ``outcome`` (a refusal adds nothing)."""
    if not isinstance(outcome, Accepted):
        return realised
    return add_losses(realised, step_loss(pre, outcome.events))


def open_shortfall(state: State, price: Ray) -> Wad:
    """Debt not covered by the collateral behind it at ``price``, over positions and auctions.

    Each record counts ``max(0, debt - rmul_down(collateral, price))``: the collateral's
    value rounds down, so the risk is never understated.
    """
    uncovered = 0
    for position in state.positions.values():
        value = rmul_down(position.collateral, price, "formula.value")
        uncovered += position.debt - value if position.debt > value else 0
    for auction in state.auctions.values():
        value = rmul_down(auction.lot, price, "formula.value")
        uncovered += auction.debt - value if auction.debt > value else 0
    return uncovered


@attrs.frozen
class EconomicLoss:
    """Every part of the protocol's loss at one moment, valued at one price (LOSS-TOTAL)."""

    lps: Wad
    insurance: Wad
    pol_cover: Wad
    pol_premium: Wad
    """Paid above value at purchase: part of ``pol_market``, shown on its own."""
    pol_market: Wad
    """What POL paid, minus its sales' proceeds and the value now of what it still holds
    of what it bought, when positive."""
    open_shortfall: Wad

    @property
    def total(self) -> Wad:
        """LPs, insurance, POL (cover and purchases marked to the price) and open risk."""
        return self.lps + self.insurance + self.pol_cover + self.pol_market + self.open_shortfall

    @property
    def liquidation(self) -> Wad:
        """The total without the market's move on POL's inventory after purchase.

        This is what liquidation itself lost: shortfalls, POL's premium over the value of
        what it bought, and open risk. ZERO-LOSS-TOTAL proves it is zero in gen 3 under
        the named assumptions; POL's inventory afterwards carries the market's direction,
        as any collateral the protocol holds would.
        """
        return self.lps + self.insurance + self.pol_cover + self.pol_premium + self.open_shortfall


def economic_loss(realised: RealisedLoss, state: State, price: Ray | None = None) -> EconomicLoss:
    """The loss parts of a run that realised ``realised`` and is now at ``state``.

    Requirements: LOSS-TOTAL, ZERO-LOSS-TOTAL.

    ``price`` values open positions and POL's inventory: by default the mark.
    """
    at = mark_price(state) if price is None else price
    still_held = (
        realised.pol_bought - realised.pol_sold if realised.pol_bought > realised.pol_sold else 0
    )
    recovered = realised.pol_proceeds + rmul_down(still_held, at, "formula.value")
    return EconomicLoss(
        lps=realised.lps,
        insurance=realised.insurance,
        pol_cover=realised.pol_cover,
        pol_premium=realised.pol_premium,
        pol_market=realised.pol_paid - recovered if realised.pol_paid > recovered else 0,
        open_shortfall=open_shortfall(state, at),
    )
