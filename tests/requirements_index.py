"""Reading the requirement index of ``spec/requirements.md`` and who covers each ID.

Coverage comes from two places: tests marked ``@pytest.mark.covers("ID", ...)`` (found by
reading the test sources, so a partial test run does not change the answer) and proof
obligations (``proofs.registry.OBLIGATIONS``).
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "spec" / "requirements.md"


@attrs.frozen
class Requirement:
    id: str
    kind: str
    policies: tuple[str, ...]
    text: str
    defined_in: tuple[str, ...]


def read_index(path: Path = INDEX) -> list[Requirement]:
    rows = []
    for line in path.read_text().splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5:
            raise ValueError(f"{path.name}: malformed row: {line}")
        rows.append(
            Requirement(
                id=cells[0].strip("`"),
                kind=cells[1],
                policies=tuple(cells[2].split()),
                text=cells[3],
                defined_in=tuple(cells[4].split()),
            )
        )
    return rows


def _covers_call_ids(node: ast.AST) -> Iterable[str]:
    """String arguments of every ``...covers(...)`` call under ``node``."""
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name != "covers":
            continue
        for arg in call.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield arg.value


def covered_by_tests(root: Path = ROOT / "tests") -> dict[str, list[str]]:
    """ID -> the test files that mark it."""
    covered: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for requirement_id in _covers_call_ids(tree):
            covered.setdefault(requirement_id, []).append(str(path.relative_to(ROOT)))
    return covered


def covered_by_proofs() -> dict[str, list[str]]:
    """ID -> the proof obligations that establish it."""
    registry = importlib.import_module("proofs.registry")
    covered: dict[str, list[str]] = {}
    for obligation in registry.OBLIGATIONS:
        for requirement_id in obligation.requirement_ids:
            covered.setdefault(requirement_id, []).append(obligation.name)
    return covered
