"""One state machine per policy: the honest actors and every adversary together.

``MACHINES["gen3"]`` is a ``RuleBasedStateMachine`` over the gen 3 reference preset;
Hypothesis's swarm testing switches rule families on and off between runs, so some
runs are all adversary and some are all honest.
"""

from __future__ import annotations

from model.params.presets import STEWARD
from tests.stateful.dust_griefer import DustGriefer
from tests.stateful.early_exit_lp import EarlyExitLP
from tests.stateful.edge_prober import EdgeProber
from tests.stateful.honest import HonestActors
from tests.stateful.hostile_pre_liquidator import HostilePreLiquidator
from tests.stateful.hostile_steward import HostileSteward
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


PREDICTIVE = "gen3-predictive"
PREDICTIVE_ACTORS: tuple[type[EngineMachine], ...] = (
    *ACTORS,
    HostileSteward,
    HostilePreLiquidator,
)


def predictive_machine() -> type[EngineMachine]:
    """Gen 3 with the reference steward bounds: every actor above, a hostile steward and a
    hostile pre-liquidator (``spec/preliquidation.md``, ``spec/steward.md``)."""
    name = "Gen3PredictiveEngine"
    fields = {
        "policy": "gen3",
        "steward": STEWARD,
        "name": PREDICTIVE,
        "__module__": __name__,
        "__qualname__": name,
    }
    return type(name, PREDICTIVE_ACTORS, fields)


MACHINES[PREDICTIVE] = predictive_machine()
