"""Every site of ``model/`` has its mutant, and each mutant its killers or the reason none
exists.

The generated catalogue (``proofs.mutants.generated``) comes from an ``ast`` scan of the
source: every directed-rounding call, every comparison of the code ``step`` runs, every
``minimum``/``maximum``. Here the sites are counted a second, independent way (the tokens
of each file), so a scanner that misses one fails. A site in a function with no declared
killers and no equivalence reason fails ``test_the_catalogue_is_consistent``: a new site
cannot slip in unchecked.

The kill check runs a sample of the generated mutants that have cheap killers (one per
kind per concern of ``model/``, about a minute on one core); ``ZLE_ALL_MUTANTS=1`` and
``make mutants`` (through ``zle mutants``) run them all.
"""

from __future__ import annotations

import ast
import functools
import io
import os
import shutil
import tokenize
from collections.abc import Collection
from pathlib import Path

import pytest

from proofs.mutants.apply import resolve, universe
from proofs.mutants.catalogue import ROOT, Mutant, check
from proofs.mutants.generated import CATALOGUE, GENERATED, generated
from proofs.mutants.matrix import Report, run_matrix
from proofs.mutants.sites import COMPARED, DIRECTED, EXTREMA, KINDS, scan, splice

ALL = os.environ.get("ZLE_ALL_MUTANTS") == "1"
JOBS = max(1, min(len(os.sched_getaffinity(0)), 4))
EXPENSIVE_TASKS = ("step/gen3/Kick", "step/gen3/Take", "predictive/")
"""Tasks of a minute or more on one core (a key or a key prefix; the pre-liquidation and
steward tasks explore a symbolic steward record): left to ``ZLE_ALL_MUTANTS=1`` /
``make mutants``."""

pytestmark = pytest.mark.xdist_group("mutant-sites")
"""One worker runs this module (``--dist loadgroup``), so the sample runs once."""


def _tokens(path: Path) -> list[tokenize.TokenInfo]:
    return [
        t
        for t in tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
        if t.type in (tokenize.NAME, tokenize.OP)
    ]


def _calls_by_tokens(root: Path, names: Collection[str]) -> int:
    """Calls of the functions ``names`` in ``root/model``: a name followed by ``(``, not
    after ``def`` (strings and comments are not tokens of this kind)."""
    count = 0
    for path in sorted((root / "model").rglob("*.py")):
        tokens = _tokens(path)
        for before, name, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
            if name.string in names and after.string == "(" and before.string != "def":
                count += 1
    return count


def _comparisons_by_tokens(root: Path) -> int:
    """``<``, ``<=``, ``>``, ``>=`` operators in the files whose comparisons are mutated."""
    count = 0
    for path in sorted((root / "model").rglob("*.py")):
        if path.relative_to(root).as_posix().startswith(COMPARED):
            count += sum(1 for t in _tokens(path) if t.string in ("<", "<=", ">", ">="))
    return count


def test_every_rounding_call_site_has_a_mutant() -> None:
    sites = scan(ROOT, ("rounding",))
    assert len(sites) == _calls_by_tokens(ROOT, DIRECTED) >= 70
    rounding = [m for m in GENERATED if m.kind == "rounding"]
    assert sorted(m.id for m in rounding) == sorted(s.id for s in sites)


def test_every_comparison_has_a_mutant() -> None:
    sites = scan(ROOT, ("comparison",))
    assert len(sites) == _comparisons_by_tokens(ROOT) >= 100
    comparisons = [m for m in GENERATED if m.kind == "comparison"]
    assert sorted(m.id for m in comparisons) == sorted(s.id for s in sites)


def test_every_min_and_max_argument_has_a_mutant() -> None:
    sites = scan(ROOT, ("extremum",))
    calls = {(s.file, s.line, s.column) for s in sites}
    assert len(calls) == _calls_by_tokens(ROOT, EXTREMA) >= 15
    assert len(sites) >= 2 * len(calls)
    extrema = [m for m in GENERATED if m.kind == "extremum"]
    assert sorted(m.id for m in extrema) == sorted(s.id for s in sites)


def test_the_catalogue_holds_every_kind() -> None:
    assert sorted({m.kind for m in GENERATED}) == sorted(KINDS)
    assert len(GENERATED) == len(scan(ROOT, KINDS))


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


def test_a_new_comparison_gets_a_mutant_and_fails_until_it_has_killers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "model", tmp_path / "model")
    loss = tmp_path / "model" / "loss.py"
    loss.write_text(
        loss.read_text()
        + "\n\ndef _new_rule(x: int) -> int:\n    return minimum(x, 3) if x < 3 else 0\n"
    )
    added = [m for m in generated(tmp_path) if m.id.split(":")[1] == "loss._new_rule"]
    assert sorted(m.kind for m in added) == ["comparison", "extremum", "extremum"]
    problems = check(tuple(added), tmp_path)
    assert problems == [f"{m.id}: no killers and no exercised_by tasks" for m in added]


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


def _concern(mutant: Mutant) -> str:
    """The part of ``model/`` a mutant is in: a package below ``model/policies`` or
    ``model/`` (``numbers``, ``rules``, ``gen3_zero_loss``), or a module (``loss``)."""
    parts = mutant.file.removeprefix("model/").removesuffix(".py").split("/")
    return parts[1] if parts[0] == "policies" and len(parts) > 1 else parts[0]


def _sample() -> list[Mutant]:
    """One generated mutant with cheap killers per kind per concern (all with ``ALL``)."""
    killed = [m for m in GENERATED if m.killers]
    if ALL:
        return killed
    seen: set[tuple[str, str]] = set()
    sample = []
    for m in killed:
        key = (m.kind, _concern(m))
        if key not in seen and _cheap(m):
            seen.add(key)
            sample.append(m)
    return sample


SAMPLE = _sample()


@functools.cache
def _matrix() -> Report:
    return run_matrix(SAMPLE, scope="killers", jobs=JOBS, timeout=1800)


@pytest.fixture(scope="module")
def report() -> Report:
    """Computed once per worker process: pytest-xdist may run other modules' tests between
    this module's on the same worker, which tears a module fixture down and sets it up
    again (that re-ran the whole matrix, several minutes each time)."""
    return _matrix()


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
    counts = ", ".join(f"{len(scan(ROOT, (kind,)))} {kind}" for kind in KINDS)
    assert f"finds {counts} sites: every site has its mutant" in line
