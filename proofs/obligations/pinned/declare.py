"""How a pinning obligation is declared: one positional form shared by every module of
the package, whose tables list dozens of them."""

from __future__ import annotations

from typing import Any

from proofs.obligation import Obligation, Task


def pinned(
    name: str,
    ids: tuple[str, ...],
    policy: str,
    task: Task,
    claim: Any,
    summary: str,
    **more: Any,
) -> Obligation:
    """The obligation ``name`` (for requirements ``ids``, under ``policy``): ``claim`` holds
    on every path of ``task``; ``more`` are further fields of ``Obligation`` (``assume``)."""
    return Obligation(
        name=name,
        requirement_ids=ids,
        policy=policy,
        task=task,
        claim=claim,
        summary=summary,
        **more,
    )
