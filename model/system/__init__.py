"""Many markets: single-market engines composed under one exposure cap, one liquidity
topology, a shared backstop and venues (``spec/markets.md``)."""

from model.system.actions import (
    Allocate,
    DrawBackstop,
    FundBackstop,
    HaltVenue,
    OnMarket,
    Recall,
    ShutdownMarket,
    SupplyShared,
    SystemAction,
    WithdrawShared,
)
from model.system.outcome import SystemAccepted, SystemOutcome, SystemRefused
from model.system.state import (
    SYSTEM_ACCOUNT,
    Backstop,
    SharedPool,
    System,
    SystemConfig,
    SystemLedger,
    Topology,
    compose,
    shared_value,
    total_exposure,
)
from model.system.step import system_step

__all__ = [
    "SYSTEM_ACCOUNT",
    "Allocate",
    "Backstop",
    "DrawBackstop",
    "FundBackstop",
    "HaltVenue",
    "OnMarket",
    "Recall",
    "SharedPool",
    "ShutdownMarket",
    "SupplyShared",
    "System",
    "SystemAccepted",
    "SystemAction",
    "SystemConfig",
    "SystemLedger",
    "SystemOutcome",
    "SystemRefused",
    "Topology",
    "WithdrawShared",
    "compose",
    "shared_value",
    "system_step",
    "total_exposure",
]
