"""The mapping file: every problem of a bad one at once, by line and field (exit 2); a
revert the mapping does not name is reported as such, never as a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosscheck.adapter import load_implementation
from crosscheck.vectors.checking import load_vectors, run_case
from tests.evm.conftest import MAPPING
from tests.evm.faults import CONTRACTS
from zle.main import cli

pytestmark = pytest.mark.xdist_group("evm")


def mapping_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of contracts/ whose mapping has each (old, new) edit applied once."""
    for source in CONTRACTS.glob("*.vy"):
        shutil.copy(source, tmp_path / source.name)
    text = MAPPING.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def check(mapping: Path, vectors: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["vectors", "check", str(vectors), "--impl", f"evm:{mapping}", "--no-progress"]
    )
    return result.exit_code, result.output


def test_every_problem_of_a_mapping_at_once(tmp_path: Path, vectors_dir: Path) -> None:
    mapping = mapping_with(
        tmp_path,
        ('Kick = { call = "kick", sender = "keeper"', 'Kik = { call = "kick", sender = "keeper"'),
        ('Redo = { call = "redo", sender = "keeper"', 'Redo = { call = "redo", sender = "bidder"'),
        ('"Vat/dust" = "DUST"', '"Vat/dust" = "DUSTY"'),
        ('unbacked = { get = "unbacked", set = "load_unbacked" }\n', ""),
    )
    status, output = check(mapping, vectors_dir)
    assert status == 2, output
    assert f"{mapping}:{line_of(mapping, 'Kik =')}: actions.Kik: 'Kik' is not an action" in output
    assert f"{mapping}:{line_of(mapping, 'Redo =')}: actions.Redo.sender:" in output
    assert f"{mapping}:{line_of(mapping, 'Vat/dust')}: reverts.Vat/dust: 'DUSTY'" in output
    assert "state.unbacked: missing" in output
    assert "Traceback" not in output


def test_a_toml_error_names_its_line(tmp_path: Path, vectors_dir: Path) -> None:
    mapping = mapping_with(tmp_path, ("[ids]", "[ids"))
    status, output = check(mapping, vectors_dir)
    assert status == 2 and f"{mapping}:{line_of(mapping, '[ids')}: toml:" in output


def test_a_call_the_contract_lacks(tmp_path: Path, vectors_dir: Path) -> None:
    mapping = mapping_with(
        tmp_path,
        ('call = "borrow", sender', 'call = "draw", sender'),
        ('["auction", "amount", "max_price"]', '["auction", "amount"]'),
    )
    status, output = check(mapping, vectors_dir)
    assert status == 2, output
    assert (
        f"{mapping}:{line_of(mapping, 'Borrow =')}: actions.Borrow.call: no function 'draw'"
        in output
    )
    assert "take takes 3 argument(s); the mapping passes 2" in output


def test_an_unnamed_revert_is_reported_not_raised(tmp_path: Path, vectors_dir: Path) -> None:
    mapping = mapping_with(tmp_path, ('"Vat/dust" = "DUST"\n', ""))
    implementation = load_implementation(f"evm:{mapping}")
    borrows = [c for c in load_vectors(vectors_dir) if "/operations/borrow/" in c.name]
    results = {r.case: r for r in (run_case(c, implementation) for c in borrows)}
    dust = results["gen2/operations/borrow/borrow_dust"]
    assert "Borrow: the contract reverted with 'Vat/dust', which the mapping" in dust.error
    failed = [r.case for r in results.values() if not r.passed and not r.skipped]
    assert failed == [dust.case]


def test_a_missing_source(tmp_path: Path, vectors_dir: Path) -> None:
    mapping = mapping_with(tmp_path, ('source = "auction_house_harness.vy"', 'source = "nope.vy"'))
    status, output = check(mapping, vectors_dir)
    assert status == 2 and f"{mapping}:{line_of(mapping, 'source =')}: contract.source:" in output
