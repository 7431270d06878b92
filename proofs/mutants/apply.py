"""Materialise a mutant and run proof obligations against it, in a subprocess.

The parent copies the ``model`` package into a temporary directory, applies the mutant's
one edit there, and starts ``python -m proofs.mutants.apply`` with that directory as its
working directory and first on ``PYTHONPATH``, the repository after it: the child imports
the mutated ``model`` and everything else (``proofs``, ...) from the real tree. It reads
a JSON request on stdin (the obligation names), discharges them with
``proofs.runner.discharge`` and prints one JSON line, after a marker, on stdout.

A mutant is *killed* when some obligation that passes on the unmutated model does not
pass on it. Counterexamples are the strong kills; ``error``, ``unknown``, ``vacuous`` and
``not refuted`` are kills too, reported apart. A mutant that cannot even be imported is
killed at ``import``; a child that dies or outlives its timeout is reported as ``crash``
or ``timeout``.

This module imports nothing of ``model`` at its top, so that the child can report a
mutant that breaks the import instead of dying of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from proofs.mutants.catalogue import ROOT, Mutant

if TYPE_CHECKING:
    from proofs.obligation import Obligation

MARKER = "@@zle-mutant-result@@ "
"""Prefixes the child's one result line, so stray output cannot be mistaken for it."""

VERDICT_STRENGTH = ("counterexample", "not refuted", "vacuous", "error", "unknown")
"""Failing verdicts, strongest kill first."""


# --- the obligations a mutant can be run against ----------------------------------------


def universe() -> dict[str, Obligation]:
    """Every obligation of the registry, by name, in report order (imported late: in the
    child, this is what imports the mutated model)."""
    from proofs.registry import OBLIGATIONS

    return {o.name: o for o in OBLIGATIONS}


def matches(obligation: Obligation, selector: str) -> bool:
    """``proofs.registry.select``'s rule: requirement ID, name (prefix) or task key prefix."""
    return (
        selector in obligation.requirement_ids
        or obligation.name.startswith(selector)
        or obligation.task.key.startswith(selector)
    )


def resolve(selectors: Iterable[str], obligations: Mapping[str, Obligation]) -> list[str]:
    """Names of the obligations any of ``selectors`` matches, in universe order."""
    wanted = tuple(selectors)
    return [name for name, o in obligations.items() if any(matches(o, s) for s in wanted)]


def names_for(mutant: Mutant, scope: str, obligations: Mapping[str, Obligation]) -> list[str]:
    """What ``mutant`` is run against under ``scope``:

    - ``killers``: its killers (or, without any, every obligation of ``exercised_by``);
    - ``tasks``: every obligation of the tasks its killers belong to, and of
      ``exercised_by``;
    - ``all``: every obligation.
    """
    if scope == "all":
        return list(obligations)
    killers = resolve(mutant.killers, obligations)
    if scope == "killers":
        return killers or resolve(mutant.exercised_by, obligations)
    if scope != "tasks":
        raise ValueError(f"unknown scope {scope!r}")
    tasks = {obligations[n].task.key for n in killers}
    tasks.update(obligations[n].task.key for n in resolve(mutant.exercised_by, obligations))
    return [name for name, o in obligations.items() if o.task.key in tasks]


# --- results --------------------------------------------------------------------------


@attrs.frozen
class ObligationResult:
    name: str
    requirement_ids: tuple[str, ...]
    task: str
    verdict: str
    passed: bool
    seconds: float
    detail: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ObligationResult:
        return cls(
            name=str(data["name"]),
            requirement_ids=tuple(data["requirement_ids"]),
            task=str(data["task"]),
            verdict=str(data["verdict"]),
            passed=bool(data["passed"]),
            seconds=float(data["seconds"]) + float(data["explore_seconds"]),
            detail=str(data["detail"]),
        )


@attrs.frozen
class MutantRun:
    """One subprocess's outcome: a mutant (or the unmutated model) against some names."""

    mutant_id: str
    """The mutant's id; ``baseline`` for the unmutated model."""
    status: str
    """``ran``, ``import`` (the mutant broke the import), ``crash`` or ``timeout``."""
    seconds: float
    results: tuple[ObligationResult, ...] = ()
    detail: str = ""

    def failing(self, baseline: Mapping[str, bool] | None = None) -> list[ObligationResult]:
        """The results that kill: not passed here, and passed on the baseline (when one
        is given and ran the obligation; an obligation failing there kills nothing)."""
        return [
            r
            for r in self.results
            if not r.passed and (baseline is None or baseline.get(r.name, True))
        ]

    def kill(self, baseline: Mapping[str, bool] | None = None) -> str:
        """How the mutant died: ``counterexample`` (strongest), another failing verdict,
        ``import`` / ``crash`` / ``timeout``, or ``survived``."""
        if self.status != "ran":
            return self.status
        verdicts = {r.verdict for r in self.failing(baseline)}
        for verdict in VERDICT_STRENGTH:
            if verdict in verdicts:
                return verdict
        return "survived" if not verdicts else sorted(verdicts)[0]

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["results"] = [attrs.asdict(r) for r in self.results]
        return data


# --- the parent: materialise and run ----------------------------------------------------


def materialise(mutant: Mutant | None, directory: Path, root: Path = ROOT) -> Path:
    """Copy ``root/model`` to ``directory/model`` and apply ``mutant`` (none: the baseline).

    Raises ``ValueError`` if the mutant's original is not where it expects (``Mutant.mutate``).
    """
    target = directory / "model"
    shutil.copytree(root / "model", target, ignore=shutil.ignore_patterns("__pycache__"))
    if mutant is not None:
        path = directory / mutant.file
        path.write_text(mutant.mutate(path.read_text()))
    return target


def run_child(
    mutant: Mutant | None,
    module: str,
    request: dict[str, Any],
    timeout: float | None = None,
    root: Path = ROOT,
    arguments: Sequence[str] = (),
) -> tuple[dict[str, Any], float]:
    """Materialise ``mutant`` in a scratch directory and run ``python -m module
    *arguments`` there,
    the scratch copy of ``model`` first on ``PYTHONPATH``; ``request`` (plus
    ``model_dir``, the copy the child must import) goes to its stdin as JSON.

    Returns the JSON object the child printed after :data:`MARKER` (``status`` ``crash``
    with the last line of its stderr when it printed none; ``timeout`` when it outlived
    ``timeout``, killed with every process it started) and the wall seconds.
    """
    label = "baseline" if mutant is None else mutant.id
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"zle-mutant-{label}-") as scratch:
        directory = Path(scratch)
        materialise(mutant, directory, root)
        request = {**request, "model_dir": str(directory / "model")}
        python_path = [str(directory), str(root)]
        if os.environ.get("PYTHONPATH"):
            python_path.append(os.environ["PYTHONPATH"])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_path)}
        child = subprocess.Popen(
            [sys.executable, "-m", module, *arguments],
            cwd=directory,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = child.communicate(json.dumps(request), timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(child)
            child.communicate()
            return {"status": "timeout", "detail": f"> {timeout} s"}, _since(started)
        finally:
            if child.poll() is None:
                _kill_group(child)
                child.wait()
    lines = [line for line in stdout.splitlines() if line.startswith(MARKER)]
    if not lines:
        tail = (stderr.strip().splitlines() or [f"exit status {child.returncode}, no result"])[-1]
        return {"status": "crash", "detail": tail}, _since(started)
    found: dict[str, Any] = json.loads(lines[-1][len(MARKER) :])
    return found, _since(started)


def _since(started: float) -> float:
    return time.perf_counter() - started


def run(
    mutant: Mutant | None,
    names: Sequence[str],
    jobs: int = 1,
    timeout: float | None = None,
    root: Path = ROOT,
) -> MutantRun:
    """Run the obligations ``names`` against ``mutant`` (``None``: the unmutated model) in a
    child process, ``jobs`` worker processes inside it."""
    mutant_id = "baseline" if mutant is None else mutant.id
    request = {"names": list(names), "jobs": jobs}
    data, seconds = run_child(mutant, "proofs.mutants.apply", request, timeout, root)
    if data["status"] != "ran":
        return MutantRun(mutant_id, str(data["status"]), seconds, detail=str(data["detail"]))
    results = tuple(ObligationResult.from_json(r) for r in data["records"])
    return MutantRun(mutant_id, "ran", seconds, results)


def _kill_group(child: subprocess.Popen[str]) -> None:
    """End the child and the workers it started (its own session, by its id)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)


# --- the child --------------------------------------------------------------------------


def _discharge_group(key: str, names: Sequence[str]) -> list[dict[str, Any]]:
    """In the child (or one of its workers): discharge the named obligations of one task."""
    from proofs.report import record_of
    from proofs.runner import discharge

    everything = universe()
    obligations = [everything[n] for n in names]
    results = discharge(obligations[0].task, obligations)
    return [record_of(result, len(names)).to_json() for result in results]


def child_main(request: Mapping[str, Any]) -> dict[str, Any]:
    """Import the (mutated) model, check it is the one asked for, discharge the names."""
    try:
        import model

        found = Path(model.__file__ or "").resolve().parent
        expected = Path(request["model_dir"]).resolve()
        if found != expected:
            return {"status": "crash", "detail": f"imported model from {found}, not {expected}"}
        everything = universe()
    except Exception:
        return {"status": "import", "detail": traceback.format_exc(limit=-1).strip()}
    names = list(request["names"])
    unknown = [n for n in names if n not in everything]
    if unknown:
        return {"status": "crash", "detail": f"unknown obligations: {unknown[:5]}"}
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(everything[name].task.key, []).append(name)
    records: list[dict[str, Any]] = []
    jobs = int(request.get("jobs", 1))
    if jobs <= 1 or len(groups) <= 1:
        for key, group in groups.items():
            records.extend(_discharge_group(key, group))
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_discharge_group, k, g) for k, g in groups.items()]
            for future in futures:
                records.extend(future.result())
    return {"status": "ran", "records": records}


def main() -> None:
    request = json.loads(sys.stdin.read())
    result = child_main(request)
    sys.stdout.write(MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
