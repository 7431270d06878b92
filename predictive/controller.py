"""The controller: the early-warning probability turned into actions the engine checks.

Every tick it reads the features, scores them, and then, as two untrusted actors:

- the **risk steward** (``Config.steward``'s account) proposes ``UpdateParams``: when
  the probability is at least ``raise_above`` it asks for ``L`` and the warning margin
  one ``max_change`` higher (at most ``max_raise`` above the configured values), when it
  is at most ``relax_below`` one ``max_change`` back towards them; it retries a wanted
  change every ``retry`` seconds, whatever the locks say;
- the **pre-liquidator** (a keeper, ``pre-liquidator``): while the probability is at
  least ``preliquidate_above``, for each consenting position inside its band it repays
  the close factor's share of the debt, if its transaction lands (the scenario's keeper
  gas ceilings) and reselling the collateral at once covers what it repaid and its gas.

On its first tick every opted-in borrower consents (``SetPreLiquidation``) to ``terms``.
Each action goes through ``PolicyRun.submit`` (``model.step``); a refusal is counted by
its code and changes nothing.
"""

from __future__ import annotations

import attrs

from model import Accepted
from model.actions import PreLiquidate, SetPreLiquidation, UpdateParams
from model.events import PreLiquidated
from model.numbers import RAY, WAD
from model.numbers.fixed_point import rmul_down
from model.params import Gen3ZeroLossParams
from model.rules.preliquidation import band_position, interpolate
from model.rules.steward import liquidation_ratio_now
from model.state import PreLiquidationTerms, State
from predictive.early_warning import EarlyWarning
from predictive.features import FeatureTracker, observe
from simulation.actors import landing
from simulation.runner import PolicyRun

PRE_LIQUIDATOR = "pre-liquidator"


def fraction(value: float) -> int:
    """A fraction or factor (0.25, 1.02) as RAY, to six decimal places."""
    return round(value * 1_000_000) * RAY // 1_000_000


@attrs.frozen
class Terms:
    """The pre-liquidation terms every opted-in borrower signs, relative to ``L``."""

    ratio_above_l: float = 0.15
    close_factor_start: float = 0.25
    close_factor_end: float = 0.5
    incentive_start: float = 1.02
    incentive_end: float = 1.04
    opt_in: float = 1.0
    """Share of the borrowers who consent (every ``1 / opt_in``-th position)."""

    def action(self, owner: str, position: int, liquidation_ratio: int) -> SetPreLiquidation:
        return SetPreLiquidation(
            owner,
            position,
            ratio=liquidation_ratio + fraction(self.ratio_above_l),
            close_factor_start=fraction(self.close_factor_start),
            close_factor_end=fraction(self.close_factor_end),
            incentive_start=fraction(self.incentive_start),
            incentive_end=fraction(self.incentive_end),
        )

    def consents(self, position: int) -> bool:
        if self.opt_in <= 0:
            return False
        return position % max(1, round(1 / self.opt_in)) == 0


@attrs.frozen
class Settings:
    raise_above: float = 0.7
    relax_below: float = 0.3
    preliquidate_above: float = 0.5
    max_raise: float = 0.10
    """How far above the configured ``L`` (and warning margin) the steward may ask to go."""
    retry: int = 1_800
    terms: Terms = Terms()
    account: str | None = None
    """Who sends the proposals: the configured steward when ``None`` (another account is
    a hostile steward, and every proposal of it is refused)."""


@attrs.define
class Log:
    """What the controller did and what the engine said."""

    probabilities: list[tuple[int, float]] = attrs.Factory(list)
    proposals_accepted: int = 0
    proposals_refused: dict[str, int] = attrs.Factory(dict)
    consents: int = 0
    consents_refused: dict[str, int] = attrs.Factory(dict)
    pre_liquidations: int = 0
    pre_liquidations_refused: dict[str, int] = attrs.Factory(dict)
    pre_liquidated: set[int] = attrs.Factory(set)
    repaid: float = 0.0
    """Debt the pre-liquidator repaid (quote)."""
    borrowers_paid: float = 0.0
    """Collateral borrowers gave up, at the market price before its resale, minus the debt
    it repaid: what pre-liquidation cost them."""
    pre_liquidator_profit: float = 0.0
    """After the resale's price impact and gas."""
    liquidation_ratio: list[tuple[int, float]] = attrs.Factory(list)
    """(time, ``L`` in force) at every tick."""


def _count(tally: dict[str, int], code: str) -> None:
    tally[code] = tally.get(code, 0) + 1


class PredictiveController:
    """The steward and the pre-liquidator, driven by ``model``'s probability."""

    def __init__(self, model: EarlyWarning, settings: Settings | None = None) -> None:
        self.model = model
        self.settings = settings or Settings()
        self.log = Log()
        self.tracker: FeatureTracker | None = None
        self.wanted: tuple[int, int] | None = None
        self.last_proposal = -(10**12)

    def act(self, run: PolicyRun, t: int) -> None:
        if self.tracker is None:
            self.tracker = FeatureTracker(len(run.book))
            self._consent(run, t)
        self.tracker.add(observe(run.state, run.metrics.liquidations))
        p = self.model.probability(self.tracker.features())
        self.log.probabilities.append((t, p))
        self._steward(run, t, p)
        if p >= self.settings.preliquidate_above:
            self._pre_liquidate(run, t)
        self.log.liquidation_ratio.append((t, liquidation_ratio_now(run.state) / RAY))

    # --- the borrowers ---------------------------------------------------------------

    def _consent(self, run: PolicyRun, t: int) -> None:
        ratio = liquidation_ratio_now(run.state)
        for pid, position in run.state.positions.items():
            if not self.settings.terms.consents(pid):
                continue
            outcome = run.submit(self.settings.terms.action(position.owner, pid, ratio), t)
            if isinstance(outcome, Accepted):
                self.log.consents += 1
            else:
                _count(self.log.consents_refused, outcome.refusal.code.value)

    # --- the steward -----------------------------------------------------------------

    def _steward(self, run: PolicyRun, t: int, p: float) -> None:
        bounds = run.state.config.steward
        if bounds is None:
            return
        base = _configured(run.state)
        now = _as_set(run.state)
        s = self.settings
        cap = fraction(s.max_raise)
        if p >= s.raise_above:
            wanted = (
                min(now[0] + bounds.max_change, base.liquidation_ratio + cap),
                min(now[1] + bounds.max_change, base.warning_margin + cap),
            )
        elif p <= s.relax_below:
            wanted = (
                max(now[0] - bounds.max_change, base.liquidation_ratio),
                max(now[1] - bounds.max_change, base.warning_margin),
            )
        else:
            return
        if wanted == now or (wanted == self.wanted and t < self.last_proposal + s.retry):
            return
        self.wanted, self.last_proposal = wanted, t
        target = max(_target_ratio(run.state), wanted[0] + 1)
        account = s.account if s.account is not None else bounds.steward
        action = UpdateParams(account, wanted[0], target, wanted[1])
        outcome = run.submit(action, t)
        if isinstance(outcome, Accepted):
            self.log.proposals_accepted += 1
        else:
            _count(self.log.proposals_refused, outcome.refusal.code.value)

    # --- the pre-liquidator ----------------------------------------------------------

    def _pre_liquidate(self, run: PolicyRun, t: int) -> None:
        scenario = run.scenario
        if not landing(scenario.keepers, scenario.gas.gwei.value_at(t), 10**12):
            return
        state = run.state
        ratio = liquidation_ratio_now(state)
        for pid, terms in list(state.pre_liquidation.items()):
            amount = _largest_repay(run.state, pid, terms, ratio)
            if amount == 0:
                continue
            seized = amount * _incentive(run.state, pid, terms, ratio) // run.state.oracle.reference
            gas = scenario.gas.cost(t, scenario.gas.take, run.market.price)
            if run.market.quote(seized / WAD) - amount / WAD - gas <= 0:
                continue
            outcome = run.submit(PreLiquidate(PRE_LIQUIDATOR, pid, amount), t)
            if not isinstance(outcome, Accepted):
                _count(self.log.pre_liquidations_refused, outcome.refusal.code.value)
                continue
            for event in outcome.events:
                if isinstance(event, PreLiquidated):
                    self._resold(run, event, gas)

    def _resold(self, run: PolicyRun, event: PreLiquidated, gas: float) -> None:
        before = run.market.price
        sale = run.market.sell(event.seized / WAD)
        log = self.log
        log.pre_liquidations += 1
        log.pre_liquidated.add(event.position)
        log.repaid += event.repaid / WAD
        log.borrowers_paid += sale.quantity * before - event.repaid / WAD
        log.pre_liquidator_profit += sale.proceeds - event.repaid / WAD - gas
        run.metrics.collateral_sold += sale.quantity
        run.series.sales.append((run.state.time, sale.quantity))


def _configured(state: State) -> Gen3ZeroLossParams:
    p = state.config.policy
    assert isinstance(p, Gen3ZeroLossParams)
    return p


def _as_set(state: State) -> tuple[int, int]:
    """(``L``, warning margin) as the steward last set them, or as configured."""
    if state.steward is not None:
        return state.steward.liquidation_ratio, state.steward.warning_margin
    p = _configured(state)
    return p.liquidation_ratio, p.warning_margin


def _target_ratio(state: State) -> int:
    if state.steward is not None:
        return state.steward.target_ratio
    return _configured(state).target_ratio


def _in_band(state: State, pid: int, terms: PreLiquidationTerms, ratio: int) -> bool:
    position = state.positions[pid]
    value = position.collateral * state.oracle.reference
    return position.debt > 0 and position.debt * ratio <= value < position.debt * terms.ratio


def _where(state: State, pid: int, terms: PreLiquidationTerms, ratio: int) -> int:
    return band_position(terms, ratio, state.positions[pid], state.oracle.reference)


def _incentive(state: State, pid: int, terms: PreLiquidationTerms, ratio: int) -> int:
    where = _where(state, pid, terms, ratio)
    return interpolate(terms.incentive_start, terms.incentive_end, where)


def _largest_repay(state: State, pid: int, terms: PreLiquidationTerms, ratio: int) -> int:
    """The close factor's share of the debt, less what would leave dust (0: nothing to do).
    The controller's own reading of the terms: the engine checks it again."""
    if not _in_band(state, pid, terms, ratio):
        return 0
    debt = state.positions[pid].debt
    where = _where(state, pid, terms, ratio)
    close_factor = interpolate(terms.close_factor_start, terms.close_factor_end, where)
    amount = rmul_down(debt, close_factor, "controller.close_factor")
    if 0 < debt - amount < state.config.dust:
        amount = max(0, debt - state.config.dust)
    return amount
