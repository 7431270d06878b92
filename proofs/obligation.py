"""What a proof obligation is, and what discharging one can end in.

An obligation is a claim about a :class:`Task`: a piece of engine code run on symbolic
inputs (``Task.build``). The same ``build`` runs on a solver's witness to give the
concrete inputs and outputs, so every witness the solver returns is replayed through
the unmodified engine before it is believed: a counterexample must fail the claim
concretely, a vacuity witness must satisfy the assumptions concretely.

``claim``, ``assume`` and ``relevant`` are plain Python predicates over the task's
*subject* (what ``build`` returned: typically the pre-state, the action and the
outcome). They return ``bool`` on concrete subjects and may return a symbolic boolean
on symbolic ones; the explorer turns them into formulas.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import attrs

from proofs.world import Source

Subject = Any
"""Whatever a task's ``build`` returns."""


def always(subject: Subject) -> bool:
    return True


@attrs.frozen
class Task:
    """Code to run symbolically, once per feasible path, shared by its obligations."""

    key: str
    build: Callable[[Source], Subject]
    """Builds the inputs from a source of numbers and runs the code under proof."""
    max_paths: int = 3_000


class Expect(enum.Enum):
    HOLDS = "holds"
    """The claim holds on every path (a proof)."""
    FAILS = "fails"
    """The claim fails on some path, with a concrete witness (a canary, or a
    counterexample that shows an assumption is necessary)."""


@attrs.frozen
class Obligation:
    name: str
    """Unique, stable: ``<ID>/<policy>/<what>``."""
    requirement_ids: tuple[str, ...]
    policy: str
    """``gen1``, ``gen2``, ``gen3`` or ``all``."""
    task: Task
    claim: Callable[[Subject], object]
    assume: Callable[[Subject], object] = always
    """Hypotheses about the inputs (invariants, named assumptions)."""
    relevant: Callable[[Subject], bool] = always
    """Which paths the claim speaks about (evaluated per path; must be concrete there)."""
    expect: Expect = Expect.HOLDS
    summary: str = ""
    assumption_ids: tuple[str, ...] = ()
    """Named assumptions of ``spec/theorems.md`` this obligation relies on."""
    deep: bool = False
    """In the deeper tier: ``zle prove --deep`` runs it, ``zle prove`` does not (it keeps
    the default run within its time budget); ``make test`` and CI run every tier."""


class Verdict(enum.Enum):
    PROVED = "proved"
    """HOLDS expected, and the claim holds on every relevant path."""
    REFUTED = "refuted"
    """FAILS expected, and a concrete, replayed witness breaks the claim."""
    COUNTEREXAMPLE = "counterexample"
    """HOLDS expected, but a concrete, replayed witness breaks the claim."""
    NOT_REFUTED = "not refuted"
    """FAILS expected, but the claim holds: the canary or necessity check has no teeth."""
    VACUOUS = "vacuous"
    """No relevant path satisfies the assumptions: the proof would say nothing."""
    UNKNOWN = "unknown"
    """Z3 could not decide within its resource limit."""
    ERROR = "error"
    """The code under proof raised, or a witness did not replay concretely."""

    @property
    def passed(self) -> bool:
        return self in (Verdict.PROVED, Verdict.REFUTED)


@attrs.frozen
class Result:
    obligation: Obligation
    verdict: Verdict
    paths: int
    """Relevant paths the claim was checked on."""
    rlimit: int
    """Z3 resource units: this obligation's own queries."""
    seconds: float
    """Wall time of this obligation's own queries."""
    explore_rlimit: int = 0
    explore_seconds: float = 0.0
    """The shared exploration of its task (reported once per task)."""
    detail: str = ""
    witness: dict[str, int] | None = None
    """The counterexample (or, for FAILS obligations, the refuting witness)."""
    concrete: Subject = None
    """The witness replayed concretely: the subject ``build`` returned on it."""
