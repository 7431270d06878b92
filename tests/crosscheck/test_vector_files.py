"""The vector directory as files a user owns: ``vectors generate`` never deletes what it
did not write, and ``vectors check`` reports broken vectors as bad input (exit 2),
never as the implementation's failure."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crosscheck.vectors import generate
from crosscheck.vectors.case import ListSource
from crosscheck.vectors.constructed import ConstructedCases
from crosscheck.vectors.examples import ExampleCases
from zle.main import cli

MODEL = ["--impl", "crosscheck.adapter:model"]


def small_set(target: Path, force: bool = False) -> None:
    """A few operation vectors and the worked-example sequences: quick to write."""
    cases = (*tuple(ConstructedCases().cases())[:4], *ExampleCases().cases())
    generate(target, [ListSource("small", cases)], [], force)


def check(directory: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["vectors", "check", str(directory), *MODEL, *extra])


@pytest.fixture()
def vectors_copy(vectors_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "v"
    shutil.copytree(vectors_dir, copy)
    return copy


# --- generate -----------------------------------------------------------------------


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_generate_refuses_a_foreign_manifest_and_foreign_files(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "manifest.json").write_text('{"name": "my project"}')
    (mine / "notes").mkdir()
    (mine / "notes" / "todo.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["vectors", "generate", str(mine)])
    assert result.exit_code == 2 and "zle_vectors" in result.output
    assert (mine / "notes" / "todo.txt").read_text() == "keep me"
    assert json.loads((mine / "manifest.json").read_text()) == {"name": "my project"}

    ours = tmp_path / "ours"
    small_set(ours)
    (ours / "notes.txt").write_text("keep me too")
    result = CliRunner().invoke(cli, ["vectors", "generate", str(ours)])
    assert result.exit_code == 2 and "notes.txt" in result.output
    assert (ours / "notes.txt").read_text() == "keep me too"


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_force_writes_beside_a_users_files_and_deletes_none(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / "manifest.json").write_text("{}")
    small_set(target, force=True)
    assert (target / "notes.txt").read_text() == "mine"
    assert json.loads((target / "manifest.json").read_text())["zle_vectors"] == 2
    assert not [p for p in target.iterdir() if p.name.startswith(".")]


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_our_own_vectors_are_replaced_in_place(tmp_path: Path) -> None:
    target = tmp_path / "v"
    small_set(target)
    stale = next(target.glob("gen*/operations/*/*/"))
    (stale / "meta.json").write_text("stale")
    small_set(target)
    assert json.loads((stale / "meta.json").read_text())["outcome"]
    assert sorted(p.name for p in target.iterdir()) == ["gen1", "gen2", "gen3", "manifest.json"]


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_generate_into_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    small_set(Path("."))
    small_set(Path("."))  # again: ours now, replaced without renaming the directory itself
    assert (here / "manifest.json").exists() and Path.cwd() == here
    assert not [p for p in here.iterdir() if p.name.startswith(".")]


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_generate_under_a_file_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(cli, ["vectors", "generate", str(tmp_path / "file" / "v")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# --- check: broken vectors are bad input ----------------------------------------------


def _first(directory: Path, pattern: str) -> Path:
    return sorted(directory.glob(pattern))[0]


def _remove_trace(v: Path) -> None:
    (_first(v, "*/sequences/*/") / "trace.jsonl").unlink()


def _remove_meta(v: Path) -> None:
    (_first(v, "*/operations/*/*/") / "meta.json").unlink()


def _garbage_meta(v: Path) -> None:
    (_first(v, "*/operations/*/*/") / "meta.json").write_text("garbage")


def _case_replaced_by_a_file(v: Path) -> None:
    case = _first(v, "*/operations/*/*/")
    shutil.rmtree(case)
    case.write_text("")


def _refusal_removed(v: Path) -> None:
    _first(v, "*/operations/*/*/refusal.json").unlink()


def _refusal_added(v: Path) -> None:
    case = _first(v, "*/operations/*/*/post.json").parent
    (case / "refusal.json").write_text('{"error": "DUST"}')


def _deeply_nested(v: Path) -> None:
    (_first(v, "*/operations/*/*/") / "pre.json").write_text("[" * 100_000 + "]" * 100_000)


def _five_thousand_digits(v: Path) -> None:
    action = _first(v, "*/operations/supply_liquidity/*/action.json")
    obj = json.loads(action.read_text())
    obj["SupplyLiquidity"]["amount"] = "9" * 5000
    action.write_text(json.dumps(obj))


def _huge_integer(v: Path) -> None:
    (_first(v, "*/operations/*/*/") / "config.json").write_text("9" * 5000)


def _case_added(v: Path) -> None:
    shutil.copytree(_first(v, "*/operations/*/*/"), v / "gen1" / "operations" / "borrow" / "new")


def _case_deleted(v: Path) -> None:
    shutil.rmtree(_first(v, "*/sequences/*/"))


BREAKAGES: dict[str, Callable[[Path], None]] = {
    "missing trace.jsonl": _remove_trace,
    "missing meta.json": _remove_meta,
    "garbage meta.json": _garbage_meta,
    "case folder replaced by a file": _case_replaced_by_a_file,
    "missing refusal.json": _refusal_removed,
    "extra refusal.json": _refusal_added,
    "deep nesting": _deeply_nested,
    "a 5,000-digit string": _five_thousand_digits,
    "a 5,000-digit integer": _huge_integer,
    "an unlisted case": _case_added,
    "a deleted case": _case_deleted,
}


@pytest.mark.covers("CONFORMANCE-VECTORS")
@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_broken_vectors_are_bad_vectors_not_failures(vectors_copy: Path, breakage: str) -> None:
    BREAKAGES[breakage](vectors_copy)
    result = check(vectors_copy)
    assert result.exit_code == 2, result.output
    assert "bad vectors" in result.output and "Traceback" not in result.output
    assert "passed" not in result.output  # nothing ran


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_every_broken_case_is_listed_at_once(vectors_copy: Path) -> None:
    _remove_meta(vectors_copy)
    _remove_trace(vectors_copy)
    _refusal_removed(vectors_copy)
    result = check(vectors_copy, "--json", "-")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    assert len(problems) == 3 and problems == sorted(problems)


class Exits:
    """An adapter that leaves the process instead of answering."""

    def reset(self, config: object, state: object) -> None:
        raise SystemExit(0)

    def apply(self, action: object) -> object:
        raise SystemExit(0)

    def observe(self) -> object:
        raise SystemExit(0)


def exits() -> Exits:
    return Exits()


def exits_at_once() -> Exits:
    raise SystemExit(0)


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_an_adapter_calling_sys_exit_is_caught_and_reported(tmp_path: Path) -> None:
    small_set(tmp_path / "v")
    runner = CliRunner()
    impl = "tests.crosscheck.test_vector_files:exits"
    result = runner.invoke(cli, ["vectors", "check", str(tmp_path / "v"), "--impl", impl])
    assert result.exit_code == 1 and "sys.exit(0)" in result.output
    assert "0 passed" in result.output
    factory = "tests.crosscheck.test_vector_files:exits_at_once"
    result = runner.invoke(cli, ["vectors", "check", str(tmp_path / "v"), "--impl", factory])
    assert result.exit_code == 2 and "sys.exit(0)" in result.output


@pytest.mark.covers("CONFORMANCE-VECTORS")
def test_check_json_is_one_document(tmp_path: Path) -> None:
    small_set(tmp_path / "v")
    out = tmp_path / "report.json"
    result = check(tmp_path / "v", "--json", str(out))
    assert result.exit_code == 0
    document = json.loads(out.read_text())
    assert document["summary"]["failed"] == 0
    # one object per case, as --help promises, every one passed
    assert len(document["cases"]) == document["summary"]["passed"]
    assert all(case["passed"] for case in document["cases"])
    assert document["summary"]["passed"] > 4
