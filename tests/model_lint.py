"""A small AST lint that keeps ``model/`` pure and inside the symbolic-safe subset.

Pure (ENGINE-PURITY): only an allow-list of imports (no I/O, clock, randomness, OS),
no ``global``/``nonlocal``, no ``open``/``print``/``input``/``eval``/``exec``.

Symbolic-safe (ENGINE-SYMBOLIC-SUBSET), so that ``proofs/`` can run the unmodified
engine on symbolic integers: no ``while`` loops (every loop has a concrete bound), no
floats, no ``hash``, and ``//`` or ``%`` only inside ``model/numbers/`` (the one place
that divides). Modules that only ever see concrete values (parameter presets and
validation) are listed in ``CONCRETE_ONLY`` and exempt from the symbolic rules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import attrs

MODEL = Path(__file__).resolve().parent.parent / "model"

ALLOWED_IMPORTS = {
    "__future__",
    "attrs",
    "collections.abc",
    "enum",
    "immutables",
    "typing",
}
FORBIDDEN_CALLS = {"open", "print", "input", "eval", "exec", "compile", "__import__", "hash"}
DIVISION_HOME = "numbers"
CONCRETE_ONLY = {"params/presets.py", "params/validation.py"}


@attrs.frozen
class Finding:
    path: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}"


def _module_allowed(name: str) -> bool:
    return name == "model" or name.startswith("model.") or name in ALLOWED_IMPORTS


def lint_source(source: str, relative: str) -> Iterator[Finding]:
    """Findings for one module of ``model/`` given as source text and path under model/."""
    tree = ast.parse(source)
    concrete_only = relative in CONCRETE_ONLY
    may_divide = relative.split("/")[0] == DIVISION_HOME
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _module_allowed(alias.name):
                    yield Finding(relative, line, f"impure import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and not _module_allowed(node.module or ""):
                yield Finding(relative, line, f"impure import {node.module}")
        elif isinstance(node, ast.Global | ast.Nonlocal):
            yield Finding(relative, line, "global state")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FORBIDDEN_CALLS
        ):
            yield Finding(relative, line, f"forbidden call {node.func.id}()")
        if concrete_only:
            continue
        if isinstance(node, ast.While):
            yield Finding(relative, line, "while loop (loops need a concrete bound)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, float):
            yield Finding(relative, line, "float literal")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "float":
                yield Finding(relative, line, "float()")
        elif (
            isinstance(node, ast.BinOp | ast.AugAssign)
            and isinstance(node.op, ast.FloorDiv | ast.Mod)
            and not may_divide
        ):
            yield Finding(relative, line, "division outside model/numbers/")


def lint_model(root: Path = MODEL) -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        findings.extend(lint_source(path.read_text(), relative))
    return findings
