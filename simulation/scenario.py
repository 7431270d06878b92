"""A scenario: everything a run needs, identical for every policy except the policy itself.

One price path, one oracle feed, one market, one gas series, one set of keepers and
bidders, one book of borrowers and one funding of the buffers; ``configs`` holds the
engine configuration of each policy (``model.params.Config``). Built by
``simulation.files.load_scenario`` from a TOML file (format in ``scenarios/README.md``).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from model.params import Config
from simulation.actors import ActorProfile, GasSettings
from simulation.market import DepthModel
from simulation.oracle_feed import OracleSettings
from simulation.paths import PricePath
from simulation.population import PopulationSettings

POLICY_NAMES: tuple[str, ...] = ("gen1", "gen2", "gen3")


@attrs.frozen
class MarketSettings:
    depth: DepthModel
    half_life: int
    """Seconds for arbitrage to close half of the displacement left by liquidation sales."""
    depth_impact: float
    """The engine is told the market's depth as the collateral that moves price this much."""


@attrs.frozen
class Funding:
    """Quote put into the system before the path starts, the same for every policy."""

    insurance: float
    """Insurance fund (gen 2: the protocol surplus; gen 1 has no use for it)."""
    pol: float
    """Protocol-owned liquidity reserves (only gen 3 uses them)."""
    lp_headroom: float
    """LPs supply the book's total debt times ``1 + lp_headroom``."""


@attrs.frozen
class Scenario:
    name: str
    description: str
    seed: int
    tick: int
    """Seconds between the actors' decisions (and the engine's clock steps)."""
    path: PricePath
    oracle: OracleSettings
    market: MarketSettings
    gas: GasSettings
    keepers: tuple[ActorProfile, ...]
    keepers_require_profit: bool
    """If true, keepers kick and reset only when the incentive covers their gas."""
    bidders: tuple[ActorProfile, ...]
    population: PopulationSettings
    funding: Funding
    configs: Mapping[str, Config]
