"""Gas per action of the gen 2 auction house (``contracts/auction_house.vy``), per curve.

The deployable contract (not the test harness) runs a crash from genesis under each of
the three abaci curves: two vaults, the oracle falls from 2,000 to 1,400, a keeper
kicks the first (the whole vault), a bidder takes part of its lot and then the rest,
a keeper kicks the second and, after ``tail``, resets it. Every step is checked
against the model as it runs (the contract's events and whole state), so the figures
are those of a conforming run. Each measured action is sent as a transaction of its
own with every storage slot cold (EIP-2929).

Two figures per action: the execution gas py-evm counts, and the transaction's gas:
21,000, plus its calldata (4 gas per zero byte, 16 per other byte), plus execution,
less the refunds for cleared slots (at most a fifth of the total, EIP-3529). Reported,
never asserted.

    python -m benchmarks.contract_gas            # make bench-gas
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import attrs

from crosscheck import wire
from crosscheck.adapter import checked_result
from crosscheck.changes import compare_events, compare_snapshots
from crosscheck.evm.adapter import EvmImplementation
from crosscheck.evm.mapping import read_mapping
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    Kick,
    OpenPosition,
    Redo,
    ReportOracle,
    SupplyLiquidity,
    Take,
)
from model.curves import Curve, ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.engine import step
from model.numbers import RAY, WAD
from model.outcome import Accepted
from model.params.presets import GEN2_MAKER_ETH_A, config
from model.state import State, genesis

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
CURVES: dict[str, Curve] = {
    "stair-step (preset)": StairstepExponentialDecrease(step=90, cut=RAY * 99 // 100),
    "linear": LinearDecrease(tau=7_200),
    "exponential": ExponentialDecrease(cut=RAY * 99_990 // 100_000),
}
"""The preset's curve (ETH-A: 0.99 every 90 s), and the other two at a like pace."""
MEASURED = {
    "kick (whole vault)": Kick("keeper", 0),
    "take (part of the lot)": Take("bidder", 0, 2 * WAD, 10**40),
    "take (the rest: clears the tab)": Take("bidder", 0, 100 * WAD, 10**40),
    "redo (after tail; keeper paid)": Redo("keeper", 1),
}


def scenario() -> list[tuple[str, object]]:
    """The crash, its measured actions named (the others ``""``)."""
    actions: list[tuple[str, object]] = [
        ("", SupplyLiquidity("lp", 1_000_000 * WAD)),
        ("", FundInsurance("dao", 10_000 * WAD)),
    ]
    for position, owner in enumerate(("ann", "bob")):
        actions += [
            ("", OpenPosition(owner)),
            ("", DepositCollateral(owner, position, 10 * WAD)),
            ("", Borrow(owner, position, 12_000 * WAD)),
        ]
    for _ in range(20):
        actions += [("", AdvanceTime(600)), ("", ReportOracle(1_400 * RAY))]
    name = list(MEASURED)
    actions += [
        (name[0], MEASURED[name[0]]),
        ("", AdvanceTime(300)),
        (name[1], MEASURED[name[1]]),
        (name[2], MEASURED[name[2]]),
        ("", Kick("keeper", 1)),
        ("", AdvanceTime(GEN2_MAKER_ETH_A.tail + 1)),
        (name[3], MEASURED[name[3]]),
    ]
    return actions


def transaction_gas(execution: int, refund: int, calldata: bytes) -> int:
    """What a transaction sending ``calldata`` and running ``execution`` gas pays."""
    zero = calldata.count(0)
    total = 21_000 + 4 * zero + 16 * (len(calldata) - zero) + execution
    return total - min(refund, total // 5)


def measure(house: EvmImplementation, curve: Curve) -> dict[str, tuple[int, int]]:
    """(execution, transaction) gas of each measured action under ``curve``; every step
    checked against the model."""
    cfg = config(attrs.evolve(GEN2_MAKER_ETH_A, curve=curve))
    state: State = genesis(cfg, spot=2_000 * RAY)
    house.cold = False
    house.reset(wire.encode_config(cfg), wire.encode_state(state))
    gas: dict[str, tuple[int, int]] = {}
    for name, action in scenario():
        house.cold = bool(name)
        outcome = step(state, action)
        result = checked_result(house.apply(wire.encode_action(action)))  # type: ignore[arg-type]
        assert isinstance(outcome, Accepted) and "accepted" in result, (action, result)
        diffs = compare_events(wire.encode_events(outcome.events), result["accepted"]["events"])
        diffs += compare_snapshots(wire.encode_state(outcome.state), house.observe())
        assert not diffs, (action, diffs)
        state = outcome.state
        if name:
            paid = transaction_gas(house.gas_used, house.gas_refund, house.last_call)
            gas[name] = (house.gas_used, paid)
    return gas


def table(results: dict[str, dict[str, tuple[int, int]]]) -> str:
    curves = list(results)
    lines = [
        "| action (execution / transaction) | " + " | ".join(curves) + " |",
        "|---|" + "---:|" * len(curves),
    ]
    for action in MEASURED:
        cells = [f"{results[c][action][0]:,} / {results[c][action][1]:,}" for c in curves]
        lines.append(f"| {action} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    mapping = read_mapping(CONTRACTS / "gen2_auction_house.toml")
    house = EvmImplementation(mapping, source=CONTRACTS / "auction_house.vy", loaders=False)
    results: dict[str, Any] = {name: measure(house, curve) for name, curve in CURVES.items()}
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print("gas of contracts/auction_house.vy (vyper 0.4.3), every slot cold:")
    print(table(results))


if __name__ == "__main__":
    main()
