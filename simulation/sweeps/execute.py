"""Running a sweep: what is left to do, on the cluster, into the sweep's folder.

The folder holds ``sweep.json`` (what the sweep is, and the marker that the folder is a
sweep's: any other non-empty folder is refused), the journal of finished runs, and at
the end the table of every run, the summary (``summary.json``, ``summary.csv``) and,
when asked, the figures. Runs already in the journal are not run again (``retry_failed``
runs the failed ones again); every other run is a Dask task (``simulation.sweeps.
cluster``). A run that raises is a failed row; a task the cluster loses (its worker
died) is one too, with the error; a worker whose code is not the client's gives failed
rows that say so. None of these stops the sweep.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from simulation.sweeps.cluster import cluster_client, dashboard_of, run_tasks, worker_count
from simulation.sweeps.results import (
    JOURNAL,
    append,
    journal_writer,
    read_journal,
    replaced,
    write_table,
    write_text,
)
from simulation.sweeps.spec import Sweep
from simulation.sweeps.summary import flat, summarise
from simulation.sweeps.tasks import RunSpec, code_version, inputs_of, run_batch, runs_of
from simulation.sweeps.variants import Variant

MANIFEST = "sweep.json"
MARKER = "zle_sweep"
TABLES = {"parquet": "runs.parquet", "csv": "runs.csv"}


class FolderError(Exception):
    """The output folder is not a sweep's and not empty."""


def folder_problem(out: Path) -> str | None:
    """Why ``out`` cannot hold a sweep's results, or None (new, empty, or a sweep's)."""
    if not out.exists():
        return None
    if not out.is_dir():
        return f"{out} is a file, not a folder"
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            marked = json.loads(manifest.read_text(encoding="utf-8")).get(MARKER) == 1
        except (ValueError, AttributeError, OSError):
            marked = False
        if marked:
            return None
    if any(out.iterdir()):
        return f"{out} holds files that are not a sweep's (no {MANIFEST}); give a new folder"
    return None


@attrs.frozen
class SweepRun:
    rows: list[dict[str, Any]]
    """Every run of the sweep, in its order."""
    summary: list[dict[str, Any]]
    ran: int
    reused: int
    failed: int
    seconds: float
    """Wall time of the runs, from the cluster being up to the last result."""
    startup: float
    """Wall time to start (or reach) the cluster."""
    workers: int
    dashboard: str | None
    table: Path


Started = Callable[[int, int, str | None], object]
"""``started(to_run, workers, dashboard)``: called once the cluster is up."""


def run_sweep(
    sweep: Sweep,
    out: Path,
    *,
    form: str = "parquet",
    workers: int = 2,
    scheduler: str | None = None,
    retry_failed: bool = False,
    started: Started = lambda to_run, workers, dashboard: None,
    advance: Callable[[], object] = lambda: None,
    window: int | None = None,
    batch: int | None = None,
) -> SweepRun:
    """Run what ``out``'s journal does not hold yet, then write the table and summary.

    Runs of one variant go to the cluster in tasks of ``batch`` runs (default
    :func:`batch_size`); each run still has its own key, row and journal line."""
    problem = folder_problem(out)
    if problem is not None:
        raise FolderError(problem)
    code = code_version()
    specs = list(runs_of(sweep))
    journal = out / JOURNAL
    done = read_journal(journal)
    todo: dict[str, RunSpec] = {}
    for spec in specs:
        row = done.get(spec.key)
        if row is None or (retry_failed and row.get("status") != "ok"):
            todo.setdefault(spec.key, spec)
    reused = len({s.key for s in specs} - set(todo))
    variants = {v.index: v for v in sweep.variants}
    begun = up = time.perf_counter()
    dashboard = None
    count = 0
    if todo:
        with cluster_client(scheduler, workers) as client:
            _start_folder(out, sweep, code, len(specs))
            up = time.perf_counter()
            count = worker_count(client)
            dashboard = dashboard_of(client)
            started(len(todo), count, dashboard)
            with journal_writer(journal) as stream:
                _run_on(client, todo, variants, code, done, stream, advance, batch, window)
            seconds = time.perf_counter() - up
    else:
        _start_folder(out, sweep, code, len(specs))
        seconds = 0.0
    rows = [{**done[s.key], **inputs_of(variants[s.variant], s)} for s in specs]
    parameters = [*sweep.grid_keys, *(d.key for d in sweep.draws)]
    table = out / TABLES[form]
    write_table(rows, parameters, table, form)
    summary = summarise(sweep, rows)
    _write_summary(out, summary)
    failed = sum(1 for r in rows if r["status"] != "ok")
    return SweepRun(
        rows, summary, len(todo), reused, failed, seconds, up - begun, count, dashboard, table
    )


def _run_on(
    client: Any,
    todo: dict[str, RunSpec],
    variants: dict[int, Variant],
    code: str,
    done: dict[str, dict[str, Any]],
    stream: IO[str],
    advance: Callable[[], object],
    batch: int | None,
    window: int | None,
) -> None:
    """Every run of ``todo`` on ``client``'s cluster, each row journalled as it comes."""
    count = max(worker_count(client), 1)
    needed = sorted({s.variant for s in todo.values()})
    scattered = client.scatter([variants[i] for i in needed], hash=False)
    shared = dict(zip(needed, scattered, strict=True))

    def finished(batch: tuple[RunSpec, ...], rows: Any, error: BaseException | None) -> None:
        if not isinstance(rows, list) or len(rows) != len(batch):
            rows = [rows] * len(batch)
        for spec, row in zip(batch, rows, strict=True):
            checked = _checked(variants[spec.variant], spec, row, error, code)
            done[spec.key] = checked
            append(stream, checked)
            advance()

    run_tasks(
        client,
        run_batch,
        batches(todo.values(), batch or batch_size(len(todo), count)),
        arguments=lambda runs: (shared[runs[0].variant], runs),
        key=lambda runs: f"zle-runs-{runs[0].key}-{len(runs)}",
        done=finished,
        window=window or max(16, 8 * count),
    )


TASKS_PER_WORKER = 40
MAX_BATCH = 50


def batch_size(runs: int, workers: int) -> int:
    """Runs per task: about :data:`TASKS_PER_WORKER` tasks per worker (enough to balance
    the load and show progress), at most :data:`MAX_BATCH` runs each. Dask spends a few
    milliseconds of the scheduler's and the client's time per task, as much as a short
    run takes: a task of many runs makes that cost small against the work."""
    return max(1, min(MAX_BATCH, runs // (TASKS_PER_WORKER * max(workers, 1))))


def batches(specs: Iterable[RunSpec], size: int) -> Iterator[tuple[RunSpec, ...]]:
    """``specs`` in tasks of at most ``size`` runs, each of a single variant."""
    batch: list[RunSpec] = []
    for spec in specs:
        if batch and (len(batch) == size or spec.variant != batch[0].variant):
            yield tuple(batch)
            batch = []
        batch.append(spec)
    if batch:
        yield tuple(batch)


def _checked(
    variant: Variant, spec: RunSpec, row: Any, error: BaseException | None, code: str
) -> dict[str, Any]:
    """The row of a finished task, or a failed row saying why there is none."""
    if error is None and isinstance(row, dict) and row.get("code") == code:
        return row
    failed = {**inputs_of(variant, spec), "status": "failed", "code": code}
    if error is not None:
        failed["error"] = f"the cluster lost the task: {type(error).__name__}: {error}"
    elif isinstance(row, dict):
        failed["worker"] = row.get("worker")
        failed["error"] = (
            f"the worker runs other code (version {row.get('code')}, this client {code}): "
            "install the same version of zero-loss-engine on every worker"
        )
    else:
        failed["error"] = f"the task returned {type(row).__name__}, not a row"
    return failed


def _start_folder(out: Path, sweep: Sweep, code: str, runs: int) -> None:
    """The folder and its manifest: written only once the cluster is reached, so that a
    sweep that cannot start leaves nothing behind."""
    out.mkdir(parents=True, exist_ok=True)
    _write_manifest(out, sweep, code, runs)


def _write_manifest(out: Path, sweep: Sweep, code: str, runs: int) -> None:
    manifest = {
        MARKER: 1,
        "name": sweep.name,
        "file": str(sweep.file),
        "code": code,
        "runs": runs,
        "policies": list(sweep.policies),
        "seeds": len(sweep.seeds),
        "variants": [
            {"index": v.index, "scenario": v.scenario_label, "parameters": dict(v.values)}
            for v in sweep.variants
        ],
    }
    write_text(out / MANIFEST, json.dumps(manifest, indent=1, default=str) + "\n")


def _write_summary(out: Path, summary: list[dict[str, Any]]) -> None:
    write_text(out / "summary.json", json.dumps(summary, indent=1, default=str) + "\n")
    rows = [flat(entry) for entry in summary]
    names = list(dict.fromkeys(name for row in rows for name in row))
    with replaced(out / "summary.csv") as temporary:
        _csv_rows(temporary, names, rows)


def _csv_rows(target: Path, names: list[str], rows: list[dict[str, Any]]) -> None:
    with open(target, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
