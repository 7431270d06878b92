"""The generated mutants: one fault per mutation site, found by scanning ``model/``.

Three kinds of site, each a fault a port or a refactor makes without noticing:

- **rounding**: every call of a directed-rounding helper (``mul_div_up``/``_down``,
  ``rmul_``, ``rdiv_``, ``wmul_``, and dss's ``rmul_dss``), anywhere in ``model/``; the
  mutant calls the helper that rounds the other way (``rmul_dss`` becomes dss's ``rmul``
  rounded up, the product still checked);
- **comparison**: every ``<``, ``<=``, ``>``, ``>=`` in the code ``step`` runs (the
  guards, the sizing and the effects' decisions: ``model/numbers``, ``oracle.py``,
  ``curves``, ``engine.py``, ``rules``, ``policies``, ``loss.py``); the mutant flips its
  strictness (``<`` and ``<=``, ``>`` and ``>=``). The invariants and parameter
  validation are predicates the proofs and tests evaluate, not the engine: not scanned;
- **extremum**: every ``minimum``/``maximum`` (the model's ``min``/``max``) in ``model/``;
  one mutant per argument, which it drops (``minimum(a, b)`` becomes ``a`` and ``b``; of
  three arguments, each pair).

The scan is the source of truth: a new call site, comparison or ``min`` gets its
mutant the next time the catalogue is built. What kills each mutant is declared per
function in :mod:`proofs.mutants.killers`; a mutant whose function has no entry there
fails ``tests/proofs/test_mutant_sites.py`` until one is written.

Each site is replaced at its exact position (line and column), since the same text may
occur more than once in a file; the mutant id names the function and the site, not the
line, so it survives unrelated edits.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import attrs

DIRECTED = {
    "mul_div_up": "mul_div_down",
    "mul_div_down": "mul_div_up",
    "rmul_up": "rmul_down",
    "rmul_down": "rmul_up",
    "rdiv_up": "rdiv_down",
    "rdiv_down": "rdiv_up",
    "wmul_up": "wmul_down",
    "wmul_down": "wmul_up",
    "rmul_dss": "_zle_rmul_dss_up",
}
"""Each directed-rounding helper of ``model/numbers/fixed_point.py`` and the name its
mutant calls instead."""

EXTREMA = ("minimum", "maximum")
"""The model's ``min`` and ``max`` (``model/numbers/fixed_point.py``: one term on symbolic
integers)."""

RMUL_DSS_UP = """

def _zle_rmul_dss_up(x, y, what=""):  # the mutant: dss rmul rounded up
    from model.numbers.fixed_point import RAY, mul, mul_div_up
    return mul_div_up(mul(x, y, what), 1, RAY, what)
"""

COMPARED = (
    "model/numbers/",
    "model/oracle.py",
    "model/curves/",
    "model/engine.py",
    "model/rules/",
    "model/policies/",
    "model/loss.py",
)
"""Where comparisons are mutated: the code ``step`` runs (and the loss measures)."""

FLIPPED_OPERATOR = {
    ast.Lt: ("<", "<="),
    ast.LtE: ("<=", "<"),
    ast.Gt: (">", ">="),
    ast.GtE: (">=", ">"),
}

KINDS = ("rounding", "comparison", "extremum")


@attrs.frozen
class Site:
    """One mutation site and the mutant's edit of it."""

    kind: str
    """``rounding``, ``comparison`` or ``extremum``."""
    file: str
    """Relative to the repository root (``model/...``)."""
    function: str
    """``module.function`` with the module relative to ``model/`` (``policies.gen3_zero_loss
    .plan_kick``); ``module.<module>`` for code outside any function."""
    label: str
    """The site in a few characters, unique within the function."""
    line: int
    column: int
    """Where ``original`` starts (1-based line, 0-based column, as ``ast`` counts)."""
    original: str
    replacement: str
    appendix: str = ""
    """Text appended to the mutated file (the import of a flipped helper)."""
    description: str = ""

    @property
    def id(self) -> str:
        short = {"rounding": "round", "comparison": "cmp", "extremum": "drop"}[self.kind]
        return f"{short}:{self.function}:{self.label}"


def _module(path: Path, root: Path) -> str:
    relative = path.relative_to(root / "model").with_suffix("")
    return ".".join(relative.parts)


def _compact(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= limit else text[: limit - 1] + "~"


def _offsets(source: str) -> list[int]:
    """Character offset of the start of each line (index 0 is line 1)."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


class _Scanner(ast.NodeVisitor):
    def __init__(self, source: str, file: str, module: str, compared: bool) -> None:
        self.source = source
        self.file = file
        self.module = module
        self.compared = compared
        self.starts = _offsets(source)
        self.stack: list[str] = []
        self.sites: list[Site] = []

    # --- helpers ------------------------------------------------------------------------

    def _function(self) -> str:
        inner = ".".join(self.stack) if self.stack else "<module>"
        return f"{self.module}.{inner}"

    def _offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column

    def _segment(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.source, node)
        assert segment is not None
        return segment

    def _add(self, site: Site) -> None:
        self.sites.append(site)

    # --- functions ------------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    # --- rounding and extrema -------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in DIRECTED:
            self._rounding(node, func)
        if isinstance(func, ast.Name) and func.id in EXTREMA and len(node.args) >= 2:
            self._extremum(node, func.id)
        self.generic_visit(node)

    def _rounding(self, node: ast.Call, func: ast.Name) -> None:
        what = ""
        if len(node.args) >= 3 and isinstance(node.args[-1], ast.Constant):
            value = node.args[-1].value
            what = value if isinstance(value, str) else ""
        flipped = DIRECTED[func.id]
        appendix = ""
        if flipped == "_zle_rmul_dss_up":
            appendix = RMUL_DSS_UP
        elif not self.file.endswith("numbers/fixed_point.py"):
            appendix = f"\n\nfrom model.numbers.fixed_point import {flipped}  # noqa: E402\n"
        label = func.id + (f"({_compact(what, 30)})" if what else "")
        self._add(
            Site(
                kind="rounding",
                file=self.file,
                function=self._function(),
                label=label,
                line=func.lineno,
                column=func.col_offset,
                original=func.id,
                replacement=flipped,
                appendix=appendix,
                description=f"{func.id} rounds the other way at {_compact(self._segment(node))}",
            )
        )

    def _extremum(self, node: ast.Call, name: str) -> None:
        whole = self._segment(node)
        arguments = [self._segment(a) for a in node.args]
        for index, dropped in enumerate(arguments):
            kept = [a for i, a in enumerate(arguments) if i != index]
            replacement = f"({kept[0]})" if len(kept) == 1 else f"{name}({', '.join(kept)})"
            self._add(
                Site(
                    kind="extremum",
                    file=self.file,
                    function=self._function(),
                    label=f"{name}({_compact(', '.join(arguments), 48)})-{_compact(dropped, 24)}",
                    line=node.lineno,
                    column=node.col_offset,
                    original=whole,
                    replacement=replacement,
                    description=f"{_compact(whole)} loses its argument {_compact(dropped)}",
                )
            )

    # --- comparisons -----------------------------------------------------------------------

    def visit_Compare(self, node: ast.Compare) -> None:
        if self.compared:
            operands = [node.left, *node.comparators]
            for index, op in enumerate(node.ops):
                flip = FLIPPED_OPERATOR.get(type(op))
                if flip is None:
                    continue
                left, right = operands[index], operands[index + 1]
                assert left.end_lineno is not None and left.end_col_offset is not None
                start = self._offset(left.end_lineno, left.end_col_offset)
                end = self._offset(right.lineno, right.col_offset)
                between = self.source[start:end]
                pattern = re.escape(flip[0]) + ("(?!=)" if len(flip[0]) == 1 else "")
                found = re.search(pattern, between)
                at = found.start() if found else -1
                assert at >= 0, (self.file, node.lineno, between)
                position = start + at
                line = next(i for i, s in enumerate(self.starts) if s > position)
                column = position - self.starts[line - 1]
                pair = f"{self._segment(left)} {flip[0]} {self._segment(right)}"
                self._add(
                    Site(
                        kind="comparison",
                        file=self.file,
                        function=self._function(),
                        label=_compact(pair),
                        line=line,
                        column=column,
                        original=flip[0],
                        replacement=flip[1],
                        description=f"{_compact(pair)} becomes {flip[1]}",
                    )
                )
        self.generic_visit(node)


def _unique(sites: list[Site]) -> list[Site]:
    """Number repeated labels within a function (``#2``, ``#3``), in source order."""
    seen: dict[str, int] = {}
    unique: list[Site] = []
    for site in sites:
        count = seen.get(site.id, 0) + 1
        seen[site.id] = count
        unique.append(site if count == 1 else attrs.evolve(site, label=f"{site.label}#{count}"))
    return unique


def model_files(root: Path) -> Iterator[Path]:
    yield from sorted((root / "model").rglob("*.py"))


def scan(root: Path, kinds: tuple[str, ...] = KINDS) -> list[Site]:
    """Every mutation site of ``root/model`` of the given kinds, in file and source order."""
    sites: list[Site] = []
    for path in model_files(root):
        file = path.relative_to(root).as_posix()
        source = path.read_text()
        scanner = _Scanner(source, file, _module(path, root), file.startswith(COMPARED))
        scanner.visit(ast.parse(source))
        sites.extend(site for site in scanner.sites if site.kind in kinds)
    return _unique(sites)


def splice(text: str, line: int, column: int, original: str, replacement: str) -> str | None:
    """``text`` with ``original`` at ``(line, column)`` replaced; ``None`` when the text at
    that position is not ``original`` (the file changed since the scan)."""
    starts = _offsets(text)
    if line < 1 or line > len(starts) - 1:
        return None
    offset = starts[line - 1] + column
    if text[offset : offset + len(original)] != original:
        return None
    return text[:offset] + replacement + text[offset + len(original) :]
