"""Campaigns: many seeds of a search, each shard a Dask task on the sweep's cluster.

A shard is a search (differential fuzzing, or the state machines) under its own seed,
derived from the campaign's (:func:`shard_seed`): shards never repeat each other, and
the same campaign seed gives the same shards on any cluster. A shard's result is plain
data: counts, and a failure as text with its replayable trace as text, which the
client writes; so workers need no shared filesystem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulation.sweeps.cluster import cluster_client, dashboard_of, run_tasks, worker_count

Shard = tuple[str, int]
"""(policy, shard index)."""


def shard_seed(kind: str, seed: int, policy: str, shard: int) -> int:
    """The seed of one shard: 63 bits of a hash of the campaign seed and the shard."""
    digest = hashlib.sha256(f"zle-{kind}:{seed}:{policy}:{shard}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def run_shards(
    function: Callable[..., dict[str, Any]],
    shards: list[Shard],
    arguments: Callable[[Shard], tuple[Any, ...]],
    *,
    workers: int,
    scheduler: str | None,
    started: Callable[[int, str | None], object] = lambda workers, dashboard: None,
    advance: Callable[[], object] = lambda: None,
) -> dict[Shard, dict[str, Any]]:
    """``function(*arguments(shard))`` for every shard on the cluster; each shard's result,
    or ``{"lost": "..."}`` when the cluster lost it (its worker died)."""
    results: dict[Shard, dict[str, Any]] = {}

    def done(shard: Shard, result: Any, error: BaseException | None) -> None:
        if error is not None or not isinstance(result, dict):
            results[shard] = {"lost": f"{type(error).__name__}: {error}"}
        else:
            results[shard] = result
        advance()

    with cluster_client(scheduler, workers) as client:
        started(worker_count(client), dashboard_of(client))
        run_tasks(
            client,
            function,
            shards,
            arguments=arguments,
            key=lambda shard: f"zle-shard-{function.__name__}-{shard[0]}-{shard[1]}",
            done=done,
            window=max(4, 2 * worker_count(client)),
        )
    return results


def shard_file(out: Path, policy: str, shard: int) -> Path:
    """Where a shard's trace goes: ``divergence.jsonl`` -> ``divergence-gen3-shard4.jsonl``."""
    return out.with_name(f"{out.stem}-{policy}-shard{shard}{out.suffix or '.jsonl'}")
