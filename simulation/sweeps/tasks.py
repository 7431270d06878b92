"""One run of a sweep as a task: its key, what a worker does with it, and the row it gives.

A run is one variant (a scenario under one parameter set), one seed, one policy and the
values drawn for that seed. Its key hashes all of that and the code version
(:func:`code_version`, a hash of every source file of ``model`` and ``simulation``), so
a rerun recognises what is already done, and a change of the engine or the simulation
makes every run new. :func:`run_one` never raises: a run that fails gives a row with
its inputs and the traceback.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
import time
import traceback
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import attrs

import model
import simulation
from simulation.file_values import Reader
from simulation.metrics import Metrics
from simulation.param_files import read_params
from simulation.runner import run_policy
from simulation.scenario import POLICY_NAMES, Scenario
from simulation.sweeps.draws import path_seed
from simulation.sweeps.overrides import copy_document, set_field
from simulation.sweeps.spec import Sweep
from simulation.sweeps.variants import Variant

LOSS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("total_loss", "total_loss"),
    ("liquidation_loss", "liquidation_loss"),
    ("lp_loss", "lp_loss"),
    ("insurance_shortfall", "insurance_shortfall"),
    ("pol_shortfall", "pol_shortfall"),
    ("pol_market_loss", "pol_market_loss"),
    ("open_shortfall", "underwater_at_end"),
    ("shortfall", "shortfall"),
    ("keeper_incentives", "keeper_incentives"),
    ("penalty_to_insurance", "penalty_to_insurance"),
    ("extraction", "bidder_discount"),
    ("extraction_after_costs", "bidder_profit"),
    ("keeper_gas", "keeper_gas"),
    ("collateral_sold", "collateral_sold"),
    ("max_sale_impact", "max_sale_impact"),
    ("max_displacement", "max_displacement"),
)
"""Float columns of a row and the ``Metrics`` field each comes from (quote units, or
collateral for ``collateral_sold``, fractions for the two impacts)."""
COUNT_COLUMNS = ("liquidations", "positions_liquidated", "resets", "below_trigger_at_end")


@attrs.frozen
class RunSpec:
    key: str
    variant: int
    seed: int
    policy: str
    drawn: tuple[tuple[str, Any], ...] = ()


def _root(package: Any) -> Path:
    return Path(str(package.__file__)).parent


def _sources(package: Any) -> list[Path]:
    root = _root(package)
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


@functools.cache
def code_version() -> str:
    """A hash of the engine's and the simulation's source and the package version."""
    digest = hashlib.sha256()
    try:
        digest.update(version("zero-loss-engine").encode())
    except PackageNotFoundError:
        digest.update(b"unpackaged")
    for package in (model, simulation):
        root = _root(package)
        for source in _sources(package):
            digest.update(str(source.relative_to(root)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def run_key(variant: Variant, seed: int, policy: str, drawn: tuple[tuple[str, Any], ...]) -> str:
    identity = json.dumps([variant.identity, seed, policy, [list(d) for d in drawn]], default=str)
    return hashlib.sha256(f"{code_version()}|{identity}".encode()).hexdigest()[:32]


def runs_of(sweep: Sweep) -> Iterator[RunSpec]:
    """Every run, in the table's order: variant, then seed, then policy."""
    for variant in sweep.variants:
        for seed in sweep.seeds:
            drawn = tuple((d.key, d.value(seed)) for d in sweep.draws)
            for policy in sweep.policies:
                key = run_key(variant, seed, policy, drawn)
                yield RunSpec(key, variant.index, seed, policy, drawn)


def with_draws(variant: Variant, drawn: tuple[tuple[str, Any], ...]) -> Scenario:
    """The variant's scenario with the drawn ``params.*`` and ``funding.*`` values."""
    scenario = variant.scenario
    params = [(k, v) for k, v in drawn if k.startswith("params.")]
    if params:
        table = copy_document(variant.params)
        for key, value in params:
            set_field(table, key.removeprefix("params."), value)
        reader = Reader(Path(variant.source), "")
        configs = read_params(reader, {"params": table}, POLICY_NAMES)
        if reader.problems:
            raise ValueError("; ".join(str(p) for p in reader.problems))
        scenario = attrs.evolve(scenario, configs=configs)
    funding = {k.removeprefix("funding."): float(v) for k, v in drawn if k.startswith("funding.")}
    if funding:
        scenario = attrs.evolve(scenario, funding=attrs.evolve(scenario.funding, **funding))
    return scenario


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def inputs_of(variant: Variant, spec: RunSpec) -> dict[str, Any]:
    """The columns that say what a run was: its key, scenario, parameter set, seed, policy."""
    return {
        "key": spec.key,
        "scenario": variant.scenario_label,
        "variant": variant.index,
        "seed": spec.seed,
        "policy": spec.policy,
        **{k: v for k, v in variant.values},
        **{k: v for k, v in spec.drawn},
    }


def metrics_row(metrics: Metrics, scenario: Scenario) -> dict[str, Any]:
    row: dict[str, Any] = {column: float(getattr(metrics, f)) for column, f in LOSS_COLUMNS}
    row.update({column: int(getattr(metrics, column)) for column in COUNT_COLUMNS})
    recover = metrics.time_to_recover
    row["hours_to_recover"] = None if recover is None else recover / 3600
    envelope = metrics.envelope
    row["inside_envelope"] = None if not envelope else bool(envelope["inside_envelope"])
    row["first_breach"] = None if not envelope else metrics.first_breach
    row["loss_bound"] = None if not envelope else float(envelope["loss_bound"])
    row["loss_bound_exceeded"] = None if not envelope else bool(envelope["bound_exceeded"])
    prices = scenario.path.prices
    row["path_end_return"] = prices[-1] / prices[0] - 1.0
    row["path_drawdown"] = 1.0 - min(prices) / prices[0]
    return row


def run_one(variant: Variant, spec: RunSpec) -> dict[str, Any]:
    """Run ``spec`` (a task on a worker): its row; a failure is a row too, never raised."""
    started = time.perf_counter()
    row = {**inputs_of(variant, spec), "status": "ok", "error": None}
    try:
        scenario = with_draws(variant, spec.drawn)
        path = variant.model.path(path_seed(spec.seed)) if variant.model else scenario.path
        scenario = attrs.evolve(scenario, seed=spec.seed, path=path)
        result = run_policy(scenario, spec.policy)
        row.update(metrics_row(result.metrics, scenario))
    except Exception:
        row["status"] = "failed"
        row["error"] = traceback.format_exc(limit=20)
    row["seconds"] = time.perf_counter() - started
    row["worker"] = _worker()
    row["code"] = code_version()
    return row


def run_batch(variant: Variant, specs: tuple[RunSpec, ...]) -> list[dict[str, Any]]:
    """The rows of several runs of one variant, in order (one Dask task)."""
    return [run_one(variant, spec) for spec in specs]
