"""Action generators for differential fuzzing and for exploring the model: honest and
adversarial actors, aware of the current state.

One generator serves two masters through a :class:`Chooser`: Hypothesis (``zle fuzz``,
which needs shrinking: :class:`DrawChooser` draws from ``st.data()``) and a seeded
``random.Random`` (the conformance-vector explorer, which needs speed and
determinism: :class:`RandomChooser`). Every choice is written so that the smallest
draw is the simplest value, so Hypothesis shrinks towards short, plain sequences.

The actors:

- honest: LPs, borrowers who stay inside their limits, an oracle that moves a few
  percent, keepers who kick unsafe positions and reset stale auctions, bidders who
  pay the current price, POL ending expired auctions, settlement;
- adversarial: oracle manipulators (spikes, 1-wei prices, gaps), dust griefers
  (1-wei and just-under-dust amounts), reset farmers (redo at every chance),
  self-liquidators (owners kicking their own position), sandwichers (spike, kick,
  revert), and callers probing the edges (unknown ids, wrong owners, zero,
  ``2**256 - 1``, out-of-range and negative amounts).

These strategies live in one module so that they can be unified with the stateful
Hypothesis machines of ``tests/`` later.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    PolSell,
    PreLiquidate,
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    SetPreLiquidation,
    Settle,
    SupplyLiquidity,
    Take,
    UpdateParams,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.numbers import RAY, UINT256_MAX, WAD, rmul_down
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.policies import policy_of
from model.state import Auction, State

T = TypeVar("T")

LPS = ("lp", "lp2")
OWNERS = ("ann", "bob", "cat")
OUTSIDERS = ("mallory", "keeper", "bidder")


class Chooser(Protocol):
    """Where choices come from. Smaller answers are simpler ones."""

    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options``; the first is the simplest."""


class RandomChooser:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]


class DrawChooser:
    """Choices drawn from Hypothesis's ``st.data()``, so that failures shrink."""

    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self._data = data
        self._st = st

    def integer(self, low: int, high: int) -> int:
        value: int = self._data.draw(self._st.integers(low, high))
        return value

    def choice(self, options: Sequence[T]) -> T:
        index: int = self._data.draw(self._st.integers(0, len(options) - 1))
        return options[index]


# --- amounts --------------------------------------------------------------------------


def _scaled(c: Chooser, typical: int) -> int:
    """Around ``typical``: a share of it from 1 % to 150 %."""
    return max(1, typical * c.integer(1, 150) // 100)


def edge_amount(c: Chooser, dust: int) -> int:
    """A value at an edge: zero, one wei, around dust, at and beyond the uint256 range."""
    return c.choice((0, 1, dust - 1, dust, dust + 1, UINT256_MAX, UINT256_MAX + 1, -1, 10**30))


def amount(c: Chooser, typical: int, dust: int, adversarial: bool) -> int:
    if adversarial and c.integer(0, 2) == 0:
        return edge_amount(c, dust)
    return _scaled(c, max(typical, 1))


# --- ids and actors -------------------------------------------------------------------


def position_id(c: Chooser, state: State, adversarial: bool) -> int:
    if state.next_position == 0 or (adversarial and c.integer(0, 5) == 0):
        return c.choice((state.next_position, state.next_position + 7, -1))
    return c.integer(0, state.next_position - 1)


def auction_id(c: Chooser, state: State, adversarial: bool) -> int:
    live = sorted(state.auctions.keys())
    if not live or (adversarial and c.integer(0, 5) == 0):
        return c.choice((state.next_auction, max(0, state.next_auction - 1), -1))
    return c.choice(live)


def owner_of(c: Chooser, state: State, position: int, adversarial: bool) -> str:
    found = state.positions.get(position)
    if found is None or (adversarial and c.integer(0, 4) == 0):
        return c.choice(OWNERS + OUTSIDERS)
    return found.owner


# --- prices ---------------------------------------------------------------------------


def oracle_spot(c: Chooser, state: State, adversarial: bool) -> int:
    spot = state.oracle.spot
    if adversarial and c.integer(0, 2) == 0:
        return c.choice((spot // 2, spot * 2, 1, 0, spot // 10, spot * 3 // 4, UINT256_MAX))
    return max(1, spot * c.integer(940, 1050) // 1000)


def max_collateral_debt(state: State, collateral: int) -> int:
    """Roughly the most debt the policy lets ``collateral`` carry now."""
    policy = state.config.policy
    if isinstance(policy, Gen1SpotParams):
        ratio, price = policy.borrow_ratio, state.oracle.spot
    elif isinstance(policy, Gen2DutchParams):
        ratio, price = policy.mat, state.oracle.spot
    else:
        ratio = policy.liquidation_ratio + min(
            state.oracle.volatility * policy.volatility_slope // RAY, policy.volatility_cap
        )
        price = state.oracle.reference
    return collateral * price // ratio


# --- the generator --------------------------------------------------------------------

MODES = ("honest",) * 6 + ("adversarial",) * 3 + ("sandwich",)
"""How often each kind of actor moves (the first is the simplest, for shrinking)."""

HONEST = (
    "borrow",
    "deposit",
    "oracle",
    "time",
    "kick",
    "take",
    "repay",
    "open",
    "supply",
    "settle",
    "end",
    "redo",
    "withdraw_collateral",
    "withdraw_liquidity",
    "depth",
    "fund",
)


def predictive_action(c: Chooser, state: State, adversarial: bool) -> object:
    """A consent, a pre-liquidation or a steward's update (``spec/preliquidation.md``,
    ``spec/steward.md``): terms in percent, well formed or not; repayments around the
    close factor; updates by up to twice the steward's bound."""
    position = position_id(c, state, adversarial)
    kind = c.choice(("consent", "pre_liquidate", "pre_liquidate", "update"))
    percent = RAY // 100
    if kind == "consent":
        owner = owner_of(c, state, position, adversarial)
        ratio = c.choice((145, 160, 200, 125, 0))
        close_factor = c.choice(((10, 50), (0, 100), (50, 10)))
        incentive = c.choice(((101, 104), (100, 100), (110, 130)))
        terms = (ratio, *close_factor, *incentive) if ratio else (0, 0, 0, 0, 0)
        return SetPreLiquidation(owner, position, *(t * percent for t in terms))
    if kind == "pre_liquidate":
        found = state.positions.get(position)
        debt = found.debt if found is not None else 0
        share = c.choice((10, 30, 50, 100))
        return PreLiquidate(
            "keeper", position, amount(c, max(debt * share // 100, 1), 1, adversarial)
        )
    bounds = state.config.steward
    assert bounds is not None and isinstance(state.config.policy, Gen3ZeroLossParams)
    record = state.steward or state.config.policy
    values = [record.liquidation_ratio, record.target_ratio, record.warning_margin]
    index = c.integer(0, 2)
    values[index] = max(0, values[index] + bounds.max_change * c.integer(-2, 2) // 2)
    sender = c.choice(("mallory", bounds.steward)) if adversarial else bounds.steward
    return UpdateParams(sender, *values)


def next_action(c: Chooser, state: State, adversarial: bool = False) -> object:
    """One action for ``state``: an honest actor's, or (``adversarial``) anyone's. Under a
    configuration with a steward, one in six is a pre-liquidation action or an update
    (without one, nothing is drawn for them: the walks are what they were)."""
    if state.config.steward is not None and c.integer(0, 5) == 0:
        return predictive_action(c, state, adversarial)
    kind = c.choice(HONEST)
    if state.auctions and c.integer(0, 2) == 0:
        kind = c.choice(("take", "time", "take", "settle", "redo", "end"))
    dust = state.config.dust
    policy = state.config.policy
    if kind == "open":
        return OpenPosition(c.choice(OWNERS + OUTSIDERS if adversarial else OWNERS))
    if kind == "supply":
        return SupplyLiquidity(c.choice(LPS), amount(c, 100_000 * WAD, dust, adversarial))
    if kind == "withdraw_liquidity":
        lp = c.choice(LPS)
        held = state.lp_shares.get(lp, 0)
        return WithdrawLiquidity(lp, amount(c, max(held // 2, 1), dust, adversarial))
    if kind == "fund":
        cls = c.choice((FundInsurance, FundPol))
        return cls("treasury", amount(c, 10_000 * WAD, dust, adversarial))
    if kind == "oracle":
        return ReportOracle(oracle_spot(c, state, adversarial))
    if kind == "time":
        if adversarial and c.integer(0, 3) == 0:
            return AdvanceTime(c.choice((0, 1, 8_401, 100_000, UINT256_MAX)))
        return AdvanceTime(c.choice((60, 600, 1, 7, 90, 1_800, 3_601)) * c.integer(1, 3))
    if kind == "depth":
        return ReportDepth(c.choice((1_000 * WAD, 0, 10 * WAD, 100_000 * WAD)))
    if kind in ("deposit", "withdraw_collateral", "borrow", "repay"):
        position = position_id(c, state, adversarial)
        owner = owner_of(c, state, position, adversarial)
        found = state.positions.get(position)
        collateral = found.collateral if found is not None else 0
        debt = found.debt if found is not None else 0
        if kind == "deposit":
            return DepositCollateral(owner, position, amount(c, 10 * WAD, dust, adversarial))
        if kind == "withdraw_collateral":
            return WithdrawCollateral(
                owner, position, amount(c, collateral // 4, dust, adversarial)
            )
        if kind == "borrow":
            room = max_collateral_debt(state, collateral) - debt
            typical = max(room * 9 // 10, dust)
            return Borrow(owner, position, amount(c, typical, dust, adversarial))
        typical = debt if c.integer(0, 1) == 0 else max(debt - dust, 1)
        return Repay(owner, position, amount(c, typical, dust, adversarial))
    if kind == "kick":
        position = position_id(c, state, adversarial)
        keeper = owner_of(c, state, position, True) if adversarial else "keeper"
        if isinstance(policy, Gen1SpotParams):
            target = state.positions.get(position)
            debt = target.debt if target is not None else 0
            return Liquidate(keeper, position, amount(c, max(debt // 2, 1), dust, adversarial))
        return Kick(keeper, position)
    auction = auction_id(c, state, adversarial)
    live = state.auctions.get(auction)
    if kind == "take":
        lot = live.lot if live is not None else WAD
        price = 0
        if live is not None and not isinstance(policy, Gen1SpotParams):
            price = auction_price(state, live)
        limit = c.choice((10**40, price, max(price - 1, 0), price + 1))
        bidder = c.choice(("bidder", "bidder2")) if not adversarial else c.choice(OUTSIDERS)
        return Take(bidder, auction, amount(c, lot, dust, adversarial), limit)
    if kind == "redo":
        return Redo("keeper", auction)
    if kind == "end" and isinstance(policy, Gen3ZeroLossParams):
        held = state.buffers.pol_collateral
        if held > 0 and c.integer(0, 1) == 0:  # POL's desk sells some of what POL bought
            sold = max(held * c.integer(1, 100) // 100, 1)
            floor = rmul_down(state.oracle.reference, policy.floor_ratio)
            proceeds = sold * floor // RAY * c.choice((100, 99, 105)) // 100
            return PolSell("desk", sold, proceeds)
        return EndAuction(auction)
    return Settle(auction)


def sandwich(c: Chooser, state: State) -> list[object]:
    """An oracle manipulator's sandwich: spike the price down, kick, restore it."""
    spot = state.oracle.spot
    position = position_id(c, state, False)
    return [ReportOracle(max(1, spot // 2)), Kick("mallory", position), ReportOracle(spot)]


def auction_price(state: State, auction: Auction) -> int:
    """The live auction's price now, as the policy's ``Take`` pays it."""
    price = policy_of(state.config).auction_price
    assert price is not None, "a policy without auctions has no auction price"
    return price(state, auction)
