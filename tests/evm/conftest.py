"""Shared fixtures of the EVM tests: the contract compiled once, and its seeded fault.

Every module here runs on one xdist worker (``pytestmark = pytest.mark.xdist_group``),
so the contract is compiled once per run (the compiled bytecode is cached in-process).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.adapter import load_implementation
from crosscheck.evm.adapter import EvmImplementation
from tests.crosscheck.conftest import vectors_dir
from tests.evm.faults import SEEDED_FAULT, seeded_copy

__all__ = ["contract", "faulty_mapping", "vectors_dir"]

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "contracts" / "gen2_auction_house.toml"


@pytest.fixture(scope="session")
def contract() -> EvmImplementation:
    """The gen 2 auction house on an in-process EVM, through the shipped mapping."""
    implementation = load_implementation(f"evm:{MAPPING}")
    assert isinstance(implementation, EvmImplementation)
    return implementation


@pytest.fixture(scope="session")
def faulty_mapping(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mapping of a copy of contracts/ with the seeded one-line fault."""
    return seeded_copy(SEEDED_FAULT, tmp_path_factory.mktemp("faulty"))
