"""Reactive gen 3 against predictive gen 3, on scenarios the model never saw.

Both runs use the same scenario (path, market, book, funding). The predictive one adds
the risk steward's bounds (``model.params.presets.STEWARD``) to gen 3's configuration,
and the controller (:class:`predictive.controller.PredictiveController`) acts every tick.
What is compared, per scenario (every shipped one except the synthetic template):

- total economic loss and LP loss (``simulation.metrics``);
- positions kicked; positions pre-liquidated; **false positives**: positions
  pre-liquidated that reactive gen 3 never kicked, and positions kicked only under
  predictive gen 3 (the steward's higher ``L``);
- what borrowers paid: to pre-liquidators (collateral at the market price minus the
  debt it repaid), and liquidation penalties;
- time inside the proven envelope: until the assumption monitor's first breach;
- steward proposals accepted and refused (by refusal code).
"""

from __future__ import annotations

import time as wallclock
from collections.abc import Sequence
from importlib.resources import as_file

import attrs

from model.params.presets import STEWARD
from predictive.controller import Log, PredictiveController, Settings
from predictive.early_warning import EarlyWarning
from simulation.files import load_scenario
from simulation.metrics import Metrics, RunResult, Series
from simulation.runner import Controller, PolicyRun
from simulation.scenario import Scenario
from simulation.shipped import scenario_names, shipped_scenario

POLICY = "gen3"


def evaluated_scenarios() -> list[str]:
    """Every shipped scenario but the synthetic one (the training paths' template)."""
    return [name for name in scenario_names() if not name.startswith("synthetic")]


def load(name: str) -> Scenario:
    found = shipped_scenario(name)
    if found is None:
        raise ValueError(f"no shipped scenario {name!r}")
    with as_file(found) as path:
        return load_scenario(path)


def with_steward(scenario: Scenario) -> Scenario:
    """``scenario`` with the reference steward bounds in gen 3's configuration."""
    config = attrs.evolve(scenario.configs[POLICY], steward=STEWARD)
    return attrs.evolve(scenario, configs={**scenario.configs, POLICY: config})


def drive(scenario: Scenario, controller: Controller | None) -> tuple[RunResult, PolicyRun]:
    """Gen 3 through ``scenario`` (as ``simulation.runner.run_policy``), keeping the run."""
    started = wallclock.perf_counter()
    run = PolicyRun(scenario, POLICY, controller)
    for t in range(0, scenario.path.end + 1, scenario.tick):
        run.tick(t)
    return run.finish(wallclock.perf_counter() - started), run


@attrs.frozen
class Comparison:
    scenario: str
    duration: int
    reactive: Metrics
    predictive: Metrics
    log: Log
    reactive_kicked: frozenset[int]
    predictive_kicked: frozenset[int]
    reactive_series: Series
    predictive_series: Series

    @property
    def false_positives(self) -> int:
        """Pre-liquidated positions that reactive gen 3 never kicked."""
        return len(self.log.pre_liquidated - self.reactive_kicked)

    @property
    def kicked_only_predictive(self) -> int:
        return len(self.predictive_kicked - self.reactive_kicked)


def compare(
    name: str,
    model: EarlyWarning,
    settings: Settings | None = None,
    scenario: Scenario | None = None,
) -> Comparison:
    """Reactive and predictive gen 3 on the shipped scenario ``name`` (or on ``scenario``)."""
    scenario = scenario if scenario is not None else load(name)
    reactive, reactive_run = drive(scenario, None)
    controller = PredictiveController(model, settings or Settings())
    predictive, predictive_run = drive(with_steward(scenario), controller)
    return Comparison(
        scenario=name,
        duration=scenario.path.end,
        reactive=reactive.metrics,
        predictive=predictive.metrics,
        log=controller.log,
        reactive_kicked=frozenset(reactive_run.liquidated),
        predictive_kicked=frozenset(predictive_run.liquidated),
        reactive_series=reactive.series,
        predictive_series=predictive.series,
    )


def predictive_only(name: str, model: EarlyWarning, settings: Settings) -> Metrics:
    """Predictive gen 3 alone on ``name`` (for the ablations: one half of the controller)."""
    result, _ = drive(with_steward(load(name)), PredictiveController(model, settings))
    return result.metrics


def inside_until(metrics: Metrics, duration: int) -> int:
    """Seconds from the start until the first assumption broke (all of it if none did)."""
    found = metrics.envelope.get("assumptions", {})
    times = [b["first_time"] for b in found.values() if not b["held"]]
    return min((t for t in times if t is not None), default=duration)


def penalties(metrics: Metrics) -> float:
    return metrics.penalty_to_insurance + metrics.penalty_to_lps


COLUMNS = (
    "scenario",
    "total loss (reactive → predictive)",
    "LP loss",
    "positions kicked",
    "pre-liquidated (calls)",
    "false positives: pre-liq. / kicked only",
    "borrowers paid pre-liquidators",
    "penalties borrowers paid",
    "inside envelope until (h)",
    "steward accepted / refused",
)


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _pair(a: str, b: str) -> str:
    return a if a == b else f"{a} → {b}"


def _refusals(tally: dict[str, int]) -> str:
    if not tally:
        return "0"
    codes = ", ".join(f"{code} {n}" for code, n in sorted(tally.items()))
    return f"{sum(tally.values())} ({codes})"


def row(c: Comparison) -> list[str]:
    r, p, log = c.reactive, c.predictive, c.log
    hours = c.duration / 3_600
    return [
        f"`{c.scenario}`",
        _pair(_money(r.total_loss), _money(p.total_loss)),
        _pair(_money(r.lp_loss), _money(p.lp_loss)),
        _pair(str(r.positions_liquidated), str(p.positions_liquidated)),
        f"{len(log.pre_liquidated)} ({log.pre_liquidations})",
        f"{c.false_positives} / {c.kicked_only_predictive}",
        _money(log.borrowers_paid),
        _pair(_money(penalties(r)), _money(penalties(p))),
        _pair(
            f"{inside_until(r, c.duration) / 3_600:.1f}",
            f"{inside_until(p, c.duration) / 3_600:.1f}",
        )
        + f" of {hours:.0f}",
        f"{log.proposals_accepted} / {_refusals(log.proposals_refused)}",
    ]


def markdown(comparisons: Sequence[Comparison]) -> list[str]:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * (len(COLUMNS) - 1)]
    lines += ["| " + " | ".join(row(c)) + " |" for c in comparisons]
    return lines
