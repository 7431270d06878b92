"""A sweep on a real two-worker LocalCluster gives the table one worker gives; reruns
skip what is done; a run that fails is a row and the sweep goes on."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

from click.testing import CliRunner

from simulation.sweeps.execute import run_sweep
from simulation.sweeps.results import JOURNAL, read_table
from simulation.sweeps.spec import Sweep, load_sweep
from zle.main import cli

PER_RUN = ("seconds", "worker")
"""Columns that say how a run was executed, not what it found."""


def _load(path: Path) -> Sweep:
    with ExitStack() as stack:
        return load_sweep(path, stack)


def _what(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in row.items() if k not in PER_RUN} for row in rows]


def test_two_workers_give_the_table_of_one(small_sweep: Path, tmp_path: Path) -> None:
    sweep = _load(small_sweep)
    assert sweep.runs == 2 * 4 * 3
    one = run_sweep(sweep, tmp_path / "one", workers=1)
    two = run_sweep(sweep, tmp_path / "two", workers=2)
    assert (one.workers, two.workers) == (1, 2)
    assert one.failed == two.failed == 0 and one.ran == two.ran == sweep.runs
    assert _what(read_table(one.table)) == _what(read_table(two.table))
    assert one.summary == two.summary
    assert {r["worker"] for r in two.rows} != {r["worker"] for r in one.rows}
    # the runs are Monte Carlo draws: the seeds' paths differ, and so do the losses
    assert len({r["path_end_return"] for r in one.rows}) == 4
    assert len({r["total_loss"] for r in one.rows if r["policy"] == "gen3"}) > 1


def test_a_rerun_skips_what_is_done(small_sweep: Path, tmp_path: Path) -> None:
    sweep = _load(small_sweep)
    out = tmp_path / "out"
    first = run_sweep(sweep, out, workers=1, form="csv")
    journal = out / JOURNAL
    lines = journal.read_text().splitlines()
    # a sweep stopped part-way: five runs never finished, the last line torn
    journal.write_text("\n".join(lines[:-5]) + "\n" + lines[-5][:40])
    again = run_sweep(sweep, out, workers=1, form="csv")
    assert (again.ran, again.reused) == (5, sweep.runs - 5)
    assert _what(read_table(again.table)) == _what(read_table(first.table))
    done = run_sweep(sweep, out, workers=1, form="csv")
    assert (done.ran, done.reused, done.workers) == (0, sweep.runs, 0)


def test_a_failing_run_is_a_row_and_the_sweep_goes_on(small_sweep: Path, tmp_path: Path) -> None:
    # gen 2 opens no position below its 1.45 ratio: each of its runs fails at set-up
    text = small_sweep.read_text().replace(
        "population.count = 12",
        "population.count = 12\npopulation.min_ratio = 1.35\npopulation.median_ratio = 1.4",
    )
    text = text.replace("[1.25, 1.3]", "[1.25]")
    small_sweep.write_text(text)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["sweep", str(small_sweep), "--out", str(out), "--workers", "1", "--json", "-"]
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["failed"] == 4 and report["ran"] == 12
    rows = read_table(out / "runs.parquet")
    failed = [r for r in rows if r["status"] == "failed"]
    assert {r["policy"] for r in failed} == {"gen2"}
    assert all("SimulationError" in r["error"] and "Traceback" in r["error"] for r in failed)
    assert all(r["seed"] in range(4) and r["params.gen3.liquidation_ratio"] for r in failed)
    ok = [r for r in rows if r["status"] == "ok"]
    assert len(ok) == 8 and all(r["total_loss"] is not None for r in ok)
    gen2 = next(e for e in report["summary"] if e["policy"] == "gen2")
    assert (gen2["runs"], gen2["failed"]) == (0, 4)
