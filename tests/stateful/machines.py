"""One state machine per policy: the honest actors and every adversary together.

``MACHINES["gen3"]`` is a ``RuleBasedStateMachine`` over the gen 3 reference preset;
Hypothesis's swarm testing switches rule families on and off between runs, so some
runs are all adversary and some are all honest.
"""

from __future__ import annotations

from tests.stateful.dust_griefer import DustGriefer
from tests.stateful.early_exit_lp import EarlyExitLP
from tests.stateful.edge_prober import EdgeProber
from tests.stateful.honest import HonestActors
from tests.stateful.machine import EngineMachine
from tests.stateful.oracle_manipulator import OracleManipulator
from tests.stateful.partial_buyer import PartialBuyer
from tests.stateful.pol_desk import PolDesk
from tests.stateful.reset_farmer import ResetFarmer
from tests.stateful.rounding_dripper import RoundingDripper
from tests.stateful.sandwicher import Sandwicher
from tests.stateful.self_liquidator import SelfLiquidator

POLICIES = ("gen1", "gen2", "gen3")

ACTORS: tuple[type[EngineMachine], ...] = (
    HonestActors,
    OracleManipulator,
    SelfLiquidator,
    DustGriefer,
    ResetFarmer,
    Sandwicher,
    RoundingDripper,
    EarlyExitLP,
    EdgeProber,
    PolDesk,
    PartialBuyer,
)


def machine_for(policy: str) -> type[EngineMachine]:
    """The machine that drives the engine under ``policy``'s reference preset."""
    name = f"{policy.capitalize()}Engine"
    return type(name, ACTORS, {"policy": policy, "__module__": __name__, "__qualname__": name})


MACHINES: dict[str, type[EngineMachine]] = {policy: machine_for(policy) for policy in POLICIES}
