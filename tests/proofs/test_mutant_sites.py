"""Every directed-rounding call in ``model/`` has its mutant, and each mutant its killers.

The generated catalogue (``proofs.mutants.generated``) comes from an ``ast`` scan of the
source; here the call sites are counted a second, independent way (the tokens of each
file), so a scanner that misses a call fails. A call site in a function with no declared
killers fails ``test_the_catalogue_is_consistent``: a new site cannot slip in unchecked.

The kill check runs a sample of the generated mutants that have cheap killers (one per
model file, about half a minute on one core); ``ZLE_ALL_MUTANTS=1`` and ``make mutants``
(through ``zle mutants``) run them all.
"""

from __future__ import annotations

import ast
import io
import os
import shutil
import tokenize
from pathlib import Path

import pytest

from proofs.mutants.apply import resolve, universe
from proofs.mutants.catalogue import ROOT, Mutant, check
from proofs.mutants.generated import CATALOGUE, GENERATED, generated
from proofs.mutants.matrix import Report, run_matrix
from proofs.mutants.sites import DIRECTED, KINDS, scan, splice

ALL = os.environ.get("ZLE_ALL_MUTANTS") == "1"
JOBS = max(1, min(len(os.sched_getaffinity(0)), 4))
EXPENSIVE_TASKS = ("step/gen3/Kick", "step/gen3/Take", "predictive/")
"""Tasks of a minute or more on one core (a key or a key prefix; the pre-liquidation and
steward tasks explore a symbolic steward record): left to ``ZLE_ALL_MUTANTS=1`` /
``make mutants``."""

pytestmark = pytest.mark.xdist_group("mutant-sites")
"""One worker runs this module (``--dist loadgroup``), so the sample runs once."""


def _calls_by_tokens(root: Path) -> int:
    """Calls of a directed-rounding helper in ``root/model``: a helper's name followed by
    ``(``, not after ``def`` (strings and comments are not tokens of this kind)."""
    count = 0
    for path in sorted((root / "model").rglob("*.py")):
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
            if t.type in (tokenize.NAME, tokenize.OP)
        ]
        for before, name, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
            if name.string in DIRECTED and after.string == "(" and before.string != "def":
                count += 1
    return count


def test_every_rounding_call_site_has_a_mutant() -> None:
    sites = scan(ROOT, ("rounding",))
    assert len(sites) == _calls_by_tokens(ROOT) >= 70
    rounding = [m for m in GENERATED if m.kind == "rounding"]
    assert sorted(m.id for m in rounding) == sorted(s.id for s in sites)


def test_the_catalogue_is_consistent() -> None:
    """Every mutant applies where it says, and has killers or a reason it survives."""
    assert check(CATALOGUE) == []
    assert len({m.id for m in CATALOGUE}) == len(CATALOGUE)


def test_a_new_call_site_gets_a_mutant_and_fails_until_it_has_killers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "model", tmp_path / "model")
    loss = tmp_path / "model" / "loss.py"
    loss.write_text(
        loss.read_text() + "\n\ndef _new_share(x: int) -> int:\n    return rmul_up(x, 3)\n"
    )
    added = [m for m in generated(tmp_path) if m.id == "round:loss._new_share:rmul_up"]
    assert len(added) == 1 and not added[0].killers
    problems = check(tuple(added), tmp_path)
    assert problems == [f"{added[0].id}: no killers and no exercised_by tasks"]
    assert "proofs/mutants/killers.py" in added[0].gap


@pytest.mark.parametrize("kind", KINDS)
def test_every_site_of_every_kind_splices_into_valid_python(kind: str) -> None:
    """The scanner's positions are right: each edit lands on its original and parses."""
    sites = scan(ROOT, (kind,))
    assert sites
    texts: dict[str, str] = {}
    for site in sites:
        text = texts.setdefault(site.file, (ROOT / site.file).read_text())
        mutated = splice(text, site.line, site.column, site.original, site.replacement)
        assert mutated is not None and mutated != text, site.id
        ast.parse(mutated + site.appendix)


@pytest.mark.parametrize("mutant", GENERATED, ids=lambda m: m.id)
def test_generated_killers_name_obligations(mutant: Mutant) -> None:
    everything = universe()
    named = mutant.killers or mutant.exercised_by
    assert named, mutant.id
    dangling = [s for s in named if not resolve((s,), everything)]
    assert dangling == [], f"{mutant.id}: killers match no obligation: {dangling}"


def _cheap(mutant: Mutant) -> bool:
    everything = universe()
    tasks = {everything[n].task.key for n in resolve(mutant.killers, everything)}
    return not any(task.startswith(EXPENSIVE_TASKS) for task in tasks)


def _sample() -> list[Mutant]:
    """One generated mutant with cheap killers per model file (all of them with ``ALL``)."""
    killed = [m for m in GENERATED if m.killers]
    if ALL:
        return killed
    seen: set[str] = set()
    sample = []
    for m in killed:
        if m.file not in seen and _cheap(m):
            seen.add(m.file)
            sample.append(m)
    return sample


SAMPLE = _sample()


@pytest.fixture(scope="module")
def report() -> Report:
    return run_matrix(SAMPLE, scope="killers", jobs=JOBS, timeout=1800)


@pytest.mark.parametrize("mutant", SAMPLE, ids=lambda m: m.id)
def test_generated_killers_kill(report: Report, mutant: Mutant) -> None:
    outcome = next(o for o in report.outcomes if o.mutant.id == mutant.id)
    assert outcome.run.status == "ran", f"{mutant.id}: {outcome.run.status} {outcome.run.detail}"
    assert outcome.killed, f"{mutant.id} survived {len(outcome.names)} killer obligations"


def test_the_sample_baseline_passes(report: Report) -> None:
    assert report.baseline_failing == []


def test_zle_mutants_prints_the_count_against_the_scan() -> None:
    from zle.mutants import scan_summary

    line = scan_summary()
    assert f"{len(GENERATED)} generated" in line
    assert (
        f"finds {len(scan(ROOT, ('rounding',)))} rounding sites: every site has its mutant" in line
    )
