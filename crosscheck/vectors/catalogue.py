"""The vector catalogue's machinery: a case list per policy, the runs that reach each
pre-state from genesis, and the action sequences many cases start from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from crosscheck.vectors.case import VectorCase
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    OpenPosition,
    ReportOracle,
    SupplyLiquidity,
    Take,
)
from model.engine import step as model_step
from model.numbers import RAY, WAD
from model.outcome import Accepted
from model.params.records import Config
from model.policies import policy_of
from model.state import Auction, State, genesis

ACCEPTED = "accepted"
BIG = 10**40
"""A ``max_price`` no auction reaches."""


class VectorBuildError(Exception):
    """A catalogue case no longer reaches the state or outcome it was written for."""


def run(state: State, actions: Sequence[object], what: str) -> State:
    """``state`` after ``actions``, each of which must be accepted."""
    for action in actions:
        outcome = model_step(state, action)
        if not isinstance(outcome, Accepted):
            raise VectorBuildError(f"{what}: set-up step {action} refused: {outcome.refusal}")
        state = outcome.state
    return state


def crash(to: int, reports: int = 20) -> list[object]:
    """``reports`` oracle reports at price ``to`` (whole units), ten minutes apart."""
    out: list[object] = []
    for _ in range(reports):
        out += [AdvanceTime(600), ReportOracle(to * RAY)]
    return out


BASE: tuple[object, ...] = (
    SupplyLiquidity("lp", 1_000_000 * WAD),
    FundInsurance("dao", 10_000 * WAD),
    FundPol("dao", 100_000 * WAD),
    OpenPosition("ann"),
    DepositCollateral("ann", 0, 10 * WAD),
    Borrow("ann", 0, 8_000 * WAD),
    OpenPosition("bob"),
    DepositCollateral("bob", 1, 10 * WAD),
    Borrow("bob", 1, 11_800 * WAD),
    OpenPosition("cat"),
    DepositCollateral("cat", 2, 5 * WAD),
)
"""Ann at 250 %, Bob at 169 % (liquidatable after a fall to 1,400), Cat with no debt."""

NO_POL: tuple[object, ...] = tuple(a for a in BASE if not isinstance(a, FundPol))
"""The same book without protocol-owned liquidity (gen 3 resets need POL unable to buy)."""


@attrs.define
class Catalogue:
    """The cases of one policy, built from named set-ups."""

    policy: str
    config: Config
    cases: list[VectorCase] = attrs.Factory(list)
    _states: dict[str, State] = attrs.Factory(dict)

    def state(self, name: str, *actions: object, config: Config | None = None) -> State:
        """The state after genesis and ``actions`` (memoised by ``name``)."""
        if name not in self._states:
            start = genesis(config or self.config, spot=2000 * RAY, depth=1_000 * WAD)
            self._states[name] = run(start, actions, f"{self.policy} set-up {name!r}")
        return self._states[name]

    def base(self, *more: object) -> tuple[object, ...]:
        return (*BASE, *more)

    def add(self, name: str, description: str, pre: State, action: object, expect: object) -> None:
        case = VectorCase(
            policy=self.policy,
            name=name,
            config=pre.config,
            pre=pre,
            action=action,
            description=description,
            source="constructed",
        )
        outcome = case.outcome()
        got = ACCEPTED if isinstance(outcome, Accepted) else outcome.refusal.code
        if got != expect:
            raise VectorBuildError(
                f"{self.policy}/{case.handler}/{name}: expected {expect}, got {got}"
            )
        self.cases.append(case)


def take_leaving_chost(state: State, auction_id: int, chost: int) -> Take:
    """A partial take that would leave less than ``chost`` of tab, so it is cut to leave
    exactly ``chost`` (dss Clipper's ``chost`` rule)."""
    auction = state.auctions[auction_id]
    price = auction_price(state, auction)
    return Take("bidder", auction_id, (auction.tab - chost // 2) * RAY // price, BIG)


def with_policy(config: Config, **changes: Any) -> Config:
    policy: Any = config.policy
    return attrs.evolve(config, policy=attrs.evolve(policy, **changes))


def auction_price(state: State, auction: Auction) -> int:
    """The live auction's price now, as the policy's ``Take`` pays it."""
    price = policy_of(state.config).auction_price
    assert price is not None, "a policy without auctions has no auction price"
    return price(state, auction)
