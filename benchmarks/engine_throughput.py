"""Engine throughput: steps per second on a realistic action mix, and peak memory.

For each policy and book size, a fresh subprocess builds a book of N positions through
``step`` (set-up, timed separately), then applies a deterministic mix of borrower,
LP, oracle, time and liquidation actions. Peak memory is the subprocess's maximum
resident set size, so each figure stands alone.

    python -m benchmarks.engine_throughput            # 1,000 and 100,000 positions
    python -m benchmarks.engine_throughput --sizes 1000 --steps 20000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from typing import Any

from model import Accepted, State, genesis, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    Repay,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
)
from model.numbers import RAY, WAD
from model.params.presets import PRESETS


def build_book(policy: str, positions: int, rng: random.Random) -> State:
    state = genesis(PRESETS[policy], spot=2_000 * RAY, depth=10**9 * WAD)
    setup: list[object] = [
        SupplyLiquidity("lp", 10**12 * WAD),
        FundInsurance("dao", 10**8 * WAD),
        FundPol("dao", 10**10 * WAD),
        ReportDepth(10**9 * WAD),
    ]
    for action in setup:
        state = step(state, action).state
    for i in range(positions):
        owner = f"b{i}"
        collateral = rng.randint(2, 50)
        ratio_bp = rng.randint(15_000, 30_000)
        debt = collateral * 2_000 * WAD * 10_000 // ratio_bp
        for action in (
            OpenPosition(owner),
            DepositCollateral(owner, i, collateral * WAD),
            Borrow(owner, i, debt),
        ):
            state = step(state, action).state
    return state


def action_mix(state: State, rng: random.Random, price: int) -> object:
    """One action drawn from a realistic mix; liquidation actions target live objects."""
    roll = rng.random()
    n = state.next_position
    i = rng.randrange(n)
    owner = f"b{i}"
    policy = state.config.policy.__class__.__name__
    if roll < 0.10:
        return ReportOracle(price * RAY)
    if roll < 0.20:
        return AdvanceTime(rng.randint(12, 120))
    if roll < 0.35:
        return DepositCollateral(owner, i, rng.randint(1, 5) * WAD)
    if roll < 0.50:
        return Borrow(owner, i, rng.randint(10, 500) * WAD)
    if roll < 0.65:
        return Repay(owner, i, rng.randint(10, 500) * WAD)
    if roll < 0.75:
        return WithdrawCollateral(owner, i, rng.randint(1, 3) * WAD)
    if policy == "Gen1SpotParams":
        return Liquidate("liquidator", i, rng.randint(100, 5_000) * WAD)
    auctions = state.auctions
    if roll < 0.85 or len(auctions) == 0:
        return Kick("keeper", i)
    auction_id = next(iter(auctions.keys()))
    if roll < 0.93:
        return Take("bidder", auction_id, rng.randint(1, 20) * WAD, 10**40)
    if roll < 0.97:
        return EndAuction(auction_id)
    return Settle(auction_id)


def measure(policy: str, positions: int, steps: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    started = time.perf_counter()
    state = build_book(policy, positions, rng)
    setup_seconds = time.perf_counter() - started
    price = 2_000
    accepted = 0
    # Actions are drawn as the run goes (so takes and settlements target live auctions);
    # drawing costs a few microseconds per step and is included in the figure.
    started = time.perf_counter()
    for k in range(steps):
        if k % 500 == 0:
            price = max(800, price + rng.randint(-60, 50))
        action = action_mix(state, rng, price)
        outcome = step(state, action)
        if isinstance(outcome, Accepted):
            accepted += 1
            state = outcome.state
    seconds = time.perf_counter() - started
    return {
        "policy": policy,
        "positions": positions,
        "steps": steps,
        "seconds": round(seconds, 3),
        "steps_per_second": round(steps / seconds),
        "accepted_share": round(accepted / steps, 3),
        "setup_steps": 4 + 3 * positions,
        "setup_steps_per_second": round((4 + 3 * positions) / setup_seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--policies", nargs="+", default=["gen1", "gen2", "gen3"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", nargs=2, metavar=("POLICY", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = measure(args.one[0], int(args.one[1]), args.steps, args.seed)
        print(json.dumps(result))
        return
    rows = []
    for size in args.sizes:
        for policy in args.policies:
            command = [
                sys.executable,
                "-m",
                "benchmarks.engine_throughput",
                "--one",
                policy,
                str(size),
                "--steps",
                str(args.steps),
                "--seed",
                str(args.seed),
            ]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            rows.append(json.loads(output))
            print(json.dumps(rows[-1]), flush=True)
    header = (
        f"{'policy':6} {'positions':>9} {'steps/s':>9} {'accepted':>8} "
        f"{'setup steps/s':>13} {'peak MB':>8}"
    )
    print()
    print(header)
    for r in rows:
        print(
            f"{r['policy']:6} {r['positions']:>9,} {r['steps_per_second']:>9,} "
            f"{r['accepted_share']:>8.1%} {r['setup_steps_per_second']:>13,} {r['peak_rss_mb']:>8}"
        )


if __name__ == "__main__":
    main()
