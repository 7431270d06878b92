"""Synthetic traces: a large book of positions and a long, varied stream of actions.

Used by the replay benchmark (10,000 positions, 1,000,000 steps) and, small, by tests.
The generator watches the model's state, so that it kicks positions that are really
unsafe and bids on auctions that are really live, and a realistic share of its actions
is refused. The price follows a seeded random walk with occasional crashes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import attrs

from crosscheck import wire
from crosscheck.replay import outcome_json
from crosscheck.trace import TraceWriter
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
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.engine import step as model_step
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.state import State, genesis


@attrs.define
class Book:
    """What the generator remembers between steps."""

    rng: random.Random
    positions: int
    price: int = 2000 * RAY
    crash_left: int = 0


def setup_actions(positions: int, rng: random.Random) -> Iterator[object]:
    """Liquidity, buffers, and ``positions`` positions at 150 % .. 300 % collateral."""
    yield SupplyLiquidity("lp0", 10**12 * WAD)
    yield FundInsurance("treasury", 10**7 * WAD)
    yield FundPol("treasury", 10**8 * WAD)
    yield ReportDepth(10**6 * WAD)
    for i in range(positions):
        owner = f"b{i}"
        collateral = rng.randrange(2, 50) * WAD
        ratio = rng.randrange(150, 300)
        yield OpenPosition(owner)
        yield DepositCollateral(owner, i, collateral)
        yield Borrow(owner, i, collateral * 2000 * 100 // ratio)


def next_action(state: State, book: Book) -> object:
    """One action of the steady-state mix, aware of the model's state."""
    rng = book.rng
    busy = len(state.auctions)
    if busy and rng.random() < min(0.6, busy / 50):
        return auction_action(state, rng)  # keepers work harder the more there is to do
    roll = rng.random()
    i = rng.randrange(book.positions)
    owner = f"b{i}"
    if roll < 0.25:
        return AdvanceTime(rng.randrange(1, 30))
    if roll < 0.35:
        if book.crash_left > 0:
            book.crash_left -= 1
            book.price = book.price * 97 // 100
        elif rng.random() < 0.002:
            book.crash_left = rng.randrange(3, 12)
        else:
            book.price = book.price * rng.randrange(990, 1011) // 1000
            book.price = min(max(book.price, 800 * RAY), 3000 * RAY)
        return ReportOracle(book.price)
    if roll < 0.48:
        return DepositCollateral(owner, i, rng.randrange(1, 10**18))
    if roll < 0.61:
        return Repay(owner, i, rng.randrange(1, 100) * WAD)
    if roll < 0.72:
        return Borrow(owner, i, rng.randrange(1, 100) * WAD)
    if roll < 0.77:
        return WithdrawCollateral(owner, i, rng.randrange(1, 10**17))
    if roll < 0.80:
        lp = f"lp{rng.randrange(3)}"
        amount = rng.randrange(1, 10**6) * WAD
        return SupplyLiquidity(lp, amount) if rng.random() < 0.6 else WithdrawLiquidity(lp, amount)
    auctions = state.auctions
    if roll < 0.90 or not auctions:
        if isinstance(state.config.policy, type(PRESETS["gen1"].policy)):
            return Liquidate("liquidator", i, rng.randrange(1, 10**4) * WAD)
        return Kick("keeper", i)
    return auction_action(state, rng)


def auction_action(state: State, rng: random.Random) -> object:
    """What a keeper or bidder does with a live auction: settle a finished one, let POL
    buy an expired one (gen 3), otherwise mostly bid, sometimes try a reset."""
    auction_id = rng.choice(tuple(state.auctions.keys()))
    auction = state.auctions[auction_id]
    if auction.finished:
        return Settle(auction_id)
    policy = state.config.policy
    duration = getattr(policy, "auction_duration", None)
    if duration is not None and state.time >= auction.tic + duration and rng.random() < 0.7:
        return EndAuction(auction_id)
    pick = rng.random()
    if pick < 0.8:
        return Take("bidder", auction_id, rng.randrange(1, 20) * WAD, 10**40)
    if pick < 0.9:
        return Redo("keeper", auction_id)
    return Settle(auction_id)


def write_synthetic_trace(
    path: str | Path,
    positions: int,
    steps: int,
    policy: str = "gen3",
    seed: int = 1,
    checkpoint_every: int = 0,
) -> int:
    """Write a model trace of ``steps`` steps over ``positions`` positions; returns the number of
    steps whose action was accepted."""
    rng = random.Random(seed)
    state = genesis(PRESETS[policy], spot=2000 * RAY, depth=10**6 * WAD)
    book = Book(rng=rng, positions=max(positions, 1))
    setup = setup_actions(positions, rng)
    accepted = 0
    with TraceWriter(path) as out:
        out.header(state.config, state, producer=f"zle synthetic (seed {seed})")
        for number in range(steps):
            action = next(setup, None)
            if action is None:
                action = next_action(state, book)
            outcome = model_step(state, action)
            accepted += outcome.accepted
            out.step(wire.encode_action(action), outcome_json(outcome, state, action))  # type: ignore[arg-type]
            state = outcome.state
            if checkpoint_every and (number + 1) % checkpoint_every == 0:
                out.checkpoint(wire.encode_state(state))
    return accepted
