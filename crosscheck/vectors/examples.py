"""Multi-step vectors: the spec's worked examples, and a built-in crash per policy.

The three worked examples of ``spec/examples.md`` (EX-ZONES, EX-PARTIAL-TAKE,
EX-WATERFALL) are written here as their action sequences, exactly as the spec lists
them (``tests/unit/test_worked_examples.py`` checks their numbers). Each becomes a
sequence vector, and each of its liquidation, lending and refused steps an operation
vector (``ex_<name>_step_<n>``).

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
from importlib.resources.abc import Traversable

from crosscheck.replay import replay
from crosscheck.spec_files import spec_file
from crosscheck.trace import Header, MalformedTrace, TraceReader
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
    WithdrawLiquidity,
)
from model.engine import step as model_step
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.state import genesis

EXAMPLES_PATH = spec_file("examples.md")
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


def _example_start(insurance: int, pol: int, *books: tuple[str, int, int]) -> list[object]:
    actions: list[object] = [
        SupplyLiquidity("lp", 1_000_000 * WAD),
        FundInsurance("dao", insurance * WAD),
        FundPol("dao", pol * WAD),
    ]
    for position, (owner, collateral, debt) in enumerate(books):
        actions += [
            OpenPosition(owner),
            DepositCollateral(owner, position, collateral * WAD),
            Borrow(owner, position, debt * WAD),
        ]
    return actions


def _gap_to_1450(reports: int = 16) -> list[object]:
    return [a for _ in range(reports) for a in (AdvanceTime(600), ReportOracle(1_450 * RAY))]


def worked_examples() -> list[SequenceCase]:
    """EX-ZONES, EX-PARTIAL-TAKE and EX-WATERFALL of ``spec/examples.md``, as sequences."""
    state = genesis(PRESETS["gen3"], spot=2_000 * RAY, depth=100 * WAD)
    two = (("alice", 10, 12_000), ("bob", 10, 13_500))
    zones = [
        *_example_start(500, 100, *two),
        *_gap_to_1450(1),
        Kick("keeper", 1),
        *_gap_to_1450(2),
        Borrow("bob", 1, WAD),
        *_gap_to_1450(13),
    ]
    partial = [
        *_example_start(500, 100, *two),
        *_gap_to_1450(),
        Kick("keeper", 0),
        AdvanceTime(900),
        Take("carol", 0, 4 * WAD, 1_414 * RAY),
        AdvanceTime(900),
        Take("dave", 0, 10 * WAD, 1_305 * RAY),
        Settle(0),
    ]
    waterfall = [
        *_example_start(200, 100, ("bob", 10, 13_500)),
        *_gap_to_1450(),
        Kick("keeper", 0),
        WithdrawLiquidity("lp", WAD),
        AdvanceTime(1_800),
        Take("dave", 0, 10 * WAD, 1_305 * RAY),
        Settle(0),
    ]
    described = (
        (
            "ex_zones",
            "EX-ZONES: a position through the zones; guarded borrow and breaker refused",
            zones,
        ),
        (
            "ex_partial_take",
            "EX-PARTIAL-TAKE: partial unwind, partial take, leftover returned",
            partial,
        ),
        ("ex_waterfall", "EX-WATERFALL: a shortfall down insurance, POL, then LPs", waterfall),
    )
    return [
        SequenceCase("gen3", name, state.config, state, tuple(actions), text, "spec/examples.md")
        for name, text, actions in described
    ]


def step_vectors(sequence: SequenceCase) -> Iterator[VectorCase]:
    """An operation vector for each step of ``sequence`` after its set-up (which ends at the
    first ``AdvanceTime``) that is not time or an oracle report."""
    state = sequence.pre
    setup = next(i for i, a in enumerate(sequence.actions) if isinstance(a, AdvanceTime))
    for number, action in enumerate(sequence.actions, start=1):
        if number > setup and not isinstance(action, AdvanceTime | ReportOracle):
            yield VectorCase(
                policy=sequence.policy,
                name=f"{sequence.name}_step_{number}",
                config=sequence.config,
                pre=state,
                action=action,
                description=f"step {number} of {sequence.description.split(':')[0]}",
                source=sequence.source,
            )
        state = model_step(state, action).state


def example_blocks(path: Traversable = EXAMPLES_PATH) -> list[str]:
    """The ``jsonl zle-trace`` blocks of ``spec/examples.md``."""
    return _BLOCK.findall(path.read_text(encoding="utf-8"))


def spec_examples(path: Traversable = EXAMPLES_PATH) -> Iterator[SequenceCase | VectorCase]:
    """Sequence and operation vectors from the spec's worked examples."""
    for index, block in enumerate(example_blocks(path)):
        source = f"{path.name} example {index + 1}"
        reader = TraceReader(io.BytesIO(block.encode()), source)
        if not isinstance(reader.header, Header):
            raise MalformedTrace("a worked example is a single-market trace (version 2)", 1, source)
        records = list(reader)
        report = replay(reader.header, records, check_every=1)
        if report.divergence is not None:
            raise MalformedTrace(
                f"the worked example does not conform: {report.to_json()}", None, source
            )
        header: Header = reader.header
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
        for example in worked_examples():
            yield example
            yield from step_vectors(example)
        yield from spec_examples()
