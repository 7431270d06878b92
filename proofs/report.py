"""Results as plain data: what ``zle prove`` prints and writes, and how tasks run in
parallel (a worker process discharges whole tasks and sends back plain records)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import attrs

from proofs.obligation import Obligation, Result
from proofs.runner import discharge


@attrs.frozen
class Record:
    """One obligation's result, as sent between processes and written to JSON."""

    name: str
    requirement_ids: tuple[str, ...]
    policy: str
    task: str
    expect: str
    verdict: str
    passed: bool
    paths: int
    rlimit: int
    seconds: float
    explore_rlimit: int
    explore_seconds: float
    task_obligations: int
    detail: str
    witness: dict[str, int] | None

    @property
    def total_seconds(self) -> float:
        """Own time plus this obligation's share of its task's exploration."""
        return self.seconds + self.explore_seconds / max(self.task_obligations, 1)

    @property
    def total_rlimit(self) -> int:
        return self.rlimit + self.explore_rlimit // max(self.task_obligations, 1)

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["requirement_ids"] = list(self.requirement_ids)
        if self.witness is not None:
            data["witness"] = {k: str(v) for k, v in sorted(self.witness.items())}
        return data


def record_of(result: Result, task_obligations: int) -> Record:
    o = result.obligation
    return Record(
        name=o.name,
        requirement_ids=o.requirement_ids,
        policy=o.policy,
        task=o.task.key,
        expect=o.expect.value,
        verdict=result.verdict.value,
        passed=result.verdict.passed,
        paths=result.paths,
        rlimit=result.rlimit,
        seconds=round(result.seconds, 4),
        explore_rlimit=result.explore_rlimit,
        explore_seconds=round(result.explore_seconds, 4),
        task_obligations=task_obligations,
        detail=result.detail,
        witness=result.witness,
    )


def group_by_task(obligations: Iterable[Obligation]) -> dict[str, list[Obligation]]:
    groups: dict[str, list[Obligation]] = {}
    for o in obligations:
        groups.setdefault(o.task.key, []).append(o)
    return groups


def discharge_task(key: str, names: Sequence[str]) -> list[Record]:
    """In a worker: discharge the named obligations of task ``key``."""
    from proofs.registry import BY_NAME

    obligations = [BY_NAME[n] for n in names]
    results = discharge(obligations[0].task, obligations)
    return [record_of(r, len(obligations)) for r in results]


def run_all(
    obligations: Sequence[Obligation],
    jobs: int = 1,
    on_task_done: Callable[[list[Record]], None] = lambda records: None,
) -> list[Record]:
    """Discharge ``obligations`` (in ``jobs`` processes); records in the given order."""
    groups = group_by_task(obligations)
    # longest first balances the workers: tasks with many paths (kicks) are the slow ones
    order = sorted(groups, key=lambda k: ("Kick" not in k, "Take" not in k, k))
    done: dict[str, Record] = {}
    if jobs <= 1:
        for key in order:
            records = discharge_task(key, [o.name for o in groups[key]])
            done.update((r.name, r) for r in records)
            on_task_done(records)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [
                pool.submit(discharge_task, key, [o.name for o in groups[key]]) for key in order
            ]
            for future in as_completed(futures):
                records = future.result()
                done.update((r.name, r) for r in records)
                on_task_done(records)
    return [done[o.name] for o in obligations]


@attrs.frozen
class Row:
    """One line of the summary: a requirement under one policy."""

    requirement: str
    policy: str
    obligations: int
    failed: int
    verdicts: str
    rlimit: int
    seconds: float


def summarise(records: Iterable[Record]) -> list[Row]:
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in records:
        for requirement in r.requirement_ids:
            groups.setdefault((requirement, r.policy), []).append(r)
    rows = []
    for (requirement, policy), members in groups.items():
        counts: dict[str, int] = {}
        for m in members:
            counts[m.verdict] = counts.get(m.verdict, 0) + 1
        rows.append(
            Row(
                requirement=requirement,
                policy=policy,
                obligations=len(members),
                failed=sum(not m.passed for m in members),
                verdicts=", ".join(f"{n} {v}" for v, n in sorted(counts.items())),
                rlimit=sum(m.total_rlimit for m in members),
                seconds=sum(m.total_seconds for m in members),
            )
        )
    return rows
