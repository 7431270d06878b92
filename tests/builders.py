"""Builders: short, readable ways to reach the states the spec talks about.

A :class:`Book` holds an engine state and applies actions to it through ``model.step``.
Unless told otherwise it checks every state invariant and every step property after
every step, so each unit test is also a small run that keeps the invariants.

Amounts passed to the builders' own functions (``book``, ``borrower``, ``walk_to``) are
whole tokens or decimal strings (``"0.5"``); amounts inside actions are raw integers,
written with :func:`wad` and :func:`ray`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from model import Accepted, Refused, State, genesis, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    OpenPosition,
    ReportOracle,
    SupplyLiquidity,
)
from model.errors import Refusal, RefusalCode
from model.events import Event
from model.invariants import violated_invariants, violated_step_properties
from model.numbers import RAY, WAD
from model.outcome import Outcome
from model.params.presets import PRESETS
from model.params.records import Config
from model.state import Auction, Oracle, Position

Amount = int | str


def _scaled(value: Amount, scale: int) -> int:
    exact = Decimal(value) * scale
    if exact != exact.to_integral_value():
        raise ValueError(f"{value} is not a whole number of base units")
    return int(exact)


def wad(value: Amount) -> int:
    """``wad("1.5")`` is 1.5 tokens in base units (10**18)."""
    return _scaled(value, WAD)


def ray(value: Amount) -> int:
    """``ray("1.45")`` is the price or ratio 1.45 scaled by 10**27."""
    return _scaled(value, RAY)


def config(
    policy: str,
    *,
    dust: Amount | None = None,
    max_step: int | None = None,
    volatility_alpha: int | None = None,
    **policy_fields: Any,
) -> Config:
    """The reference set ``policy`` (``gen1``, ``gen2``, ``gen3``) with some fields changed.

    ``dust`` is in whole tokens; ``max_step``, ``volatility_alpha`` and the policy's own
    fields are raw integers in their units (RAY, WAD, seconds).
    """
    base = PRESETS[policy]
    oracle = base.oracle
    if max_step is not None:
        oracle = attrs.evolve(oracle, max_step=max_step)
    if volatility_alpha is not None:
        oracle = attrs.evolve(oracle, volatility_alpha=volatility_alpha)
    return Config(
        oracle=oracle,
        dust=base.dust if dust is None else wad(dust),
        policy=attrs.evolve(base.policy, **policy_fields),
    )


@attrs.define
class Book:
    """An engine state and the actions applied to it, checked at every step."""

    state: State
    check: bool = True
    events: list[Event] = attrs.Factory(list)

    def step(self, action: object) -> Outcome:
        """Apply ``action``: the state moves on if it is accepted."""
        before = self.state
        outcome = step(before, action)
        if self.check:
            broken = violated_invariants(outcome.state) + violated_step_properties(
                before, action, outcome
            )
            assert broken == (), f"{action} broke {broken}"
        if isinstance(outcome, Accepted):
            self.state = outcome.state
            self.events.extend(outcome.events)
        return outcome

    def do(self, *actions: object) -> tuple[Event, ...]:
        """Apply each action, each of which must be accepted; the events of the last."""
        events: tuple[Event, ...] = ()
        for action in actions:
            outcome = self.step(action)
            assert isinstance(outcome, Accepted), f"{action} refused: {outcome}"
            events = outcome.events
        return events

    def refused(self, action: object) -> Refusal:
        """Apply ``action``, which must be refused with the state untouched; the refusal."""
        before = self.state
        outcome = self.step(action)
        assert isinstance(outcome, Refused), f"{action} accepted: {outcome}"
        assert outcome.state is before
        return outcome.refusal

    def refusal_code(self, action: object) -> RefusalCode:
        return self.refused(action).code

    def position(self, position_id: int = 0) -> Position:
        return self.state.positions[position_id]

    def auction(self, auction_id: int = 0) -> Auction:
        return self.state.auctions[auction_id]

    def evolve(self, **fields: Any) -> None:
        """Replace fields of the state directly (for states the test constructs)."""
        self.state = attrs.evolve(self.state, **fields)

    def set_oracle(self, **fields: int) -> None:
        """Replace oracle fields directly: a state many reports could have reached."""
        self.state = attrs.evolve(self.state, oracle=attrs.evolve(self.state.oracle, **fields))

    def set_prices(self, price: Amount, volatility: int = 0) -> None:
        """Spot and reference both at ``price`` (whole quote units), reported just now."""
        self.state = attrs.evolve(
            self.state,
            oracle=Oracle(
                spot=ray(price),
                reference=ray(price),
                volatility=volatility,
                last_update=self.state.time,
            ),
        )


def book(
    policy: str | Config,
    *,
    spot: Amount = 2_000,
    liquidity: Amount = 1_000_000,
    insurance: Amount = 0,
    pol: Amount = 0,
    depth: Amount = 1_000,
    check: bool = True,
) -> Book:
    """A fresh engine with one LP (``lp``) and the buffers funded by ``dao``."""
    cfg = PRESETS[policy] if isinstance(policy, str) else policy
    result = Book(genesis(cfg, spot=ray(spot), depth=wad(depth)), check=check)
    if wad(liquidity):
        result.do(SupplyLiquidity("lp", wad(liquidity)))
    if wad(insurance):
        result.do(FundInsurance("dao", wad(insurance)))
    if wad(pol):
        result.do(FundPol("dao", wad(pol)))
    return result


def borrower(b: Book, owner: str, collateral: Amount, debt: Amount) -> int:
    """Open a position for ``owner``, deposit ``collateral`` and borrow ``debt``; its id."""
    position_id = b.state.next_position
    b.do(OpenPosition(owner))
    if wad(collateral):
        b.do(DepositCollateral(owner, position_id, wad(collateral)))
    if wad(debt):
        b.do(Borrow(owner, position_id, wad(debt)))
    return position_id


def walk_to(b: Book, price: Amount, every: int = 600, limit: int = 200) -> int:
    """Report ``price`` every ``every`` seconds until the reference reaches it; the count."""
    target = ray(price)
    for count in range(1, limit + 1):
        b.do(AdvanceTime(every), ReportOracle(target))
        if b.state.oracle.reference == target:
            return count
    raise AssertionError(f"reference did not reach {price} in {limit} reports")


def single_position(cfg: Config | str, collateral: int, debt: int, price: int) -> Book:
    """A book holding one position ``(collateral, debt)`` (raw units) of ``alice``, funded
    by one LP whose whole claim is that debt, with spot and reference at ``price`` (raw).

    The accounts are consistent (every invariant holds); how the position got there
    (a borrow at a higher price) does not matter to the test.
    """
    cfg = PRESETS[cfg] if isinstance(cfg, str) else cfg
    state = genesis(cfg, spot=price)
    state = attrs.evolve(
        state,
        positions=state.positions.set(0, Position("alice", collateral, debt)),
        next_position=1,
        lp_shares=state.lp_shares.set("lp", debt) if debt else state.lp_shares,
        pool=attrs.evolve(state.pool, lp_claims=debt, total_shares=debt),
        ledger=attrs.evolve(state.ledger, collateral_in=collateral),
    )
    return Book(state)
