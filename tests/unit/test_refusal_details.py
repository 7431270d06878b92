"""Refusal details follow one scheme (REFUSAL-DETAIL in ``spec/actions.md``).

A detail is a path rooted in where the deciding thing lives (``action.amount``,
``params.dust``, ``state.pool.cash``, ``formula.chost``), or several joined by commas.
Checked twice: on every literal the model's source passes as a detail or an arithmetic
label, and on every refusal of the conformance vectors.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from crosscheck.vectors import generate_all

ROOT = Path(__file__).resolve().parents[2]
ROOTS = r"(?:action|params|position|auction|state|formula|system|market\.[A-Za-z0-9_-]+)"
"""Where a detail is rooted; ``system.`` and ``market.<id>.`` are the many-markets layer's."""
PATH = rf"{ROOTS}(?:\.[a-z_]+)+"
DETAIL = re.compile(rf"{PATH}(?:,{PATH})*")
KERNELS = {
    "refuse",
    "overflow",
    "underflow",
    "division_by_zero",
    "add",
    "sub",
    "mul",
    "mul_div_up",
    "mul_div_down",
    "rmul_up",
    "rmul_down",
    "rmul_dss",
    "rdiv_up",
    "rdiv_down",
    "wmul_up",
    "wmul_down",
}
"""Functions whose string argument is a refusal detail or an arithmetic fault's label."""


def _details_in_source() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / "model").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in KERNELS:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((str(path.relative_to(ROOT)), node.lineno, arg.value))
                elif isinstance(arg, ast.JoinedStr):
                    head = arg.values[0]
                    text = head.value if isinstance(head, ast.Constant) else ""
                    found.append((str(path.relative_to(ROOT)), node.lineno, f"{text}x"))
    return found


@pytest.mark.covers("REFUSAL-DETAIL")
def test_every_detail_in_the_model_source_is_a_path() -> None:
    found = _details_in_source()
    assert len(found) > 150, "the scan found too few details: did the kernels move?"
    wrong = [f"{path}:{line}: {text!r}" for path, line, text in found if not DETAIL.fullmatch(text)]
    assert not wrong, "details outside the scheme:\n" + "\n".join(wrong)


@pytest.mark.covers("REFUSAL-DETAIL")
def test_every_refusal_of_the_vectors_names_a_path(tmp_path: Path) -> None:
    generate_all(tmp_path / "vectors")
    details = [
        json.loads(file.read_text(encoding="utf-8")).get("detail", "")
        for file in (tmp_path / "vectors").rglob("refusal.json")
    ]
    assert len(details) > 100
    wrong = sorted({d for d in details if not DETAIL.fullmatch(d)})
    assert not wrong, f"vector refusals outside the scheme: {wrong}"


@pytest.mark.parametrize(
    "text", ["amount", "action.", "Action.amount", "params.tail or cusp", "formula.lot at floor"]
)
def test_the_scheme_rejects_prose(text: str) -> None:
    assert not DETAIL.fullmatch(text)
