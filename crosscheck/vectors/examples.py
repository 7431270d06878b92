"""Multi-step vectors: the spec's worked examples, and a built-in crash per policy.

**Hook for ``spec/examples.md``.** Every fenced code block there whose info string is
``jsonl zle-trace`` holds a complete trace (header line, then steps). Each becomes a
sequence vector (``<policy>/sequences/<name>``, the name taken from the header's
``description`` up to the first colon) and each of its steps an operation vector.
Generation replays the example first: an example that does not conform to the model
stops generation, so the spec's examples are checked whenever vectors are generated.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from crosscheck.replay import replay
from crosscheck.trace import MalformedTrace, TraceReader
from crosscheck.vectors.case import SequenceCase, VectorCase, policy_of
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
)
from model.engine import step as model_step
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.state import genesis

EXAMPLES_PATH = Path(__file__).resolve().parents[2] / "spec" / "examples.md"
_BLOCK = re.compile(r"^```jsonl zle-trace[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def crash_path(policy: str) -> SequenceCase:
    """A borrower, a fall from 2,000 to 1,400 over 20 reports, and a liquidation."""
    state = genesis(PRESETS[policy], spot=2000 * RAY, depth=1000 * WAD)
    actions: list[object] = [
        SupplyLiquidity("lp", 1_000_000 * WAD),
        FundInsurance("dao", 10_000 * WAD),
        FundPol("dao", 100_000 * WAD),
        OpenPosition("bob"),
        DepositCollateral("bob", 0, 10 * WAD),
        Borrow("bob", 0, 12_000 * WAD),
    ]
    for _ in range(20):
        actions += [AdvanceTime(600), ReportOracle(1400 * RAY)]
    actions += [
        Liquidate("liq", 0, 6_000 * WAD),
        Kick("kpr", 0),
        AdvanceTime(300),
        Take("bidder", 0, 100 * WAD, 10**40),
        Settle(0),
    ]
    return SequenceCase(
        policy=policy,
        name="crash_path",
        config=state.config,
        pre=state,
        actions=tuple(actions),
        description="a fall from 2,000 to 1,400, then the policy's liquidation",
        source="built-in",
    )


def example_blocks(path: Path = EXAMPLES_PATH) -> list[str]:
    """The ``jsonl zle-trace`` blocks of ``spec/examples.md`` (none if it is absent)."""
    if not path.exists():
        return []
    return _BLOCK.findall(path.read_text())


def spec_examples(path: Path = EXAMPLES_PATH) -> Iterator[SequenceCase | VectorCase]:
    """Sequence and operation vectors from the spec's worked examples."""
    for index, block in enumerate(example_blocks(path)):
        source = f"{path.name} example {index + 1}"
        reader = TraceReader(io.BytesIO(block.encode()), source)
        records = list(reader)
        report = replay(reader.header, records, check_every=1)
        if report.divergence is not None:
            raise MalformedTrace(
                f"the worked example does not conform: {report.to_json()}", None, source
            )
        header = reader.header
        label = str(header.raw.get("description", f"example_{index + 1}")).split(":")[0]
        name = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or f"example_{index + 1}"
        actions = tuple(r.action for r in records if not hasattr(r, "after"))
        policy = policy_of(header.config)
        yield SequenceCase(
            policy=policy,
            name=name,
            config=header.config,
            pre=header.state,
            actions=actions,
            description=str(header.raw.get("description", "")),
            source=source,
        )
        state = header.state
        for number, action in enumerate(actions, start=1):
            yield VectorCase(
                policy=policy,
                name=f"example_{name}_step_{number}",
                config=header.config,
                pre=state,
                action=action,
                description=f"step {number} of the worked example {label!r}",
                source=source,
            )
            state = model_step(state, action).state


class ExampleCases:
    """A vector source: the built-in crash paths and the spec's worked examples."""

    name = "examples"

    def cases(self) -> Iterator[SequenceCase | VectorCase]:
        for policy in ("gen1", "gen2", "gen3"):
            yield crash_path(policy)
        yield from spec_examples()
