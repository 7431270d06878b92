"""Reading the requirement index of ``spec/requirements.md`` and who covers each ID.

Coverage comes from two places: tests marked ``@pytest.mark.covers("ID", ...)`` (found by
reading the test sources, so a partial test run does not change the answer) and proof
obligations (``proofs.registry.OBLIGATIONS``).
"""

from __future__ import annotations

import ast
import importlib
import re
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
    code: tuple[str, ...]
    """Where it is implemented: ``path`` or ``path::name``, relative to the project root."""


def read_index(path: Path = INDEX) -> list[Requirement]:
    rows = []
    for line in path.read_text().splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6:
            raise ValueError(f"{path.name}: malformed row: {line}")
        rows.append(
            Requirement(
                id=cells[0].strip("`"),
                kind=cells[1],
                policies=tuple(cells[2].split()),
                text=cells[3],
                defined_in=tuple(cells[4].split()),
                code=tuple(location.strip("`") for location in cells[5].split()),
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


SOURCE_TREES = ("model", "simulation", "crosscheck", "zle", "proofs")
"""Where requirements are implemented and where docstrings may name them."""

ID_LIKE = re.compile(r"(?<![A-Za-z0-9_-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)(?![A-Za-z0-9_-])")
"""An upper-case word with hyphens, as every requirement ID is."""

NOT_IDS = frozenset(
    {"ETH-A", "UTF-8", "UTF-16", "ISO-8601", "SMT-LIB", "A-Z", "EIP-2200", "EIP-2929"}
)
"""Words that look like IDs and are not: a dss ilk, encodings, standards (Ethereum EIPs)."""


def docstrings(path: Path) -> dict[str, str]:
    """``""`` (the module) and every function's or class's name -> its docstring."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = {"": ast.get_docstring(tree) or ""}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.setdefault(node.name, "")
            found[node.name] += ast.get_docstring(node) or ""
    return found


def ids_named_in_docstrings() -> dict[str, list[str]]:
    """Every ID-like word in a docstring of the source trees -> where (``path::name``)."""
    named: dict[str, list[str]] = {}
    for tree in SOURCE_TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            relative = path.relative_to(ROOT)
            for name, doc in docstrings(path).items():
                for word in set(ID_LIKE.findall(doc)) - NOT_IDS:
                    where = f"{relative}::{name}" if name else str(relative)
                    named.setdefault(word, []).append(where)
    return named
