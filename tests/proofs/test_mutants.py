"""The proof suite has teeth: its obligations kill the catalogued mutants of the model,
and its canaries (false claims) come back refuted with a concrete witness.

The kill check runs every mutant that has killers against them (about a minute on two
cores). ``ZLE_ALL_MUTANTS=1`` also checks that the documented survivors (equivalent
mutants, known gaps) still survive, so that the catalogue is updated when a new
obligation starts killing one.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from proofs.mutants.apply import resolve, run, universe
from proofs.mutants.catalogue import MUTANTS, ROOT, Mutant, check, occurrences
from proofs.mutants.matrix import Report, run_matrix
from proofs.obligation import Verdict
from proofs.obligations import canaries
from proofs.runner import discharge_all
from zle.main import cli

ALL = os.environ.get("ZLE_ALL_MUTANTS") == "1"
JOBS = max(1, min(len(os.sched_getaffinity(0)), 4))

pytestmark = pytest.mark.xdist_group("mutants")
"""One worker runs this module (``--dist loadgroup``), so the report fixture runs once."""

CHECKED = [m for m in MUTANTS if m.killers]
SURVIVORS = [m for m in MUTANTS if not m.killers] if ALL else []


# --- (a) the catalogue has not rotted ---------------------------------------------------


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_original_occurs_exactly_once(mutant: Mutant) -> None:
    assert occurrences(mutant) == 1, f"{mutant.file} changed: update mutant {mutant.id}"


def test_catalogue_is_consistent() -> None:
    assert check() == []
    assert len(MUTANTS) >= 30


@pytest.mark.parametrize("mutant", [m for m in MUTANTS if m.killers], ids=lambda m: m.id)
def test_killers_name_obligations(mutant: Mutant) -> None:
    """Every killer selector still matches some obligation (names do not rot either)."""
    everything = universe()
    dangling = [s for s in mutant.killers if not resolve((s,), everything)]
    assert dangling == [], f"{mutant.id}: killers match no obligation: {dangling}"


# --- (b) the declared killers kill ------------------------------------------------------


@functools.cache
def _matrix() -> Report:
    return run_matrix([*CHECKED, *SURVIVORS], scope="killers", jobs=JOBS, timeout=1800)


@pytest.fixture(scope="module")
def report() -> Report:
    """Computed once per worker process: pytest-xdist may run other modules' tests between
    this module's on the same worker, which tears a module fixture down and sets it up
    again (that re-ran the whole matrix, several minutes each time)."""
    return _matrix()


@pytest.mark.parametrize("mutant", CHECKED, ids=lambda m: m.id)
def test_killers_kill(report: Report, mutant: Mutant) -> None:
    outcome = next(o for o in report.outcomes if o.mutant.id == mutant.id)
    assert outcome.run.status == "ran", f"{mutant.id}: {outcome.run.status} {outcome.run.detail}"
    assert outcome.killed, f"{mutant.id} survived {len(outcome.names)} killer obligations"


@pytest.mark.skipif(not ALL, reason="set ZLE_ALL_MUTANTS=1")
@pytest.mark.parametrize("mutant", [m for m in MUTANTS if not m.killers], ids=lambda m: m.id)
def test_documented_survivors_survive(report: Report, mutant: Mutant) -> None:
    outcome = next(o for o in report.outcomes if o.mutant.id == mutant.id)
    assert outcome.names, f"{mutant.id}: exercised_by matches no obligation"
    assert not outcome.killed, (
        f"{mutant.id} is now killed by {outcome.killed_by[:3]}: move it to killers"
    )


def test_baseline_passes_the_killers(report: Report) -> None:
    """A killer that fails on the unmodified model would kill every mutant for free."""
    assert report.baseline_failing == []


def test_import_breaking_mutant_is_killed_at_import() -> None:
    broken = Mutant(
        id="test-import-broken",
        description="a name used at import time is misspelt",
        file="model/numbers/fixed_point.py",
        original="RAY: int = 10**27",
        replacement="RAY: int = 10**WAD_DIGITS",
        requirement_ids=(),
        killers=("CONSERVE-QUOTE/gen1/Repay",),
    )
    outcome = run(broken, ["CONSERVE-QUOTE/gen1/Repay"], timeout=300)
    assert outcome.kill() == "import"
    assert "WAD_DIGITS" in outcome.detail
    assert occurrences(broken, ROOT) == 1  # the real model is untouched


# --- (c) the canaries are refuted -------------------------------------------------------


def test_canaries_are_refuted() -> None:
    obligations = canaries.obligations()
    assert len(obligations) >= 4
    results = discharge_all(obligations)
    for result in results:
        name = result.obligation.name
        assert result.verdict is Verdict.REFUTED, f"{name}: {result.verdict.value} {result.detail}"
        assert result.witness is not None and result.concrete is not None, name
        # the runner replayed the witness through the engine; check the claim fails there
        assert not result.obligation.claim(result.concrete), name


# --- (d) the command line ---------------------------------------------------------------


def test_zle_mutants_reports_a_kill_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "mutants.json"
    result = CliRunner().invoke(
        cli, ["mutants", "--only", "supply-cash-not-credited", "--jobs", "1", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "kill rate 1/1 = 100%" in result.output
    (entry,) = json.loads(out.read_text())["mutants"]
    assert entry["id"] == "supply-cash-not-credited" and entry["kill"] == "counterexample"


def test_zle_mutants_rejects_an_unknown_id() -> None:
    result = CliRunner().invoke(cli, ["mutants", "--only", "no-such-mutant"])
    assert result.exit_code == 2
    assert "unknown mutant ids: no-such-mutant" in result.output
