"""The assumption monitor: did a gen 3 run stay inside the zero-loss theorem's envelope?

ZERO-LOSS and ZERO-LOSS-TOTAL (``spec/theorems.md``) promise nothing beyond their named
assumptions. Along a run, this monitor checks each of them on every step the engine
took and records, per assumption, the first time it broke and by how much
(SIM-ASSUMPTION-MONITOR, ``spec/simulation.md``):

- ASM-SAFETY-INEQUALITY: the parameters, once (both inequalities);
- ASM-BOUNDED-MOVE: after each report spot equals the reference (the reference could
  follow the market); measured by the lag ``|spot - reference| / reference``;
- ASM-KEEPER-LIVENESS: reports within ``stale_after``; every position below ``L`` kicked
  before the reports since it was last at or above ``L`` add up to more than one
  ``step_period`` of elapsed time (each report counting at most one period: what lets
  the reference fall at most ``max_step`` before the kick); every expired auction that
  POL can buy ended, and every finished auction settled, before the next report;
  measured by how far the reference fell since the position was last at ``L`` (the
  ``m`` of LOSS-BOUND);
- ASM-MIN-DEPTH: no kick refused or cut by the depth budget or the exposure cap;
  measured by the factor the wanted debt exceeded what was allowed;
- ASM-POL-RESERVES: at every auction's expiry, POL's reserves cover its lot at the
  floor; measured by the quote POL was short.

It also carries the degradation bound (LOSS-BOUND): for every auction, the uncovered
debt its lot at the floor may leave, from how far the reference fell before its kick
and each reset, which the realised shortfall must not exceed.

Gen 1 and gen 2 have no zero-loss theorem; the monitor runs for gen 3 only.
"""

from __future__ import annotations

import attrs

from model.actions import EndAuction, Kick, ReportOracle
from model.errors import Refusal, RefusalCode
from model.events import AuctionReset, AuctionSettled, Event, Kicked
from model.numbers import RAY, UINT256_MAX, WAD
from model.outcome import Accepted, Outcome
from model.params import Gen3ZeroLossParams
from model.policies import gen3_zero_loss
from model.state import State

ASSUMPTIONS = (
    "ASM-SAFETY-INEQUALITY",
    "ASM-BOUNDED-MOVE",
    "ASM-KEEPER-LIVENESS",
    "ASM-MIN-DEPTH",
    "ASM-POL-RESERVES",
)
LAG_TOLERANCE = 1e-9
"""A lag below this (the reference's own rounding) is not a breach."""


@attrs.define
class Breach:
    """One assumption along one run: whether and how it broke."""

    assumption: str
    unit: str
    """What ``worst`` measures."""
    first_time: int | None = None
    count: int = 0
    worst: float = 0.0
    first_detail: str = ""

    @property
    def held(self) -> bool:
        return self.count == 0

    def broke(self, t: int, amount: float, detail: str) -> None:
        if self.count == 0:
            self.first_time = t
            self.first_detail = detail
        self.count += 1
        self.worst = max(self.worst, amount)

    def as_dict(self) -> dict[str, object]:
        return {
            "held": self.held,
            "first_time": self.first_time,
            "count": self.count,
            "worst": self.worst,
            "unit": self.unit,
            "first_detail": self.first_detail,
        }


@attrs.define
class AuctionBound:
    """The LOSS-BOUND chain of one auction: the most its lot at the floor may leave uncovered."""

    bound: float
    """Quote: after the kick, debt x (1 - L (1 - m) f) when positive, m the reference's
    fall since the position was last at or above L; each reset adds debt x m', m' the
    fall since the stage began."""
    falls: list[float] = attrs.Factory(list)


@attrs.define
class MonitorReport:
    breaches: dict[str, Breach]
    loss_bound: float
    """Sum of the LOSS-BOUND chains of the auctions settled with a shortfall, quote."""
    realised_shortfall: float
    """What those auctions' settlements actually left uncovered, quote."""
    bound_exceeded: list[str]
    """Auctions whose shortfall exceeded their bound (must stay empty: LOSS-BOUND)."""
    worst_fall: float
    """Largest reference fall m seen at a kick or reset."""

    @property
    def inside(self) -> bool:
        return all(b.held for b in self.breaches.values())

    def first_breach(self) -> Breach | None:
        broken = [b for b in self.breaches.values() if not b.held and b.first_time is not None]
        return min(broken, key=lambda b: b.first_time or 0, default=None)

    def as_dict(self) -> dict[str, object]:
        return {
            "inside_envelope": self.inside,
            "assumptions": {k: b.as_dict() for k, b in self.breaches.items()},
            "loss_bound": self.loss_bound,
            "realised_shortfall": self.realised_shortfall,
            "bound_exceeded": self.bound_exceeded,
            "worst_reference_fall": self.worst_fall,
        }


def _units(amount: int) -> float:
    return amount / WAD


def uncut_debt(state: State, position_id: int) -> int:
    """The debt a kick of the position would take now were depth and exposure unbounded."""
    p = state.config.policy
    assert isinstance(p, Gen3ZeroLossParams)
    unbounded = attrs.evolve(
        state,
        config=attrs.evolve(
            state.config, policy=attrs.evolve(p, exposure_cap=UINT256_MAX, depth_fraction=RAY)
        ),
        market=attrs.evolve(state.market, depth=UINT256_MAX // RAY, kicked_in_period=0),
        exposure=0,
    )
    planned = gen3_zero_loss.plan_kick(unbounded, state.positions[position_id])
    return 0 if isinstance(planned, Refusal) else planned.debt


class AssumptionMonitor:
    """Fed every step of one gen 3 run, in order; :meth:`report` at the end."""

    def __init__(self, state: State) -> None:
        p = state.config.policy
        assert isinstance(p, Gen3ZeroLossParams)
        self.p = p
        oracle = state.config.oracle
        self.s = oracle.max_step / RAY
        self.period = oracle.step_period
        self.breaches = {
            "ASM-SAFETY-INEQUALITY": Breach("ASM-SAFETY-INEQUALITY", "shortfall of the margin"),
            "ASM-BOUNDED-MOVE": Breach(
                "ASM-BOUNDED-MOVE", "|spot - reference| / reference after a report"
            ),
            "ASM-KEEPER-LIVENESS": Breach(
                "ASM-KEEPER-LIVENESS", "reference fall before a late kick (m)"
            ),
            "ASM-MIN-DEPTH": Breach("ASM-MIN-DEPTH", "debt kept waiting at one kick (quote)"),
            "ASM-POL-RESERVES": Breach("ASM-POL-RESERVES", "quote short"),
        }
        self._check_parameters(state)
        self.last_report: int | None = None
        self.healthy_ref: dict[int, int] = {}
        """Per position with debt: the reference when it was last at or above L."""
        self.window: dict[int, int] = {}
        """Per position below L: the reports' elapsed time since it was last at or above
        L, each report counting at most one ``step_period``."""
        self.expired_at_report: set[int] = set()
        self.finished_at_report: set[int] = set()
        self.bounds: dict[int, AuctionBound] = {}
        self.loss_bound = 0.0
        self.realised = 0.0
        self.exceeded: list[str] = []
        self.worst_fall = 0.0
        self._note_healthy(state)

    # --- the parameters ---------------------------------------------------------------

    def _check_parameters(self, state: State) -> None:
        p = self.p
        L, f = p.liquidation_ratio / RAY, p.floor_ratio / RAY
        kick_margin = L * (1 - self.s) * f - 1
        window = (p.auction_duration + self.period) / self.period
        pol_margin = 1 - self.s * window - f
        breach = self.breaches["ASM-SAFETY-INEQUALITY"]
        if kick_margin < 1e-9:
            breach.broke(0, -kick_margin, f"L (1 - s) f = {1 + kick_margin:.4f} < 1")
        if pol_margin < 0:
            breach.broke(
                0,
                -pol_margin,
                f"f + s (auction_duration + step_period) / step_period = {1 - pol_margin:.4f} > 1",
            )

    # --- per step ---------------------------------------------------------------------

    def _note_healthy(self, state: State) -> None:
        ref = state.oracle.reference
        for pid, position in state.positions.items():
            if position.debt == 0:
                self.healthy_ref.pop(pid, None)
                self.window.pop(pid, None)
            elif not gen3_zero_loss.below_liquidation_ratio(state, position):
                self.healthy_ref[pid] = ref
                self.window[pid] = 0

    def observe(self, pre: State, action: object, outcome: Outcome, t: int) -> None:
        """One step the run took (accepted or refused)."""
        if isinstance(action, Kick) and not isinstance(outcome, Accepted):
            self._refused_kick(pre, action, outcome.refusal.code, t)
        if isinstance(action, EndAuction):
            self._pol_reserves(pre, action.auction, t)
        if not isinstance(outcome, Accepted):
            return
        post = outcome.state
        for event in outcome.events:
            self._event(pre, event, t)
        if isinstance(action, ReportOracle):
            self._report(post, t)
        self._note_healthy(post)

    def _event(self, pre: State, event: Event, t: int) -> None:
        if isinstance(event, Kicked):
            self._kick_bound(pre, event)
            self._cut_kick(pre, event, t)
        elif isinstance(event, AuctionReset):
            self._reset_bound(pre, event.auction)
        elif isinstance(event, AuctionSettled):
            chain = self.bounds.pop(event.auction, None)
            if event.shortfall > 0:
                realised = _units(event.shortfall)
                bound = chain.bound if chain is not None else 0.0
                self.realised += realised
                self.loss_bound += bound
                if realised > bound * (1 + 1e-9) + 1e-6:
                    self.exceeded.append(
                        f"auction {event.auction}: shortfall {realised:,.6f} > bound {bound:,.6f}"
                    )

    def _kick_bound(self, pre: State, event: Kicked) -> None:
        """LOSS-BOUND-KICK: the kick's share, debt (1 - L (1 - m) f), m the fall since healthy."""
        ref = pre.oracle.reference
        healthy = self.healthy_ref.get(event.position, ref)
        fall = max(0.0, 1 - ref / healthy)
        self.worst_fall = max(self.worst_fall, fall)
        p = self.p
        share = 1 - (p.liquidation_ratio / RAY) * (1 - fall) * (p.floor_ratio / RAY)
        self.bounds[event.auction] = AuctionBound(_units(event.debt) * max(0.0, share), [fall])

    def _reset_bound(self, pre: State, auction_id: int) -> None:
        """LOSS-BOUND-RESET: a reset adds debt * m, m the fall since the stage's anchor."""
        auction = pre.auctions[auction_id]
        fall = max(0.0, 1 - pre.oracle.reference / auction.anchor)
        self.worst_fall = max(self.worst_fall, fall)
        chain = self.bounds.setdefault(auction_id, AuctionBound(0.0))
        chain.bound += _units(auction.debt) * fall
        chain.falls.append(fall)

    def _refused_kick(self, pre: State, action: Kick, code: RefusalCode, t: int) -> None:
        if code in (RefusalCode.DEPTH_EXHAUSTED, RefusalCode.EXPOSURE_CAP_REACHED):
            waiting = uncut_debt(pre, action.position)
            self.breaches["ASM-MIN-DEPTH"].broke(
                t, _units(waiting), f"kick of position {action.position} refused: {code.value}"
            )

    def _cut_kick(self, pre: State, kicked: Kicked, t: int) -> None:
        waiting = uncut_debt(pre, kicked.position) - kicked.debt
        if waiting > 0:
            self.breaches["ASM-MIN-DEPTH"].broke(
                t, _units(waiting), f"kick of position {kicked.position} cut by depth or cap"
            )

    def _pol_reserves(self, pre: State, auction_id: int, t: int) -> None:
        """ASM-POL-RESERVES and LOSS-BOUND-POL-SHORT: how short POL is at expiry."""
        auction = pre.auctions.get(auction_id)
        if auction is None or auction.lot == 0 or auction.tab == 0:
            return
        if pre.time < auction.tic + self.p.auction_duration:
            return
        needed = auction.lot * auction.floor // RAY
        short = needed - pre.buffers.pol_quote
        if short > 0:
            self.breaches["ASM-POL-RESERVES"].broke(
                t, _units(short), f"auction {auction_id}: POL short by {_units(short):,.2f}"
            )

    def _report(self, post: State, t: int) -> None:
        oracle = post.oracle
        lag = abs(oracle.spot - oracle.reference) / oracle.reference
        if lag > LAG_TOLERANCE:
            self.breaches["ASM-BOUNDED-MOVE"].broke(
                t, lag, f"spot {oracle.spot / RAY:,.2f}, reference {oracle.reference / RAY:,.2f}"
            )
        liveness = self.breaches["ASM-KEEPER-LIVENESS"]
        elapsed = 0 if self.last_report is None else t - self.last_report
        if elapsed > self.p.stale_after:
            liveness.broke(t, 0.0, f"no report for {elapsed} s")
        self.last_report = t
        for pid, position in post.positions.items():
            if position.debt == 0 or not gen3_zero_loss.below_liquidation_ratio(post, position):
                continue
            if pid not in self.window:
                continue
            self.window[pid] += min(elapsed, self.period)
            if self.window[pid] > self.period:
                fall = max(0.0, 1 - post.oracle.reference / self.healthy_ref[pid])
                liveness.broke(
                    t,
                    fall,
                    f"position {pid} below L, not kicked within one step_period of reports "
                    f"(reference fell {fall:.2%} since it was at L)",
                )
        for aid, auction in post.auctions.items():
            if aid in self.finished_at_report and auction.finished:
                liveness.broke(t, 0.0, f"auction {aid} finished, not settled for a report")
            if (
                aid in self.expired_at_report
                and not auction.finished
                and gen3_zero_loss.pol_can_buy(post, auction)
            ):
                liveness.broke(t, 0.0, f"auction {aid} expired, not ended for a report")
        self.finished_at_report = {a for a, x in post.auctions.items() if x.finished}
        self.expired_at_report = {
            a
            for a, x in post.auctions.items()
            if not x.finished and post.time >= x.tic + self.p.auction_duration
        }

    def report(self) -> MonitorReport:
        return MonitorReport(
            breaches=self.breaches,
            loss_bound=self.loss_bound,
            realised_shortfall=self.realised,
            bound_exceeded=self.exceeded,
            worst_fall=self.worst_fall,
        )
